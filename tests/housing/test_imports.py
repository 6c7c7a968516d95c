"""Importing a client's housing stock: all or nothing, every bad row named, idempotent."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest

from server.domain.errors import NotFound
from server.housing.imports import import_addresses
from server.models import Address, AddressParty, Client, Complex

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ROOT = FIXTURES.parent.parent


@pytest.fixture
async def woonstad(db_clean: None) -> Client:
    return await Client.create(code="WST", name="Woonstad Utrecht")


async def test_csv_with_bom_semicolons_and_dutch_headers(woonstad: Client) -> None:
    report = await import_addresses("wst", FIXTURES / "adressen_woonstad.csv")

    assert report.ok, report.summary()
    assert (report.rows, report.created, report.updated, report.unchanged) == (8, 8, 0, 0)
    assert (report.complexes_created, report.parties_created) == (2, 4)
    assert report.ignored_columns == ["Opmerking"]
    flat = await Address.get(client=woonstad, postcode="3562JA", house_number=14, suffix="A")
    await flat.fetch_related("complex")
    assert flat.street == "Zamenhofdreef"
    assert flat.city == "Utrecht"
    assert flat.bag_id == "0344200000101015"
    assert (flat.latitude, flat.longitude) == (52.1148, 5.1125)
    assert flat.complex is not None
    assert (flat.complex.code, flat.complex.name) == ("1001", "Zamenhofflat")
    loose = await Address.get(client=woonstad, street="Biltstraat")
    assert (loose.house_number, loose.suffix, loose.complex_id) == (5, "BIS", None)  # type: ignore[attr-defined]
    assert "adressen: 8 nieuw, 0 bijgewerkt, 0 ongewijzigd" in report.summary()


async def test_parties_go_to_the_complex_when_every_row_agrees(woonstad: Client) -> None:
    await import_addresses("WST", FIXTURES / "adressen_woonstad.csv")

    zamenhof = await Complex.get(client=woonstad, code="1001")
    on_complex = await AddressParty.filter(complex=zamenhof).order_by("kind")
    assert [(p.kind, p.name, p.phone, p.address_id) for p in on_complex] == [  # type: ignore[attr-defined]
        ("huismeester", "Jan Smits", "+31302345678", None),
        ("lift", "Liftservice Midden", "+31302650000", None),
    ]
    # Kanaalstraat 105 has no VvE, so the VvE is registered for 101 and 103 only.
    vve = await AddressParty.filter(kind="vve").prefetch_related("address").order_by("id")
    assert [(p.address.house_number, p.complex_id, p.phone) for p in vve] == [  # type: ignore[attr-defined, union-attr]
        (101, None, "+31612345678"),
        (103, None, "+31612345678"),
    ]


async def test_reimporting_the_same_file_changes_nothing(woonstad: Client) -> None:
    first = await import_addresses("WST", FIXTURES / "adressen_woonstad.csv")
    ids = sorted(await Address.all().values_list("id", flat=True))

    again = await import_addresses("WST", FIXTURES / "adressen_woonstad.csv")

    assert first.ok and again.ok
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)
    assert (again.complexes_created, again.parties_created, again.parties_updated) == (0, 0, 0)
    assert sorted(await Address.all().values_list("id", flat=True)) == ids
    assert await Complex.all().count() == 2
    assert await AddressParty.all().count() == 4


async def test_changed_rows_are_updated_in_place(woonstad: Client, tmp_path: Path) -> None:
    await import_addresses("WST", FIXTURES / "adressen_woonstad.csv")
    text = (FIXTURES / "adressen_woonstad.csv").read_text(encoding="utf-8-sig")
    text = text.replace("Biltstraat;5;bis;3572 AB;Utrecht", "Biltstraat;5;bis;3572 AB;De Bilt")
    text = text.replace("Liftservice Midden;030-2650000", "Liftservice Midden;030-2659999")
    changed = tmp_path / "adressen.csv"
    changed.write_text(text, encoding="utf-8")

    report = await import_addresses("WST", changed)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 7)
    assert (report.parties_created, report.parties_updated) == (0, 1)
    assert (await Address.get(street="Biltstraat")).city == "De Bilt"
    assert (await AddressParty.get(kind="lift")).phone == "+31302659999"


async def test_columns_a_file_lacks_leave_stored_values_alone(
    woonstad: Client, tmp_path: Path
) -> None:
    await import_addresses("WST", FIXTURES / "adressen_woonstad.csv")
    short = tmp_path / "kort.csv"
    short.write_text("straat;huisnummer;postcode;plaats\nZamenhofdreef;10;3562JA;Utrecht\n")

    report = await import_addresses("WST", short)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    kept = await Address.get(postcode="3562JA", house_number=10).prefetch_related("complex")
    assert kept.bag_id == "0344200000101010"
    assert kept.latitude == 52.1146
    assert kept.complex is not None


async def test_comma_csv_with_english_headers_and_cp1252(woonstad: Client, tmp_path: Path) -> None:
    text = (FIXTURES / "addresses_english.csv").read_text(encoding="utf-8")
    legacy = tmp_path / "addresses.csv"
    legacy.write_bytes(text.encode("cp1252"))

    report = await import_addresses("WST", legacy)

    assert report.ok, report.summary()
    assert report.created == 3
    streets = await Address.all().order_by("house_number").values_list("street", "suffix", "city")
    assert streets == [
        ("Ruïnelaan", "", "Zeist"),
        ("Ruïnelaan", "", "Zeist"),
        ("Laan van Vollenhove", "B", "Zeist"),
    ]


async def test_xlsx_with_numbers_as_excel_stores_them(woonstad: Client, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Street", "Huisnummer", "POSTCODE", "Woonplaats", "BAG", "Lat", "Lon", "Lift"])
    # Excel keeps the BAG id as a number and drops its leading zero.
    sheet.append(
        ["Neckardreef", 104, "3562 CH", "Utrecht", 344200000104104, 52.1152, 5.1049, "Kone"]
    )
    sheet.append(["Neckardreef", "106a", "3562CH", "Utrecht", None, None, None, None])
    path = tmp_path / "complexlijst.xlsx"
    book.save(path)

    report = await import_addresses("WST", path)

    assert report.ok, report.summary()
    assert (report.created, report.parties_created) == (2, 1)
    first = await Address.get(house_number=104)
    assert (first.bag_id, first.latitude, first.longitude) == ("0344200000104104", 52.1152, 5.1049)
    second = await Address.get(house_number=106)
    assert (second.suffix, second.bag_id, second.latitude) == ("A", None, None)
    assert await AddressParty.get(kind="lift", address=first)


async def test_bad_rows_are_all_reported_and_nothing_is_stored(woonstad: Client) -> None:
    report = await import_addresses("WST", FIXTURES / "adressen_fouten.csv")

    assert not report.ok
    assert [str(problem) for problem in report.errors] == [
        "rij 3, huisnummer: '0' is geen geldig huisnummer (een positief geheel getal).",
        "rij 4, huisnummer: 'tien' is geen geldig huisnummer (een positief geheel getal).",
        "rij 5, toevoeging: 'A/B/C/D/E/F' is geen geldige toevoeging "
        "(hooguit 10 letters of cijfers).",
        "rij 6, bag_id: '12345' is geen geldig BAG-id (16 cijfers).",
        "rij 7, postcode: '12345' is geen geldige postcode (zoals 1234 AB).",
        "rij 8, latitude: '48.8566' ligt niet in Nederland (breedtegraad tussen 50,7 en 53,7).",
        "rij 8, longitude: '2.3522' ligt niet in Nederland (lengtegraad tussen 3,2 en 7,3).",
        "rij 9, latitude: '5.1302' ligt niet in Nederland (breedtegraad tussen 50,7 en 53,7). "
        "Zijn breedte- en lengtegraad verwisseld?",
        "rij 9, longitude: '52.0912' ligt niet in Nederland (lengtegraad tussen 3,2 en 7,3). "
        "Zijn breedte- en lengtegraad verwisseld?",
        "rij 10, longitude: is leeg, terwijl 'latitude' is ingevuld.",
        "rij 11, latitude: 'noord' is geen getal.",
        "rij 12, vve_telefoon: '12345' is geen geldig telefoonnummer.",
        "rij 13, lift_telefoon: contactgegevens zonder naam in kolom 'lift'.",
        "rij 14, straat: verplicht veld is leeg.",
        "rij 14, plaats: verplicht veld is leeg.",
        "rij 15: adres 3572AB 10 staat ook op rij 2.",
    ]
    summary = report.summary()
    assert summary.startswith(
        "adressen_fouten.csv: niets geïmporteerd voor Woonstad Utrecht (WST), 16 fouten:"
    )
    assert "  rij 7, postcode: '12345' is geen geldige postcode" in summary
    assert await Address.all().count() == 0
    assert await AddressParty.all().count() == 0


async def test_one_bad_row_stops_the_good_ones_too(woonstad: Client, tmp_path: Path) -> None:
    text = (FIXTURES / "adressen_woonstad.csv").read_text(encoding="utf-8-sig")
    path = tmp_path / "adressen.csv"
    path.write_text(
        text.replace(
            "3531 CG;Utrecht;1002;Lombok Kanaalstraat;;52,0923",
            "3531 CG;Utrecht;1002;Lombok Kanaalstraat;;92,0923",
        )
    )

    report = await import_addresses("WST", path)

    assert [str(p) for p in report.errors] == [
        "rij 8, Breedtegraad: '92,0923' ligt niet in Nederland (breedtegraad tussen 50,7 en 53,7)."
    ]
    assert await Address.all().count() == 0
    assert await Complex.all().count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leeg.csv", "", "het bestand is leeg."),
        ("kop.csv", "straat;huisnummer;postcode;plaats\n;;;\n", "het bestand bevat geen adressen."),
        (
            "zonder.csv",
            "straat;nummertje;postcode;plaats\nBiltstraat;1;3572AB;Utrecht\n",
            "kolom 'huisnummer' ontbreekt "
            "(ook goed: huisnr, nummer, house_number, housenumber, number).",
        ),
        (
            "half.csv",
            "straat;huisnummer;postcode;plaats;lat\nBiltstraat;1;3572AB;Utrecht;52.1\n",
            "kolom 'longitude' ontbreekt naast 'lat'.",
        ),
        (
            "oud.xls",
            "straat",
            "bestandstype '.xls' wordt niet ondersteund; gebruik .csv of .xlsx.",
        ),
        ("kapot.xlsx", "geen zip", "bestand kan niet gelezen worden (File is not a zip file)."),
    ],
)
async def test_unusable_files_are_refused_with_one_clear_message(
    woonstad: Client, tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content)

    report = await import_addresses("WST", path)

    assert [str(p) for p in report.errors] == [message]
    assert await Address.all().count() == 0


async def test_unknown_client_is_not_found(woonstad: Client) -> None:
    with pytest.raises(NotFound) as caught:
        await import_addresses("XYZ", FIXTURES / "adressen_woonstad.csv")
    assert caught.value.message == "Opdrachtgever 'XYZ' bestaat niet."


async def _cli(*args: str) -> tuple[int, str, str]:
    """`meldkamer import-addresses ...` in its own process, against the test database."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from server.cli import main; main()",
        "import-addresses",
        *args,
        cwd=ROOT,
        env=dict(os.environ),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_cli_exit_codes(woonstad: Client, tmp_path: Path) -> None:
    good = tmp_path / "adressen.csv"
    shutil.copy(FIXTURES / "adressen_woonstad.csv", good)

    code, out, _ = await _cli("WST", str(good))
    assert code == 0
    assert "adressen: 8 nieuw, 0 bijgewerkt, 0 ongewijzigd" in out
    assert await Address.filter(client=woonstad).count() == 8

    code, out, _ = await _cli("WST", str(FIXTURES / "adressen_fouten.csv"))
    assert code == 1
    assert "rij 7, postcode: '12345' is geen geldige postcode (zoals 1234 AB)." in out

    code, _, err = await _cli("NOPE", str(good))
    assert code == 2
    assert "Fout: Opdrachtgever 'NOPE' bestaat niet." in err
