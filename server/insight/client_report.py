"""The weekly and monthly report to a client: the dashboard's figures for the period against the
previous period and the same period last year, and the signals (faults rising per complex or
address, herhaalmeldingen, dossiers past their deadline), as PDF and workbook, e-mailed to the
client's report recipients and kept for the portal.

The figures are the dashboard's (server/insight/dashboard.headline, server/domain/kpis.py): no
second definition. One report per client, kind and period: the table's unique key and the
outbox key keep it to one however many workers or reruns (docs/admin.md, "Rapportages").
"""

from __future__ import annotations

import asyncio
import base64
import logging
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from server import db
from server.communication import outbox
from server.communication.outbox import Recipient
from server.domain import codes, dutch, kpis
from server.domain import telephony as telephony_rules
from server.domain.errors import Unprocessable
from server.domain.kpis import TZ, Period
from server.domain.lifecycle import PHASE_LABELS
from server.insight import client_report_pdf, client_report_sheet
from server.insight.dashboard import headline
from server.insight.figures import Figures, Scope

# Re-exported: the pages and the CLI name the kinds through this module.
from server.insight.report_content import KIND_LABELS as KIND_LABELS
from server.insight.report_content import MONTH as MONTH
from server.insight.report_content import WEEK as WEEK
from server.insight.report_content import Content, Line, Table, period_code, period_name
from server.insight.sql import start_reading
from server.messaging.kinds import STATUS_LABELS as STATUS_TEXT
from server.messaging.kinds import Channel, Kind
from server.messaging.messages import Rapportage
from server.models import Address, Client, ClientReport, Complex, OutboundMessage
from server.triage.office import holiday_name

log = logging.getLogger("meldkamer.reports")

SETTING = {WEEK: "report_weekly", MONTH: "report_monthly"}
RECIPIENTS_SETTING = "report_recipients"
MAX_RECIPIENTS = 10
# A complex or address is a signal when it had at least this many reports and more than before.
RISING_MINIMUM = 2
SIGNAL_ROWS = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
STATUS_LABELS = {
    "gebouwd": "Gemaakt, niet verstuurd",
    "verstuurd": "Verstuurd",
    "geen_ontvangers": "Geen ontvangers ingesteld",
    "mislukt": "Maken mislukt",
}


# -- settings -------------------------------------------------------------------------------


def enabled(client: Client, kind: str) -> bool:
    return bool((client.settings or {}).get(SETTING[kind]))


def recipients_of(client: Client) -> list[str]:
    found = (client.settings or {}).get(RECIPIENTS_SETTING) or []
    return [str(a) for a in found if isinstance(a, str) and a]


def parse_recipients(raw: str) -> list[str]:
    """Addresses as typed: separated by commas, semicolons, spaces or lines; each checked
    (Dutch error naming the first wrong one), duplicates dropped, at most MAX_RECIPIENTS."""
    found: list[str] = []
    for part in re.split(r"[,;\s]+", raw.strip()):
        if not part:
            continue
        try:
            address = telephony_rules.checked_report_email(part)
        except Unprocessable:
            raise Unprocessable(
                f"Ontvanger '{part[:80]}' is geen geldig e-mailadres.", RECIPIENTS_SETTING
            ) from None
        if address.lower() not in (a.lower() for a in found):
            found.append(address)
    if len(found) > MAX_RECIPIENTS:
        raise Unprocessable(
            f"Geef hoogstens {MAX_RECIPIENTS} ontvangers op (nu {len(found)}).", RECIPIENTS_SETTING
        )
    return found


# -- periods --------------------------------------------------------------------------------


def week_period(year: int, week: int) -> Period:
    monday = date.fromisocalendar(year, week, 1)
    return Period(monday, monday + timedelta(days=6))


def parse_week(raw: str) -> Period:
    """'2026-W23' (ISO week) as a period, Monday to Sunday."""
    match = re.fullmatch(r"\s*(\d{4})-?[Ww](\d{1,2})\s*", raw)
    try:
        if match is None:
            raise ValueError
        return week_period(int(match[1]), int(match[2]))
    except ValueError:
        raise Unprocessable(f"'{raw[:20]}' is geen week als 2026-W23.", "week") from None


