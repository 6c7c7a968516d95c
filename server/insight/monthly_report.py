"""The monthly telephony report: on the first working day of a month (weekends and Dutch public
holidays skipped) every client with a report address gets last month's figures by e-mail, the
workbook and a PDF of the same tables attached, through the outbox. Without WeasyPrint the
workbook goes alone (logged), as before the reports issue.

Once per client and month: the outbox row's key names both, and the outbox keeps a key unique,
so a cron that fires twice, two workers, or a rerun after a crash record it once.
"""

from __future__ import annotations

import base64
import logging
from datetime import UTC, date, datetime

from server.communication import outbox
from server.communication.outbox import Recipient
from server.domain import dutch
from server.domain import telephony as rules
from server.domain.kpis import TZ, Grain, Period
from server.insight import client_report_pdf, telephony, telephony_sheet, telephony_tables
from server.insight.figures import Scope
from server.messaging.kinds import Channel
from server.messaging.messages import TelefonieRapport
from server.models import Client, OutboundMessage
from server.triage.office import holiday_name

log = logging.getLogger("meldkamer.reports")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_holiday(day: date) -> bool:
    return holiday_name(day) is not None


def key_of(client: Client, month: Period) -> str:
    return f"telefonierapport:{client.code}:{month.first:%Y-%m}"


def report_address(client: Client) -> str:
    return str((client.settings or {}).get(rules.REPORT_EMAIL_SETTING) or "").strip()


async def send_due(today: date | None = None, at: datetime | None = None) -> int:
    """Record the reports due on `today` (local date; default today); returns how many."""
    at = at or datetime.now(UTC)
    month = rules.report_due(today or at.astimezone(TZ).date(), is_holiday)
    if month is None:
        return 0
    recorded = 0
    for client in await Client.filter(active=True).order_by("id"):
        address = report_address(client)
        if not address:
            continue
        try:
            recorded += await send_one(client, address, month, at)
        except Exception:  # one client's failure must not keep the others' reports back
            log.exception("telephony report for %s could not be recorded", client.code)
    return recorded


async def send_one(client: Client, address: str, month: Period, at: datetime) -> int:
    key = key_of(client, month)
    # The key outbox.record gives the row of its one recipient: found by the unique index.
    if await OutboundMessage.exists(key=f"{key}:{Channel.EMAIL.value}:0"):
        return 0  # recorded before: this month's report went (or goes) out once
    norm = rules.norm_of(client.settings)
    labels = telephony.labels_of(client)
    found = await telephony.figures(Scope((client.id,)), month, Grain.DAG, norm, labels)
    label = rules.month_label(month)
    filename = f"telefonierapport-{client.code}-{month.first:%Y-%m}.xlsx"
    workbook = telephony_sheet.workbook(found, f"Telefonierapport {client.name}, {label}")
    calls = found.calls.total
    level = calls.service_level
    message = TelefonieRapport(
        opdrachtgever=client.name,
        maand=label,
        aangeboden=calls.offered,
        aangenomen=calls.answered,
        servicelevel="—" if level is None else f"{level:.1f}%".replace(".", ","),
        norm=norm,
        gehaald=level is not None and level >= norm,
        verloren=calls.abandoned,
        bijlage=filename,
    )
    attachments = [
        {
            "filename": filename,
            "content_type": XLSX,
            "base64": base64.b64encode(workbook).decode("ascii"),
        }
    ]
    heading = f"Telefonierapport {client.name}"
    try:
        pdf = client_report_pdf.telephony(
            client, heading, label, telephony_tables.tables(found), dutch.moment(at)
        )
        attachments.append(
            {
                "filename": filename.removesuffix(".xlsx") + ".pdf",
                "content_type": "application/pdf",
                "base64": base64.b64encode(pdf).decode("ascii"),
            }
        )
    except client_report_pdf.PdfUnavailable:
        log.warning("telephony report for %s goes without its PDF", client.code)
    rows = await outbox.record(
        message,
        client=client,
        dossier=None,
        recipients=[Recipient(Channel.EMAIL, address, client.name)],
        key=key,
        at=at,
        data={"attachments": attachments},
    )
    return len(rows)
