"""Reading the mailboxes is the worker's job: queued on real Redis and run by a burst arq
worker against a real IMAP server, and in the worker's cron every minute."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from server.jobs import queue
from server.jobs.worker import make_worker
from server.models import Contact
from tests.contacts.dovecot import Dovecot, binary, start
from tests.contacts.mail_support import at, give_mailbox, mail
from tests.jobs.conftest import burst
from tests.support import world


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    if binary() is None:
        message = "dovecot is missing (apt-get install dovecot-imapd; scripts/ensure-packages)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    yield from start()


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def test_the_worker_reads_every_clients_mailbox(
    redis_url: str, w: world.World, dovecot: Dovecot
) -> None:
    wst = await give_mailbox(w.woonstad, dovecot)
    lvd = await give_mailbox(w.lichtveld, dovecot)
    dovecot.deliver(wst, mail("Lekkage"), at(0))
    dovecot.deliver(lvd, mail("Deurbel kapot"), at(1))

    await queue.enqueue("poll_mailboxes", job_id="mail-test")
    assert await burst(redis_url) == (1, 0)

    found = {(c.client_id, c.subject) for c in await Contact.filter(channel="email")}
    assert found == {(w.woonstad.id, "Lekkage"), (w.lichtveld.id, "Deurbel kapot")}


def test_the_worker_polls_the_mailboxes_every_minute() -> None:
    worker = make_worker(redis_url="redis://127.0.0.1:6379/0")
    (job,) = [c for c in worker.cron_jobs if c.name == "cron:poll_mailboxes"]
    assert job.minute is None and job.second == 0 and job.run_at_startup
