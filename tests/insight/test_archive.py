"""The archive and its Excel export as a client user and the desk use them, and what a client
user can never reach: another client's dossiers, exports or figures."""

from __future__ import annotations

import io
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import httpx
import openpyxl
import pytest

from server.models import Client, Dossier, DossierEvent
from tests.support import world
from tests.support.pages import csrf, login


@pytest.fixture
async def w(db_clean: None) -> world.World:
    built = await world.build()
    for i, (client, city) in enumerate(
        [(built.woonstad, "Utrecht"), (built.woonstad, "Zeist"), (built.lichtveld, "Amersfoort")]
    ):
        created = datetime(2025, 3, 24 + i, 9, 15, tzinfo=UTC)
        d = await Dossier.create(
            order_number=f"MK-2025-{i + 1:06d}",
            client=client,
            created_at=created,
            closed_at=datetime(2025, 3, 24 + i, 12, 45, tzinfo=UTC),
            result_code="verholpen",
            phase="afgerond",
            channel="telefoon",
            category="cv_storing" if i != 1 else "elektra",
            urgency="urgent",
            house_number=10 + i,
            street="Biltstraat",
            postcode=f"357{i}AB",
            city=city,
            contact_name=f"Huurder {city}",
            contact_name_search=f"huurder {city.lower()}",
            technician=built.technician,
        )
        await DossierEvent.create(dossier=d, at=created, kind="created", data={})
        for at, source, target in [
            (created, "nieuw", "doorgezet_naar_monteur"),
            (created, "doorgezet_naar_monteur", "afspraak_ingepland"),
            (created, "afspraak_ingepland", "in_uitvoering"),
            (d.closed_at, "in_uitvoering", "afgerond"),
        ]:
            await DossierEvent.create(
                dossier=d, at=at, kind="transition", data={"from": source, "to": target}
            )
    return built


async def test_client_user_sees_only_own_archive(http: httpx.AsyncClient, w: world.World) -> None:
    await login(http, "wim.woonstad")
    page = await http.get("/archief")
    assert page.status_code == 200
    assert "2 dossiers gevonden" in page.text
    assert "MK-2025-000001" in page.text and "MK-2025-000003" not in page.text
    # Naming the other client in the filter finds nothing rather than its dossiers.
    other = await http.get("/archief", params={"klant": "LVD"})
    assert "0 dossiers gevonden" in other.text
    assert (await http.get("/dossiers/MK-2025-000003")).status_code == 404


async def test_filters_narrow_and_bad_values_are_named(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "anna.agent")
    assert "3 dossiers gevonden" in (await http.get("/archief")).text
    assert "1 dossier gevonden" in (await http.get("/archief?categorie=elektra")).text
    assert "1 dossier gevonden" in (await http.get("/archief?klant=LVD")).text
    assert "1 dossier gevonden" in (await http.get("/archief?postcode=3571")).text
    assert "2 dossiers gevonden" in (await http.get("/archief?van=2025-03-25")).text
    assert "3 dossiers gevonden" in (await http.get("/archief?ftf=ja")).text
    assert "0 dossiers gevonden" in (await http.get("/archief?ftf=nee")).text
    assert "1 dossier gevonden" in (await http.get("/archief?q=zeist")).text
    bad = await http.get("/archief?urgentie=heel_erg")
    assert bad.status_code == 422
    assert "Onbekende waarde &#39;heel_erg&#39; voor urgentie." in bad.text
    bad = await http.get("/archief?van=31-03-2025")
    assert "&#39;31-03-2025&#39; is geen geldige datum" in bad.text


def _exports_on_disk() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("export-*.xlsx"))


async def test_export_has_excel_types_frozen_header_and_filter(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "wim.woonstad")
    page = await http.get("/archief")
    left_before = _exports_on_disk()
    response = await http.post(
        "/archief/export",
        data={
            "csrf_token": csrf(page.text),
            "status": "gesloten",
            "kolom": ["ordernummer", "gemeld", "doorlooptijd", "huisnummer", "categorie"],
        },
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert response.headers["content-disposition"] == 'attachment; filename="dossiers.xlsx"'
    assert int(response.headers["content-length"]) == len(response.content)
    # The file with the tenants' details is not left behind on the server.
    assert _exports_on_disk() <= left_before
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E3"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Ordernummer", "Gemeld", "Doorlooptijd (uur)", "Huisnummer", "Categorie")
    # Newest last (by id); Lichtveld's dossier is not there.
    assert [r[0] for r in rows[1:]] == ["MK-2025-000001", "MK-2025-000002"]
    first = rows[1]
    assert first[1] == datetime(2025, 3, 24, 10, 15)  # a real date, Amsterdam time
    assert first[2] == pytest.approx(3.5)
    assert first[3] == 10 and isinstance(first[3], int | float)
    assert first[4] == "Cv-storing"
    assert sheet["B2"].is_date and sheet["C2"].data_type == "n"


