"""The weekly report a client reads: the dashboard's figures for the week against the week
before and the same week last year, and the signals, in the workbook and in the PDF."""

from __future__ import annotations

import io
import sys
from datetime import date

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from server.domain.errors import Unprocessable
from server.domain.kpis import Period
from server.insight import client_report as reports
from server.insight import client_report_pdf
from server.models import ClientReport
from tests.insight import report_world
from tests.insight.report_world import NOW, WEEK


@pytest.fixture
async def rw(db_clean: None) -> report_world.ReportWorld:
    return await report_world.build()


def pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages
    )


async def test_the_weekly_report_says_what_the_client_must_read(
    rw: report_world.ReportWorld,
) -> None:
    report = await reports.build(rw.w.woonstad, reports.WEEK, WEEK, NOW)
    assert report.status == "gebouwd" and report.pdf and report.xlsx
    assert report.summary == {
        "meldingen": 4.0,
        "vorige": 1.0,
        "signalen": [
            "1 complex met meer storingen",
            "1 adres met meer storingen",
            "1 herhaalmelding",
            "1 dossier over de deadline",
        ],
    }
    # The workbook: numbers as numbers, shares as Excel percentages.
    book = openpyxl.load_workbook(io.BytesIO(report.xlsx))
    figures = {r[0]: r[1:4] for r in book["Cijfers"].iter_rows(values_only=True) if r[0]}
    assert figures["Meldingen"] == (4, 1, 2)
    assert figures["First time fix"] == (1.0, 0.0, "—")
    assert figures["Acuut op tijd ter plaatse"][0] == 1.0  # on site after 60 of 120 minutes
    assert figures["Enquête: vriendelijkheid"][0] == 4
    assert figures["Klanttevredenheid"][0] == 4.5
    assert figures["Urgentie"] == ("Deze periode", "Aandeel", "Vorige periode")
    assert figures["Acuut"][:2] == (1, 0.25)
    assert figures["Niet urgent"][:2] == (2, 0.5)
    assert book["Cijfers"]["A1"].value == "Weekrapportage Woonstad Utrecht"
    assert book["Cijfers"]["A2"].value == "week 23 2026 (01-06-2026 t/m 07-06-2026)"
    signals = [r for r in book["Signalen"].iter_rows(values_only=True) if r[0]]
    rows = {r[0]: r for r in signals}  # the rising complex and address
    assert rows["BLT Biltstraat-blok"][1:4] == (3, 1, 2)
    assert rows["Biltstraat 10, Utrecht"][1:4] == (2, 1, 1)
    # MK-2026-000003 twice: a herhaalmelding (of MK-2026-000001, 7 days later) and overdue.
    repeat, overdue = [r for r in signals if r[0] == "MK-2026-000003"]
    assert repeat[1:6] == ("Biltstraat 10, Utrecht", "Lekkage aan woning", "02-06-2026",
                           "MK-2026-000001", 7)  # fmt: skip
    assert overdue[2:5] == ("Urgent", "03-06-2026 12:00", "Doorgezet naar monteur")
    assert len([r for r in signals if str(r[0]).startswith("MK-")]) == 2  # Lichtveld's: none
    # The PDF: the same in Dutch, readable.
    text = pdf_text(report.pdf)
    for heading in (
        "Weekrapportage Woonstad Utrecht",
        "week 23 2026 (01-06-2026 t/m 07-06-2026)",
        "Cijfers",
        "Urgentie",
        "Complexen met meer storingen",
        "Adressen met meer storingen",
        "Herhaalmeldingen",
        "Dossiers over de deadline",
    ):
        assert heading in text, heading
    assert "Meldingen 4 1 2" in text
    assert "First time fix 100% 0% —" in text
    assert "Acuut 1 25% 0 0% 0 0%" in text
    assert "BLT Biltstraat-blok 3 1 2" in text
    assert "Signalen: 1 complex met meer storingen; 1 adres met meer storingen" in text
    assert "Lichtveld" not in text
    # Built once: asked again, the kept report comes back as it is.
    again = await reports.build(rw.w.woonstad, reports.WEEK, WEEK, NOW)
    assert again.id == report.id and await ClientReport.all().count() == 1


async def test_a_quiet_week_has_no_signals(rw: report_world.ReportWorld) -> None:
    content = await reports.gather(rw.w.lichtveld, reports.WEEK, WEEK, NOW)
    assert content.line("Meldingen").values == (5, 0, 0)
    assert content.signals == ["1 adres met meer storingen"]  # Dorpsstraat 3: 5 against 0
    quiet = Period(date(2026, 7, 6), date(2026, 7, 12))
    assert (await reports.gather(rw.w.lichtveld, reports.WEEK, quiet, NOW)).signals == []