def parse_month(raw: str) -> Period:
    """'2026-11' as the period of that month."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", raw)
    if match is None or not 1 <= int(match[2]) <= 12 or int(match[1]) < 2000:
        raise Unprocessable(f"'{raw[:20]}' is geen maand als 2026-11.", "maand")
    return telephony_rules.month_period(int(match[1]), int(match[2]))


def period_of(kind: str, raw: str) -> Period:
    return parse_week(raw) if kind == WEEK else parse_month(raw)


def last_week(today: date) -> Period:
    """The ISO week before the one `today` falls in."""
    monday = today - timedelta(days=today.weekday() + 7)
    return Period(monday, monday + timedelta(days=6))


def same_period_last_year(kind: str, period: Period) -> Period:
    """The same ISO week (the last one, when last year had no week 53) or the same month."""
    if kind == MONTH:
        return telephony_rules.month_period(period.first.year - 1, period.first.month)
    year, week, _ = period.first.isocalendar()
    try:
        return week_period(year - 1, week)
    except ValueError:
        return week_period(year - 1, 52)


def is_holiday(day: date) -> bool:
    return holiday_name(day) is not None


def due(kind: str, today: date) -> Period | None:
    """The period whose report is due on `today` (local): last week from Monday on, last month
    from the month's first working day on (a worker down that day catches up later)."""
    if kind == WEEK:
        return last_week(today)
    return telephony_rules.report_due(today, is_holiday)


# -- content --------------------------------------------------------------------------------


def _address(r: dict[str, Any]) -> str:
    number = f"{r['house_number'] or ''}{r['suffix'] or ''}"
    return " ".join(p for p in (str(r["street"] or ""), number) if p) + (
        f", {r['city']}" if r["city"] else ""
    )


