"""The housing stock import from the screen (a dry run that stores nothing and lists every
row's problem, then the import with its progress and result: the CLI's code), and
technicians' trades, home base, contractor, roster and on-call rota."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from server.admin import stock
from server.models import Address, ChangeRecord, RosterEntry, StockImport, Technician
from tests.admin.support import post_form
from tests.support import world
from tests.support.pages import csrf, login

FIXTURES = Path(__file__).parent.parent / "fixtures"
PAGE = "/beheer/opdrachtgevers/WST"


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _upload(http: httpx.AsyncClient, name: str, mode: str) -> str:
    token = csrf((await http.get(PAGE)).text)
    started = await http.post(
        f"{PAGE}/woningbestand",
        data={"csrf_token": token, "mode": mode},
        files={"file": (name, (FIXTURES / name).read_bytes(), "text/csv")},
    )
    assert started.status_code == 303, started.text
    running = await http.get(started.headers["location"])
    assert running.status_code == 200
    await stock.wait_all()
    return (await http.get(started.headers["location"])).text


async def test_dry_run_then_import_from_the_screen(http: httpx.AsyncClient, w: world.World) -> None:
    await login(http, "sanne.supervisie")
    before = await Address.filter(client_id=w.woonstad.id).count()
    bad = await _upload(http, "adressen_fouten.csv", "proef")
    assert "fouten" in bad and "rij 4, huisnummer: &#39;tien&#39; is geen geldig huisnummer" in bad
    assert "rij 15: adres 3572AB 10 staat ook op rij 2." in bad
    dry = await _upload(http, "adressen_woonstad.csv", "proef")
    assert "Proefimport in orde" in dry and "8 nieuw, 0 bijgewerkt, 0 ongewijzigd" in dry
    assert await Address.filter(client_id=w.woonstad.id).count() == before
    real = await _upload(http, "adressen_woonstad.csv", "echt")
    assert "Geïmporteerd" in real and "8 nieuw" in real
    assert await Address.filter(client_id=w.woonstad.id).count() == before + 8
    run = await StockImport.filter(dry_run=False).get()
    assert (run.status, run.done, run.total) == ("klaar", 8, 8)
    record = await ChangeRecord.get(object_type="client", field="woningbestand")
    assert record.new.startswith("adressen_woonstad.csv: 8 nieuw")
    assert "woningbestand" in (await http.get(PAGE)).text


async def test_a_clean_dry_run_is_imported_as_it_is_and_a_bad_one_cannot_be(
    http: httpx.AsyncClient, w: world.World
) -> None:
    """Without Redis (the embedded default) the job runs in the app process."""
    await login(http, "admin")
    before = await Address.filter(client_id=w.woonstad.id).count()
    bad = await _upload(http, "adressen_fouten.csv", "proef")
    assert "Nu importeren" not in bad
    bad_run = await StockImport.get()
    refused = await post_form(
        http,
        f"{PAGE}/woningbestand/{bad_run.id}",
        f"{PAGE}/woningbestand/{bad_run.id}/importeren",
    )
    assert refused.status_code == 409 and 'role="alert"' in refused.text
    dry = await _upload(http, "adressen_woonstad.csv", "proef")
    assert "Nu importeren" in dry
    run = await StockImport.filter(dry_run=True).order_by("-id").first()
    assert run is not None
    done = await post_form(
        http, f"{PAGE}/woningbestand/{run.id}", f"{PAGE}/woningbestand/{run.id}/importeren"
    )
    assert done.status_code == 303
    await stock.wait_all()
    real = (await http.get(done.headers["location"])).text
    assert "Geïmporteerd" in real and "8 nieuw" in real
    assert await Address.filter(client_id=w.woonstad.id).count() == before + 8
    # Someone else's run is not found through another client's page.
    hidden = await post_form(
        http, PAGE, f"/beheer/opdrachtgevers/LVD/woningbestand/{run.id}/importeren"
    )
    assert hidden.status_code == 404


async def test_an_import_of_another_type_or_someone_elses_is_refused(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "admin")
    token = csrf((await http.get(PAGE)).text)
    pdf = await http.post(
        f"{PAGE}/woningbestand",
        data={"csrf_token": token, "mode": "proef"},
        files={"file": ("lijst.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert pdf.status_code == 422 and "Kies een .csv- of .xlsx-bestand." in pdf.text
    forged = await http.post(
        f"{PAGE}/woningbestand",
        data={"csrf_token": "nep", "mode": "echt"},
        files={"file": ("a.csv", b"straat;huisnummer;postcode;plaats\n", "text/csv")},
    )
    assert forged.status_code == 403 and "CSRF" in forged.text
    assert await StockImport.all().count() == 0
    await _upload(http, "adressen_woonstad.csv", "proef")
    run = await StockImport.get()
    hidden = await http.get(f"/beheer/opdrachtgevers/LVD/woningbestand/{run.id}")
    assert hidden.status_code == 404


def _technician_form(**changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "name": "Piet Monteur",
        "phone": "06 12345678",
        "home_postcode": "3562 JA",
        "contractor": "",
        "active": "ja",
        "trades": ["CVI", "ELE"],
        "roster": "ma-vr 07:30-16:00\nza 08:00-12:00",
        "on_call_weekends": "ja",
    }
    form.update(changes)
    return form


async def test_a_technician_is_set_up_on_screen_and_the_rota_follows(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "sanne.supervisie")
    page = f"/beheer/monteurs/{w.technician.id}"
    saved = await post_form(http, page, page, **_technician_form())
    assert saved.status_code == 303, saved.text
    tech = await Technician.get(id=w.technician.id).prefetch_related("contractor")
    assert (tech.trades, tech.home_postcode, tech.phone) == (
        ["CVI", "ELE"],
        "3562JA",
        "+31612345678",
    )
    assert tech.contractor is None and tech.on_call_weekends and not tech.on_call_evenings
    assert tech.home_latitude is not None
    roster = await RosterEntry.filter(technician_id=tech.id).values_list(
        "weekday", "start_minute", "end_minute"
    )
    assert sorted(roster) == [*[(d, 450, 960) for d in range(5)], (5, 480, 720)]
    shown = (await http.get(page)).text
    assert (
        "ma 07:30-16:00" in shown and "Wijzigingen" in shown and "Installatiebedrijf Noord" in shown
    )
    rota = await ChangeRecord.get(object_id=str(tech.id), field="piket weekenden")
    assert (rota.old, rota.new) == ("nee", "ja")
    assert "/planning" in shown


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"roster": "maandag 8-5"}, "Rooster regel 1"),
        ({"roster": "ma 16:00-08:00"}, "eindigt niet na het begin"),
        ({"roster": "ma 07:00-25:00"}, "geen UU:MM"),
        ({"trades": []}, "minstens één vakdiscipline"),
        ({"trades": ["XXX"]}, "Onbekende vakdiscipline"),
        ({"home_postcode": "12345"}, "postcode"),
        ({"contractor": "999"}, "Kies een aannemer"),
        ({"name": ""}, "Vul een naam in"),
    ],
)
async def test_bad_technician_input_is_refused_and_nothing_changes(
    http: httpx.AsyncClient, w: world.World, changes: dict[str, object], message: str
) -> None:
    await login(http, "admin")
    page = f"/beheer/monteurs/{w.technician.id}"
    refused = await post_form(http, page, page, **_technician_form(**changes))
    assert refused.status_code == 422 and message in refused.text
    tech = await Technician.get(id=w.technician.id)
    assert tech.trades == ["CVI", "LOO"] and await ChangeRecord.all().count() == 0


async def test_a_new_technician_from_the_screen(http: httpx.AsyncClient, w: world.World) -> None:
    await login(http, "admin")
    form = _technician_form(name="Ahmed Yilmaz", contractor=str(w.technician.contractor_id))  # type: ignore[attr-defined]
    created = await post_form(http, "/beheer/monteurs/nieuw", "/beheer/monteurs/nieuw", **form)
    assert created.status_code == 303, created.text
    tech = await Technician.get(name="Ahmed Yilmaz").prefetch_related("contractor")
    assert tech.contractor.name == "Installatiebedrijf Noord"  # type: ignore[union-attr]
    assert await RosterEntry.filter(technician_id=tech.id).count() == 6
    assert "Ahmed Yilmaz" in (await http.get("/beheer/monteurs")).text