def test_periods() -> None:
    assert reports.parse_week("2026-W23") == Period(date(2026, 6, 1), date(2026, 6, 7))
    assert reports.parse_week("2026w1").first == date(2025, 12, 29)
    assert reports.last_week(date(2026, 6, 8)) == WEEK
    assert reports.last_week(date(2026, 6, 14)) == WEEK  # Sunday: still last week's
    # 2026 has a week 53; 2025 has not: its last week stands in.
    w53 = reports.parse_week("2026-W53")
    assert reports.same_period_last_year("week", w53) == reports.parse_week("2025-W52")
    nov = reports.parse_month("2026-11")
    assert reports.same_period_last_year("maand", nov) == reports.parse_month("2025-11")
    assert reports.period_code("week", WEEK) == "2026-W23"
    for bad, kind in (("2026-W54", "week"), ("W23", "week"), ("2026-13", "maand"), ("", "maand")):
        with pytest.raises(Unprocessable) as caught:
            reports.period_of(kind, bad)
        assert caught.value.message.startswith(f"'{bad}' is geen ")
    # Monthly: due from the month's first working day (1 January is a holiday, then a weekend).
    assert reports.due("maand", date(2027, 1, 3)) is None
    assert reports.due("maand", date(2027, 1, 4)) == reports.parse_month("2026-12")


def test_recipients_are_checked_one_by_one() -> None:
    assert reports.parse_recipients(" a@x.nl, b@y.nl;\nA@x.nl ") == ["a@x.nl", "b@y.nl"]
    assert reports.parse_recipients("") == []
    with pytest.raises(Unprocessable) as caught:
        reports.parse_recipients("a@x.nl, geen-adres")
    assert caught.value.message == "Ontvanger 'geen-adres' is geen geldig e-mailadres."
    many = ",".join(f"p{i}@x.nl" for i in range(11))
    with pytest.raises(Unprocessable, match="hoogstens 10 ontvangers"):
        reports.parse_recipients(many)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_recipients_fuzz(raw: str) -> None:
    """Anything typed is a list of checked addresses or a Dutch error; nothing else."""
    try:
        found = reports.parse_recipients(raw)
    except Unprocessable as exc:
        assert exc.field == "report_recipients" and exc.message
        return
    assert len(found) <= reports.MAX_RECIPIENTS
    for address in found:
        assert "@" in address and not any(c.isspace() for c in address)
        assert reports.parse_recipients(address) == [address]


async def test_after_a_pdf_a_cut_off_photo_is_still_refused(
    rw: report_world.ReportWorld,
) -> None:
    """WeasyPrint's import makes Pillow take truncated images for whole, for the whole
    process: a worker that made a report must still refuse a technician's cut-off photo."""
    from media import DEFAULT_LIMITS, PhotoError
    from media.validate import open_image
    from tests.media.images import photo

    client_report_pdf.local_fetcher(rw.w.woonstad)  # imports WeasyPrint
    whole = photo("JPEG", (200, 100), quality=90)
    open_image(whole, DEFAULT_LIMITS)
    with pytest.raises(PhotoError) as refused:
        open_image(whole[: len(whole) // 2], DEFAULT_LIMITS)
    assert refused.value.code == "corrupt"


async def test_a_report_fetches_nothing_from_elsewhere(rw: report_world.ReportWorld) -> None:
    client = rw.w.woonstad
    client.settings = {**client.settings, "logo_png": "iVBORw0KGgo="}
    fetcher = client_report_pdf.local_fetcher(client)
    logo = fetcher.fetch(f"{client_report_pdf.settings.BASE_URL}/merk/WST/logo.png")
    assert logo.read() == b"\x89PNG\r\n\x1a\n"
    for url in ("https://example.com/x.png", "file:///etc/passwd", "http://127.0.0.1:1/"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


async def test_without_weasyprint_the_report_says_why_and_keeps_the_workbook(
    rw: report_world.ReportWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server without WeasyPrint (or pango) still starts and builds the workbook; the report
    says in Dutch what is missing, is not sent, and is built again once it can be."""
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint fails
    report = await reports.build(rw.w.woonstad, reports.WEEK, WEEK, NOW)
    assert (report.status, report.pdf) == ("mislukt", None)
    assert report.error.startswith("De PDF kan niet worden gemaakt: WeasyPrint")
    assert openpyxl.load_workbook(io.BytesIO(report.xlsx))["Cijfers"]["A1"].value
    assert await reports.send(report, NOW) == 0
    assert reports.STATUS_LABELS[report.status] == "Maken mislukt"