def test_the_deadline_column_reads_uiterlijk_like_the_rest_of_the_product() -> None:
    from server.insight import export

    assert export.COLUMNS["uiterlijk"].header == "Uiterlijk"
    assert "Deadline" not in {c.header for c in export.COLUMNS.values()}
    assert export.pick(["deadline"]) == ["uiterlijk"]  # the old name still works


async def test_export_refuses_unknown_column(http: httpx.AsyncClient, w: world.World) -> None:
    await login(http, "anna.agent")
    page = await http.get("/archief")
    response = await http.post(
        "/archief/export", data={"csrf_token": csrf(page.text), "kolom": ["bsn"]}
    )
    assert response.status_code == 422
    assert "Onbekende kolom &#39;bsn&#39;." in response.text


async def test_large_export_runs_as_job_for_its_owner_only(
    http: httpx.AsyncClient,
    client_factory: object,
    w: world.World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from server import settings
    from server.jobs import queue

    monkeypatch.setattr(settings, "EXPORT_JOB_ROWS", 1)
    await login(http, "wim.woonstad")
    page = await http.get("/archief")
    response = await http.post(
        "/archief/export", data={"csrf_token": csrf(page.text), "kolom": ["ordernummer"]}
    )
    assert response.status_code == 303
    token = response.headers["location"].split("export=")[1].split("#")[0]
    for task in list(queue._running):
        await task
    listing = await http.get("/archief")
    assert f"/archief/exports/{token}" in listing.text
    download = await http.get(f"/archief/exports/{token}")
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    assert [r[0] for r in book.active.iter_rows(values_only=True)] == [
        "Ordernummer",
        "MK-2025-000001",
        "MK-2025-000002",
    ]
    other = client_factory()  # type: ignore[operator]
    async with other:
        await login(other, "lisa.lichtveld")
        assert (await other.get(f"/archief/exports/{token}")).status_code == 404
        await login(other, "anna.agent")
        assert (await other.get(f"/archief/exports/{token}")).status_code == 404


async def test_technician_has_no_archive(http: httpx.AsyncClient, w: world.World) -> None:
    await login(http, "piet.monteur")
    assert (await http.get("/archief")).status_code == 403
    assert (await http.get("/dashboard")).status_code == 403


async def test_client_cannot_reach_other_clients_figures(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "wim.woonstad")
    own = await http.get("/dashboard", params={"van": "2025-03-24", "tot": "2025-03-30"})
    assert own.status_code == 200
    assert "Managementdashboard · Woonstad Utrecht" in own.text
    assert "Lichtveld" not in own.text
    assert (await http.get("/dashboard?klant=LVD")).status_code == 404
    assert (await http.get("/dashboard/grafiek/meldingen.xlsx?klant=LVD")).status_code == 404
    assert (await http.get("/dashboard/live?klant=LVD")).status_code == 404


async def test_dashboard_figures_and_chart_export(http: httpx.AsyncClient, w: world.World) -> None:
    await login(http, "anna.agent")
    params = {"van": "2025-03-24", "tot": "2025-03-30", "per": "dag"}
    page = await http.get("/dashboard", params=params)
    assert page.status_code == 200
    assert "alle opdrachtgevers" in page.text
    assert "Enquêtes worden nog gebouwd." in page.text or "Klanttevredenheid" in page.text
    sheet = await http.get("/dashboard/grafiek/meldingen.xlsx", params=params)
    book = openpyxl.load_workbook(io.BytesIO(sheet.content)).active
    rows = list(book.iter_rows(values_only=True))
    # Real dates that Excel shows as dd-mm-jjjj, and the page writes the same way.
    day = datetime(2025, 3, 24)
    assert rows == [
        ("Vanaf", "Meldingen"),
        (day, 1),
        (day.replace(day=25), 1),
        (day.replace(day=26), 1),
    ]
    assert book["A2"].number_format == "dd-mm-yyyy"
    assert "<td>24-03-2025</td>" in page.text and "<td>2025-03-24</td>" not in page.text
    norms = await http.get("/dashboard/grafiek/deadlines.xlsx", params=params)
    sheet = openpyxl.load_workbook(io.BytesIO(norms.content)).active
    assert sheet["D1"].value == "Percentage"
    # A share is an Excel percentage (0.5 shown as 50,0% in a Dutch Excel), not the number 50.
    shares = [c for c in sheet["D"][1:] if c.value is not None]
    assert all(c.number_format == "0.0%" and 0 <= c.value <= 1 for c in shares)
    bad = await http.get("/dashboard", params={"periode": "eeuw"})
    assert bad.status_code == 422 and "Onbekende periode &#39;eeuw&#39;" in bad.text
    missing = await http.get("/dashboard/grafiek/taart.xlsx", params=params)
    assert missing.status_code == 404
    assert isinstance(await Client.get(code="WST"), Client)
