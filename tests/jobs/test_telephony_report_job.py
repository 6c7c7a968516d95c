"""The monthly telephony report: a real arq worker (burst) on Redis records it and sends it
through the outbox to aiosmtpd, workbook and PDF attached, once per client and month however
often the job runs."""

from __future__ import annotations

import email
import io
from datetime import UTC, date, datetime, timedelta
from email.message import Message

import openpyxl
import pytest
from pypdf import PdfReader

from server.insight import monthly_report
from server.jobs import queue
from server.jobs.worker import make_worker
from server.models import Contact, OutboundMessage
from tests.jobs.conftest import burst
from tests.support import world
from tests.support.channels import Channels

REPORT_TO = "rapportage@woonstad.example.nl"


@pytest.fixture
async def w(db_clean: None) -> world.World:
    built = await world.build()
    built.woonstad.settings = {"report_email": REPORT_TO, "service_level_norm": 85}
    await built.woonstad.save()
    # November 2026: 4 calls for Woonstad, 3 answered within 30 s, 1 abandoned; one in
    # October and one of Lichtveld's (no report address) that do not count.
    start = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    for n, (client, at, wait, talk) in enumerate(
        [
            (built.woonstad, start, 10, 120),
            (built.woonstad, start + timedelta(days=1), 25, 200),
            (built.woonstad, start + timedelta(days=8), 12, 90),
            (built.woonstad, start + timedelta(days=9), 50, None),
            (built.woonstad, datetime(2026, 10, 30, 9, tzinfo=UTC), 5, 60),
            (built.lichtveld, start, 5, 60),
        ]
    ):
        answered = at + timedelta(seconds=wait) if talk else None
        await Contact.create(
            client=client,
            channel="telefoon_in",
            call_id=f"api:rapport-{n}",
            state="afgerond" if talk else "gemist",
            offered_at=at,
            answered_at=answered,
            ended_at=(answered + timedelta(seconds=talk)) if answered and talk else at,
            wait_seconds=wait,
            talk_seconds=talk,
            wrap_seconds=0 if talk else None,
            created_at=at,
        )
    return built


def attachment(mail: Message) -> tuple[str, bytes]:
    for part in mail.walk():
        if part.get_content_disposition() == "attachment":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return str(part.get_filename()), payload
    raise AssertionError("no attachment")


async def test_report_goes_out_once_on_the_first_working_day(
    redis_url: str, w: world.World, channels: Channels
) -> None:
    # Tuesday 1 December 2026 is the first working day: the cron fires twice that morning.
    await queue.enqueue("send_telephony_reports", "2026-12-01", job_id="cron-1")
    await queue.enqueue("send_telephony_reports", "2026-12-01", job_id="cron-2")
    done, failed = await burst(redis_url)
    assert failed == 0 and done == 3  # two report jobs, one send_message
    (envelope,) = channels.inbox.envelopes
    assert envelope.rcpt_tos == [REPORT_TO]
    mail = email.message_from_bytes(envelope.content)
    assert mail["Subject"] == "Telefonierapport Woonstad Utrecht: november 2026"
    text = next(p for p in mail.walk() if p.get_content_type() == "text/plain")
    body = text.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "Aangeboden gesprekken: 4" in body
    assert "75,0%, norm 85%: niet gehaald" in body
    name, data = attachment(mail)
    assert name == "telefonierapport-WST-2026-11.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Telefonie"]
    values = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r[0]}
    assert values["Aangeboden gesprekken"] == 4
    assert values["Aangenomen binnen 30 seconden"] == 3
    assert values["Norm (%)"] == 85
    # The same tables as PDF, for reading and printing (issue #13: "PDF when the reports
    # issue has landed").
    (pdf,) = [p for p in mail.walk() if p.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == "telefonierapport-WST-2026-11.pdf"
    content = pdf.get_payload(decode=True)
    assert isinstance(content, bytes)
    text = " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())
    assert "Telefonierapport Woonstad Utrecht" in text and "november 2026" in text
    assert "Aangeboden gesprekken 4" in text
    # The next day's cron, and a rerun: nothing new.
    await queue.enqueue("send_telephony_reports", "2026-12-02", job_id="cron-3")
    assert await burst(redis_url) == (1, 0)
    assert len(channels.inbox.envelopes) == 1
    assert await OutboundMessage.filter(kind="telefonie_rapport").count() == 1


async def test_nothing_before_the_first_working_day(
    redis_url: str, w: world.World, channels: Channels
) -> None:
    # Friday 1 January 2027 is Nieuwjaarsdag, then a weekend: the report waits for Monday.
    for day in ("2027-01-01", "2027-01-02", "2027-01-03"):
        assert await monthly_report.send_due(date.fromisoformat(day)) == 0
    assert await OutboundMessage.filter(kind="telefonie_rapport").count() == 0
    assert await monthly_report.send_due(date(2027, 1, 4)) == 1
    row = await OutboundMessage.get(kind="telefonie_rapport")
    assert row.key.startswith("telefonierapport:WST:2026-12:")


def test_the_worker_runs_it_daily(redis_url: str) -> None:
    crons = {c.name: c for c in make_worker(redis_url=redis_url).cron_jobs}
    job = crons["cron:send_telephony_reports"]
    assert (job.hour, job.minute, job.run_at_startup) == ({7}, {5}, True)
