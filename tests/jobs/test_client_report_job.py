"""The weekly client report through the worker: a real arq worker (burst) on Redis builds it
on Monday and sends it through the outbox to aiosmtpd, PDF and workbook attached, once per
client and week however often the job runs; a mail server that refuses for a moment gets it
again (the outbox's retry)."""

from __future__ import annotations

import email
import io
from datetime import date
from email import policy
from email.message import Message
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader

from server.insight import client_report as reports
from server.jobs import queue
from server.jobs.worker import make_worker
from server.models import ClientReport, OutboundMessage
from tests.insight import report_world
from tests.insight.report_world import RECIPIENTS, WEEK
from tests.jobs.conftest import burst
from tests.support.channels import Channels


@pytest.fixture
async def rw(db_clean: None) -> report_world.ReportWorld:
    return await report_world.build()


def attachments(mail: Message) -> dict[str, tuple[str, bytes]]:
    found = {}
    for part in mail.walk():
        if part.get_content_disposition() == "attachment":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            found[str(part.get_filename())] = (part.get_content_type(), payload)
    return found


async def test_the_weekly_report_arrives_once_as_pdf_and_xlsx(
    redis_url: str, rw: report_world.ReportWorld, channels: Channels
) -> None:
    # Monday 8 June 2026: the cron fires, and fires again (a second worker, a rerun).
    await queue.enqueue("send_client_reports", "2026-06-08", job_id="cron-1")
    await queue.enqueue("send_client_reports", "2026-06-08", job_id="cron-2")
    done, failed = await burst(redis_url)
    assert failed == 0 and done == 4  # two report jobs, one send_message per recipient
    assert sorted(e.rcpt_tos[0] for e in channels.inbox.envelopes) == sorted(RECIPIENTS)
    mail = email.message_from_bytes(channels.inbox.envelopes[0].content, policy=policy.default)
    assert mail["Subject"].strip() == (
        "Weekrapportage Woonstad Utrecht: week 23 2026 (01-06-2026 t/m 07-06-2026)"
    )
    text = next(p for p in mail.walk() if p.get_content_type() == "text/plain")
    body = text.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "Meldingen: 4 (vorige periode: 1)" in body
    assert "- 1 herhaalmelding" in body
    found = attachments(mail)
    assert set(found) == {
        "weekrapportage-WST-2026-W23.pdf",
        "weekrapportage-WST-2026-W23.xlsx",
    }
    kind, pdf = found["weekrapportage-WST-2026-W23.pdf"]
    assert kind == "application/pdf"
    assert "Weekrapportage Woonstad Utrecht" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    book = openpyxl.load_workbook(io.BytesIO(found["weekrapportage-WST-2026-W23.xlsx"][1]))
    assert book.sheetnames == ["Cijfers", "Signalen"]
    report = await ClientReport.get()
    assert (report.kind, report.first_day, report.status, report.attempts) == (
        "week",
        WEEK.first,
        "verstuurd",
        1,
    )
    assert report.sent_to == RECIPIENTS
    # Tuesday's cron and a rerun: nothing new, and Lichtveld (reports off) never had one.
    await queue.enqueue("send_client_reports", "2026-06-09", job_id="cron-3")
    assert await burst(redis_url) == (1, 0)
    assert len(channels.inbox.envelopes) == 2
    assert await ClientReport.all().count() == 1
    assert await OutboundMessage.filter(kind="rapportage").count() == 2


async def test_a_refused_send_is_tried_again(
    redis_url: str, rw: report_world.ReportWorld, channels: Channels
) -> None:
    """The mail server says 'try later' once: the outbox sends it again, the report arrives."""
    refused: list[str] = []
    accept = channels.inbox.handle_RCPT

    async def once(server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if not refused:
            refused.append(address)
            return "451 4.3.0 Even niet, probeer het later"
        return await accept(server, session, envelope, address, options)

    channels.inbox.handle_RCPT = once  # type: ignore[method-assign]
    client = rw.w.woonstad
    client.settings = {**client.settings, "report_recipients": RECIPIENTS[:1]}
    await client.save()
    # A kept report (its bytes need no rendering here): what the cron hands to the outbox.
    report = await ClientReport.create(
        client=client, kind="week", first_day=WEEK.first, last_day=WEEK.last,
        built_at=report_world.NOW, pdf=b"%PDF-1.7 rapport", xlsx=b"PK werkboek",
        summary={"meldingen": 4, "vorige": 1, "signalen": []},
    )  # fmt: skip
    assert await reports.send(report, report_world.NOW) == 1
    assert await burst(redis_url) == (1, 0)
    assert refused == RECIPIENTS[:1]
    (envelope,) = channels.inbox.envelopes
    row = await OutboundMessage.get(kind="rapportage")
    assert (row.status, row.attempts) == ("verzonden", 2)
    files = attachments(email.message_from_bytes(envelope.content))
    assert files["weekrapportage-WST-2026-W23.pdf"] == ("application/pdf", b"%PDF-1.7 rapport")
    # 'Nu opnieuw versturen' is a new attempt with its own outbox row.
    await report.refresh_from_db()
    assert await reports.send(report, report_world.NOW, again=True) == 1
    assert await burst(redis_url) == (1, 0)
    assert len(channels.inbox.envelopes) == 2
    await report.refresh_from_db()
    assert report.attempts == 2


async def test_monthly_waits_for_the_first_working_day(rw: report_world.ReportWorld) -> None:
    client = rw.w.woonstad
    client.settings = {**client.settings, "report_weekly": False, "report_monthly": True}
    await client.save()
    assert reports.due("maand", date(2027, 1, 1)) is None
    assert await reports.send_all_due(date(2027, 1, 1)) == 0
    assert await ClientReport.all().count() == 0


def test_the_worker_runs_it_every_morning(redis_url: str) -> None:
    crons = {c.name: c for c in make_worker(redis_url=redis_url).cron_jobs}
    job = crons["cron:send_client_reports"]
    assert (job.hour, job.minute, job.run_at_startup) == ({6}, {10}, True)
