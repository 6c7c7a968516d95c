"""IMAP IDLE: a mail read the moment it arrives, where the server offers it.

The worker holds one IDLE connection per client mailbox (at most MAX_WATCHES), each in a
thread of its own (IMAPClient blocks). When the server says a mail arrived (EXISTS), the
mailbox is polled at once: the same `mail_in.poll` as the minute's cron, with its lease, so a
mail is still marked handled only after its contact is committed, and the cron and IDLE never
read one mailbox at the same time. A server that does not offer IDLE, a connection that
drops, a password that cannot be read: that mailbox is left to the minute's poll, which runs
whatever happens here; a dropped connection is tried again after RETRY_SECONDS.

Which mailboxes are watched is read again every REFRESH_SECONDS (a mailbox added, changed or
removed on /contactinstellingen). With several workers, a claim in Redis gives each mailbox's
IDLE to one of them. Stopping ends every IDLE and logs out within a second or two.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from redis.asyncio import Redis

from server.contacts import mail_in, mailbox
from server.messaging.imap import Mailbox, MailboxError, MailboxSettings
from server.models import Client

log = logging.getLogger("meldkamer.mail")

MAX_WATCHES = 20  # IDLE connections per worker; the other mailboxes wait for the minute's poll
# RFC 2177: a server may drop a client idle for 30 minutes; IDLE is renewed well before.
RENEW_SECONDS = 10 * 60.0
RETRY_SECONDS = 30.0
REFRESH_SECONDS = 60.0
STEP_SECONDS = 1.0  # how often an idling thread looks whether it is told to stop
BUSY_SECONDS = 1.0  # the cron is reading the mailbox: try again after this


class Watch(threading.Thread):
    """One mailbox's IDLE connection. `arrived` is called (in this thread) when the mailbox
    should be read: once when the watch begins, then for every mail that arrives."""

    def __init__(
        self,
        client_id: int,
        where: MailboxSettings,
        arrived: Callable[[int], None],
        retry_seconds: float = RETRY_SECONDS,
    ) -> None:
        super().__init__(name=f"imap-idle-{client_id}", daemon=True)
        self.client_id = client_id
        self.where = where
        self.arrived = arrived
        self.retry_seconds = retry_seconds
        self.box: Mailbox | None = None  # the connection in use (tests cut it)
        self.stopping = threading.Event()
        self.idling = threading.Event()  # an IDLE is in progress now (tests wait for it)
        self.unsupported = False  # the server does not offer IDLE: the poll alone reads it

    def run(self) -> None:
        while not self.stopping.is_set():
            box = self.box = Mailbox(self.where)
            try:
                box.open(readonly=True)
                if not box.can_idle():
                    self.unsupported = True
                    log.info("mailbox of client %s: no IDLE, polled every minute", self.client_id)
                    return
                self.arrived(self.client_id)  # what came while nobody watched
                while not self.stopping.is_set():
                    self.idling.set()
                    if box.idle(RENEW_SECONDS, self.stopping.is_set, STEP_SECONDS):
                        self.arrived(self.client_id)
            except MailboxError as exc:
                log.warning("IDLE on the mailbox of client %s: %s", self.client_id, exc)
            finally:
                self.idling.clear()
                box.close()
            self.pause(self.retry_seconds)

    def pause(self, seconds: float) -> None:
        """Wait before trying again, seeing a stop within a tenth of a second. Short sleeps,
        not `stopping.wait(seconds)`: that waits for an absolute moment of the clock, and
        under a shifted clock (the suite's run a year ahead, faketime) it never returned."""
        end = time.monotonic() + seconds
        while not self.stopping.is_set() and time.monotonic() < end:
            time.sleep(min(0.1, seconds))


# With several workers, one holds a mailbox's IDLE: its claim in Redis, renewed every refresh;
# a worker that dies without letting go loses it after CLAIM_SECONDS to the next one.
CLAIM_KEY = "mk:mail-idle:{}"
CLAIM_SECONDS = 150
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0
"""
_LET_GO = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


@dataclass
class Idler:
    """The worker's IDLE connections, and the polls they set off. With `redis` (the worker's),
    a mailbox is watched by one worker only."""

    max_watches: int = MAX_WATCHES
    refresh_seconds: float = REFRESH_SECONDS
    retry_seconds: float = RETRY_SECONDS
    redis: Redis | None = None
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    watches: dict[int, Watch] = field(default_factory=dict)
    _polling: dict[int, asyncio.Task[None]] = field(default_factory=dict)
    _again: set[int] = field(default_factory=set)
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._keep())

    async def stop(self) -> None:
        """End every IDLE, log out, and let a poll in progress stop between mails."""
        self._stop.set()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        for watch in self.watches.values():
            watch.stopping.set()
        for watch in list(self.watches.values()):
            await asyncio.to_thread(watch.join, STEP_SECONDS + 10)
        for client_id in list(self.watches):
            await self._let_go(client_id)
        self.watches.clear()
        await asyncio.gather(*self._polling.values(), return_exceptions=True)

    async def _keep(self) -> None:
        while not self._stop.is_set():
            try:
                await self.refresh()
            except Exception:  # the database away for a moment: the next round tries again
                log.exception("reading the mailboxes to watch failed")
            await asyncio.sleep(self.refresh_seconds)

    async def refresh(self) -> None:
        """Watch every active client's mailbox (up to max_watches); stop watching those
        removed or changed (a changed one is watched again with its new settings)."""
        wanted: dict[int, MailboxSettings] = {}
        for client in await Client.filter(active=True).order_by("id"):
            where = mailbox.connection(client)
            if (
                where is not None
                and len(wanted) < self.max_watches
                and await self._claim(client.id)
            ):
                wanted[client.id] = where
        for client_id, watch in list(self.watches.items()):
            if wanted.get(client_id) != watch.where or not (watch.is_alive() or watch.unsupported):
                watch.stopping.set()
                del self.watches[client_id]
                if client_id not in wanted:
                    await self._let_go(client_id)
        loop = asyncio.get_running_loop()
        for client_id, where in wanted.items():
            if client_id not in self.watches:

                def arrived(cid: int) -> None:
                    # The loop is gone only once the worker has exited: nothing to tell.
                    with contextlib.suppress(RuntimeError):
                        loop.call_soon_threadsafe(self._arrived, cid)

                watch = Watch(client_id, where, arrived, self.retry_seconds)
                self.watches[client_id] = watch
                watch.start()

    async def _claim(self, client_id: int) -> bool:
        if self.redis is None:
            return True
        key = CLAIM_KEY.format(client_id)
        held = await self.redis.eval(_RENEW, 1, key, self.token, str(CLAIM_SECONDS * 1000))  # type: ignore[misc]
        return bool(held)

    async def _let_go(self, client_id: int) -> None:
        if self.redis is not None:
            await self.redis.eval(_LET_GO, 1, CLAIM_KEY.format(client_id), self.token)  # type: ignore[misc]

    def _arrived(self, client_id: int) -> None:
        if self._stop.is_set():
            return
        if client_id in self._polling:  # read again once the poll in progress is done
            self._again.add(client_id)
            return
        self._polling[client_id] = asyncio.create_task(self._poll(client_id))

    async def _poll(self, client_id: int) -> None:
        try:
            again = True
            while again and not self._stop.is_set():
                self._again.discard(client_id)
                client = await Client.get_or_none(id=client_id, active=True)
                if client is None:
                    return
                result = await mail_in.poll(client, stopping=self._stop.is_set)
                if result.busy:  # the cron's poll holds the lease; it may miss the newest
                    await asyncio.sleep(BUSY_SECONDS)
                again = result.busy or client_id in self._again
        except Exception:  # the minute's poll reads it instead
            log.exception("polling the mailbox of client %s after IDLE failed", client_id)
        finally:
            self._polling.pop(client_id, None)