def _moment(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    moment: datetime = value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def gather(client: Client, kind: str, period: Period, now: datetime) -> Content:
    """Every figure of the report, read in one snapshot like the dashboard."""
    periods = (period, period.previous(), same_period_last_year(kind, period))
    content = Content(client, kind, *periods, built_at=now)
    async with in_transaction() as conn:
        await start_reading(conn, db.dialect())
        f = Figures(conn, db.dialect(), Scope((client.id,)))
        heads = [await headline(f, p, now) for p in periods]
        content.lines = [
            Line(k.label, k.unit, (heads[0][k.key], heads[1][k.key], heads[2][k.key]),
                 k.higher_is_better)
            for k in kpis.KPIS
        ]  # fmt: skip
        surveys = [await f.survey(p) for p in periods]
        for aspect in kpis.SURVEY_ASPECTS:
            content.lines.append(
                Line(
                    f"Enquête: {kpis.SURVEY_LABELS[aspect].lower()}",
                    "score",
                    tuple(_value(s, aspect) for s in surveys),  # type: ignore[arg-type]
                )
            )
        content.lines.append(
            Line("Enquêtes ingevuld", "aantal", tuple(_value(s, "n") for s in surveys))  # type: ignore[arg-type]
        )
        content.tables.append(await _urgency(f, content, heads))
        rising = await _rising(f, period)
        repeats = await f.repeats(period, SIGNAL_ROWS)
        overdue_total, overdue = await f.overdue(period, SIGNAL_ROWS)
    content.tables += rising
    content.tables.append(
        Table(
            "Herhaalmeldingen",
            ["Ordernummer", "Adres", "Categorie", "Gemeld", "Herhaling van", "Dagen later"],
            [
                [
                    r["order_number"],
                    _address(r),
                    codes.CATEGORY_LABELS.get(r["category"], r["category"]),
                    dutch.day(_moment(r["created_at"])),
                    r["parent"],
                    (_moment(r["created_at"]) - _moment(r["parent_created_at"])).days,
                ]
                for r in repeats
            ],
            ["tekst", "tekst", "tekst", "tekst", "tekst", "aantal"],
            note="Meldingen die de meldkamer als herhaling van een eerdere melding vastlegde.",
            empty="Geen herhaalmeldingen.",
        )
    )
    content.tables.append(
        Table(
            "Dossiers over de deadline",
            ["Ordernummer", "Adres", "Urgentie", "Deadline", "Fase"],
            [
                [
                    r["order_number"],
                    _address(r),
                    codes.URGENCY_LABELS.get(r["urgency"] or "", r["urgency"] or "—"),
                    dutch.moment(_moment(r["deadline_at"])),
                    PHASE_LABELS.get(r["phase"], r["phase"]),
                ]
                for r in overdue
            ],
            ["tekst"] * 5,
            note=f"Open aan het eind van de periode met de deadline verstreken: {overdue_total}.",
            empty="Geen dossiers over de deadline.",
        )
    )
    content.signals = [
        _count(n, one, many)
        for n, one, many in (
            (len(rising[0].rows), "complex met meer storingen", "complexen met meer storingen"),
            (len(rising[1].rows), "adres met meer storingen", "adressen met meer storingen"),
            (len(repeats), "herhaalmelding", "herhaalmeldingen"),
            (overdue_total, "dossier over de deadline", "dossiers over de deadline"),
        )
        if n
    ]
    return content


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _value(survey: dict[str, Any] | None, key: str) -> float | None:
    if not survey or not survey.get("n"):
        return None
    value = survey.get(key)
    return None if value is None else float(value)


async def _urgency(f: Figures, content: Content, heads: list[dict[str, Any]]) -> Table:
    """Reports per urgency in the three periods: number and share of all reports."""
    periods = (content.period, content.previous, content.last_year)
    counts = [dict(await f.count_by(p, "urgency")) for p in periods]
    totals = [int(h["reports"] or 0) for h in heads]
    rows: list[list[Any]] = []
    for urgency, label in codes.URGENCY_LABELS.items():
        row: list[Any] = [label]
        for i in range(3):
            n = counts[i].get(urgency, 0)
            row += [n, kpis.share(n, totals[i])]
        rows.append(row)
    return Table(
        "Urgentie",
        ["Urgentie", "Deze periode", "Aandeel", "Vorige periode", "Aandeel", "Vorig jaar",
         "Aandeel"],
        rows,
        ["tekst", "aantal", "%", "aantal", "%", "aantal", "%"],
        note="Aandeel van alle meldingen in de periode.",
    )  # fmt: skip


async def _rising(f: Figures, period: Period) -> list[Table]:
    tables = []
    for by, title, what in (
        ("complex", "Complexen met meer storingen", "Complex"),
        ("address", "Adressen met meer storingen", "Adres"),
    ):
        found = await f.rising(period, by, RISING_MINIMUM, SIGNAL_ROWS)
        ids = [k for k, _, _ in found]
        names: dict[int, str] = {}
        if by == "complex":
            for c in await Complex.filter(id__in=ids):
                names[c.id] = f"{c.code} {c.name}".strip()
        else:
            for a in await Address.filter(id__in=ids):
                names[a.id] = f"{a.street} {a.house_number}{a.suffix}, {a.city}"
        tables.append(
            Table(
                title,
                [what, "Deze periode", "Vorige periode", "Toename"],
                [[names.get(k, str(k)), now, before, now - before] for k, now, before in found],
                ["tekst", "aantal", "aantal", "aantal"],
                note=f"Minstens {RISING_MINIMUM} meldingen en meer dan in de vorige periode.",
                empty="Geen stijging.",
            )
        )
    return tables


# -- building and sending --------------------------------------------------------------------


# What a list of reports shows: not the files, which are read only to download or send them.
LISTED = ("id", "client_id", "kind", "first_day", "last_day", "built_at", "status", "error",
          "sent_to", "attempts")  # fmt: skip


async def listed(client: Client, limit: int) -> list[ClientReport]:
    """The client's reports, newest period first, without their files."""
    found = ClientReport.filter(client=client).order_by("-first_day", "kind", "-id")
    return list(await found.limit(limit).only(*LISTED))


async def deliveries(client: Client, shown: list[ClientReport]) -> dict[int, list[str]]:
    """Per listed report, what the outbox did with its latest attempt, per recipient:
    'a@b.nl: verzonden', 'c@d.nl: in de wachtrij (poging 2)', 'e@f.nl: mislukt (reden)'."""
    keys = {
        f"rapportage:{client.code}:{r.kind}:{r.first_day.isoformat()}:{r.attempts}": r.id
        for r in shown
        if r.attempts
    }
    found: dict[int, list[str]] = {}
    if not keys:
        return found
    rows = OutboundMessage.filter(client=client, kind=Kind.RAPPORTAGE.value).order_by("id")
    for row in await rows.only("key", "recipient", "status", "attempts", "last_error"):
        report_id = keys.get(row.key.rsplit(":", 2)[0])
        if report_id is None:
            continue
        text = f"{row.recipient}: {STATUS_TEXT.get(row.status, row.status)}"
        if row.status == "wachtrij" and row.attempts:
            text += f" (poging {row.attempts + 1})"
        elif row.last_error:
            text += f" ({row.last_error[:120]})"
        found.setdefault(report_id, []).append(text)
    return found


def period_of_report(report: ClientReport) -> Period:
    return Period(report.first_day, report.last_day)


def name_of(report: ClientReport) -> str:
    """'Weekrapportage week 23 2026 (…)' as the lists show a kept report."""
    return f"{KIND_LABELS[report.kind]} {period_name(report.kind, period_of_report(report))}"


def filename(client: Client, kind: str, period: Period, ext: str) -> str:
    return f"{kind}rapportage-{client.code}-{period_code(kind, period)}.{ext}"


async def build(
    client: Client, kind: str, period: Period, at: datetime, *, again: bool = False
) -> ClientReport:
    """The report of this client, kind and period: the one kept, or built now (`again`:
    rebuilt with today's data). A PDF that cannot be made (WeasyPrint missing) leaves the
    workbook and the reason."""
    existing = await ClientReport.get_or_none(client=client, kind=kind, first_day=period.first)
    if existing is not None and existing.status != "mislukt" and not again:
        return existing
    content = await gather(client, kind, period, at)
    xlsx = client_report_sheet.workbook(content)
    pdf: bytes | None = None
    error = ""
    try:
        # WeasyPrint takes a second or so per report: off the event loop.
        pdf = await asyncio.to_thread(client_report_pdf.report, content)
    except client_report_pdf.PdfUnavailable as exc:
        error = str(exc)
        log.error("report %s %s %s: %s", client.code, kind, period.first, error)
    reports = content.line(kpis.KPI_BY_KEY["reports"].label).values
    summary = {"meldingen": reports[0], "vorige": reports[1], "signalen": content.signals}
    values: dict[str, Any] = {"built_at": at, "pdf": pdf, "xlsx": xlsx, "last_day": period.last}
    values |= {"summary": summary}
    values |= {"status": "mislukt" if pdf is None else "gebouwd", "error": error}
    if existing is not None:
        await ClientReport.filter(id=existing.id).update(**values)
        await existing.refresh_from_db()
        return existing
    try:
        async with in_transaction():
            return await ClientReport.create(
                client=client, kind=kind, first_day=period.first, **values
            )
    except IntegrityError:  # another worker built it at the same moment: theirs stands
        return await ClientReport.get(client=client, kind=kind, first_day=period.first)


async def send(report: ClientReport, at: datetime, *, again: bool = False) -> int:
    """Hand the report to the outbox for every recipient: once per report (the outbox key),
    or, `again`, as a new attempt ('nu opnieuw versturen'). Returns the rows recorded."""
    client = await Client.get(id=report.client_id)  # type: ignore[attr-defined]
    recipients = recipients_of(client)
    if report.pdf is None:
        return 0
    if not recipients:
        await ClientReport.filter(id=report.id).update(status="geen_ontvangers")
        return 0
    attempt = report.attempts + 1 if again or report.attempts == 0 else report.attempts
    period = Period(report.first_day, report.last_day)
    kind = report.kind
    names = (filename(client, kind, period, "pdf"), filename(client, kind, period, "xlsx"))
    message = Rapportage(
        opdrachtgever=client.name,
        soort=KIND_LABELS[kind],
        periode=period_name(kind, period),
        meldingen=int(report.summary.get("meldingen") or 0),
        meldingen_vorige=int(report.summary.get("vorige") or 0),
        signalen=tuple(str(s) for s in report.summary.get("signalen") or ()),
        bijlagen=names,
    )
    attachments = [
        {"filename": names[0], "content_type": PDF, "base64": _b64(report.pdf)},
        {"filename": names[1], "content_type": XLSX, "base64": _b64(report.xlsx or b"")},
    ]
    key = f"rapportage:{client.code}:{kind}:{report.first_day.isoformat()}:{attempt}"
    rows = await outbox.record(
        message,
        client=client,
        dossier=None,
        recipients=[Recipient(Channel.EMAIL, a, client.name) for a in recipients],
        key=key,
        at=at,
        data={"attachments": attachments},
    )
    if rows:
        await ClientReport.filter(id=report.id).update(
            status="verstuurd", sent_to=recipients, attempts=attempt
        )
    return len(rows)


def _b64(data: bytes) -> str:
    return base64.b64encode(bytes(data)).decode("ascii")


async def build_and_send(
    client: Client, kind: str, period: Period, at: datetime, *, again: bool = False
) -> ClientReport:
    report = await build(client, kind, period, at, again=again)
    await send(report, at, again=again)
    await report.refresh_from_db()
    return report


async def send_due(kind: str, today: date | None = None, at: datetime | None = None) -> int:
    """Build and send the reports of `kind` due on `today` (local; default today) for every
    client that has them on; returns how many clients' reports went to the outbox."""
    at = at or datetime.now(UTC)
    period = due(kind, today or at.astimezone(TZ).date())
    if period is None:
        return 0
    sent = 0
    for client in await Client.filter(active=True).order_by("id"):
        if not enabled(client, kind):
            continue
        try:
            report = await build(client, kind, period, at)
            sent += 1 if await send(report, at) else 0
        except Exception:  # one client's failure must not keep the others' reports back
            log.exception("%s report for %s could not be built", kind, client.code)
    return sent


async def send_all_due(today: date | None = None, at: datetime | None = None) -> int:
    """The daily job: last week's reports, and last month's from its first working day."""
    return await send_due(WEEK, today, at) + await send_due(MONTH, today, at)
