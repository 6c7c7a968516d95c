"""Reports as PDF: a Jinja2 HTML template (server/insight/templates/rapport.html) rendered by
WeasyPrint, in the client's colour with its logo as on its e-mails.

WeasyPrint is imported only when a PDF is made, so the app starts without it (or without
Debian's pango); a report then says so in Dutch (PdfUnavailable). Nothing is fetched from
elsewhere: the only resource a report names is the client's logo (/merk/<code>/logo.png),
served from the database by LocalFetcher, which refuses every other address.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from server import settings
from server.domain import brand, dutch
from server.models import Client

if TYPE_CHECKING:
    from server.insight.report_content import Content
    from server.insight.telephony_tables import Table as TelephonyTable

log = logging.getLogger("meldkamer.reports")
TEMPLATES = Path(__file__).parent / "templates"
MISSING = (
    "De PDF kan niet worden gemaakt: WeasyPrint of de systeembibliotheek pango ontbreekt op "
    "deze server (pip install weasyprint; Debian: libpango-1.0-0 en libpangoft2-1.0-0)."
)


class PdfUnavailable(Exception):
    """WeasyPrint cannot be loaded here; the message is for the admin screen."""


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[str]]  # as a person reads them
    numeric: list[bool]  # right-aligned columns
    note: str = ""
    empty: str = "Geen."


@dataclass
class Document:
    title: str
    subtitle: str
    client: Client
    built: str
    intro: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


@cache
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())


def html(doc: Document) -> str:
    house = brand.brand(doc.client.settings, doc.client.code, settings.BASE_URL)
    colour = house["huisstijl_kleur"]
    return (
        _env()
        .get_template("rapport.html")
        .render(
            doc=doc, colour=colour, on_colour=brand.text_colour(colour), logo_url=house["logo_url"]
        )
    )


def _weasyprint() -> Any:
    """WeasyPrint, imported when a PDF is first made (the app starts without it)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: pango missing
        log.error("weasyprint unavailable: %s", exc)
        raise PdfUnavailable(MISSING) from None
    # Its import sets Pillow's process-wide LOAD_TRUNCATED_IMAGES: from then on every photo
    # check in this process (media/) would take a cut-off JPEG or PNG as whole. Set it back:
    # a report only draws the client's logo, a whole PNG checked when it was uploaded.
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint


def render(doc: Document) -> bytes:
    weasyprint = _weasyprint()
    fetcher = _fetcher_class(weasyprint)(doc.client)
    pdf = weasyprint.HTML(string=html(doc), base_url=settings.BASE_URL, url_fetcher=fetcher)
    return bytes(pdf.write_pdf())


def _fetcher_class(weasyprint: Any) -> Any:
    base = weasyprint.urls.URLFetcher

    class LocalFetcher(base):  # type: ignore[misc,valid-type]
        """Serves the client's own logo from the database; refuses anything else, so
        building a report never reaches another server."""

        def __init__(self, client: Client) -> None:
            super().__init__(allowed_protocols=("data",))
            self.client = client

        def fetch(self, url: str, headers: Any = None) -> Any:
            if (
                url
                == brand.brand(self.client.settings, self.client.code, settings.BASE_URL)[
                    "logo_url"
                ]
            ):
                raw = self.client.settings.get("logo_png")
                data = base64.b64decode(raw) if isinstance(raw, str) else b""
                return weasyprint.urls.URLFetcherResponse(url, data, {"Content-Type": "image/png"})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"refused: a report fetches nothing from elsewhere ({url[:80]})")

    return LocalFetcher


def local_fetcher(client: Client) -> Any:
    """The fetcher a report renders with (for tests); PdfUnavailable without WeasyPrint."""
    return _fetcher_class(_weasyprint())(client)


def _numeric(units: list[str]) -> list[bool]:
    return [u in ("aantal", "%", "uur", "score") for u in units]


def report(content: Content) -> bytes:
    """The client report (server/insight/client_report.py) as PDF."""
    figures = Section(
        "Cijfers",
        content.columns,
        [
            [line.label, *(dutch.by_unit(v, line.unit) for v in line.values)]
            for line in content.lines
        ],
        [False, True, True, True],
        note="Definities: zie 'Definities' in het dashboard. — betekent: niets te meten.",
    )
    sections = [figures]
    for table in content.tables:
        sections.append(
            Section(
                table.title,
                table.columns,
                [[dutch.by_unit(v, u) for v, u in zip(row, table.units, strict=False)]
                 for row in table.rows],
                _numeric(table.units),
                table.note,
                table.empty,
            )
        )  # fmt: skip
    intro = (
        [f"Signalen: {'; '.join(content.signals)}."]
        if content.signals
        else ["Geen signalen in deze periode."]
    )
    doc = Document(
        content.title, content.subtitle, content.client,
        dutch.moment(content.built_at), intro, sections,
    )  # fmt: skip
    return render(doc)


def telephony(
    client: Client, heading: str, period_label: str, tables: list[TelephonyTable], built: str
) -> bytes:
    """The monthly telephony report as PDF: the workbook's tables, one after the other."""
    sections = []
    for table in tables:
        if table.key.startswith("bezetting") or table.key == "per_uur":
            continue  # the 24-column grids do not fit a page; they stay in the workbook
        rows = [[_cell(v) for v in row] for row in table.rows]
        numeric = [i > 0 for i in range(len(table.columns))]
        sections.append(Section(table.title, table.columns, rows, numeric, table.note))
    doc = Document(heading, period_label, client, built, [
        "De verdeling per uur en weekdag staat in het Excel-bestand."
    ], sections)  # fmt: skip
    return render(doc)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return dutch.number(value, 0)
    if isinstance(value, float):
        return dutch.number(value, 1)
    return str(value)
