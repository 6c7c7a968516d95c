"""Tell open dashboards and client portals that a dossier changed, once and after the commit.

Every change to a dossier writes a timeline event (server.dossiers.events.record calls
`noticed`), so that is the one place changes are seen: intake, phase moves, assignments and
appointments, triage, contact, the technician app's operations, archiving. Survey answers are
not timeline events; surveys.submit calls `dossier_changed` itself.

A write that runs in a transaction wraps it in `batch()`: the dossiers it touched are told
when the block ends without error, so a browser that re-reads sees the committed data and a
rolled-back change tells nobody. Outside a batch an event is told at once (its insert has
already committed).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

from server import live
from server.models import Client, Dossier

# Timeline events that change nothing the dashboard or the portal shows.
QUIET_KINDS = frozenset(
    {
        "note",
        "geocoded",
        "bericht",
        "foto",
        "werkbon",
        "monteur_onderweg",
        "niet_thuis",
        "opmerking_huurder",
        "veldmelding_geweigerd",
        "anonymised",
        "email",
        "email_antwoord",
        "keten",
        "keten_in",
    }
)

_pending: ContextVar[dict[int, Dossier] | None] = ContextVar("insight_changes", default=None)


@asynccontextmanager
async def batch() -> AsyncIterator[None]:
    """Collect the dossiers changed inside; tell them after the block, unless it raised.

    Nested batches join the outermost one, so a service's own batch inside a sync push waits
    for the push's transaction.
    """
    if _pending.get() is not None:
        yield
        return
    pending: dict[int, Dossier] = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    for dossier in pending.values():
        await dossier_changed(dossier)


async def noticed(dossier: Dossier, kind: str) -> None:
    """A timeline event of `kind` was written for `dossier`."""
    if kind in QUIET_KINDS:
        return
    pending = _pending.get()
    if pending is not None:
        pending[dossier.id] = dossier
    else:
        await dossier_changed(dossier)


async def dossier_changed(dossier: Dossier) -> None:
    """A light 'changed' event; pages re-read their figures (debounced in the browser)."""
    known = getattr(dossier, "_client", None)  # the client the service holds, if fetched
    if isinstance(known, Client) and known.id == dossier.client_id:  # type: ignore[attr-defined]
        code = [known.code]
    else:
        found = Client.filter(id=dossier.client_id)  # type: ignore[attr-defined]
        code = [str(c) for c in await found.values_list("code", flat=True)]
    data = {"order_number": dossier.order_number, "phase": dossier.phase}
    await live.publish_many(
        [
            *(
                (channel, "changed", data)
                for channel in ("dashboard:*", *(f"dashboard:{c}" for c in code))
            ),
            *((f"client:{c}", "dossier", data) for c in code),
            # The contractor portal's list of open orders (server/web/pages/contractor_portal.py).
            *(
                [(f"contractor:{dossier.contractor_id}", "dossier", data)]  # type: ignore[attr-defined]
                if getattr(dossier, "contractor_id", None) is not None
                else []
            ),
        ]
    )


async def client_changed(client_id: int) -> None:
    """A figure of this client changed without a dossier changing (a call survey answered)."""
    code = await Client.filter(id=client_id).values_list("code", flat=True)
    data = {"order_number": None, "phase": None}
    for channel in ("dashboard:*", *(f"dashboard:{c}" for c in code)):
        await live.publish(channel, "changed", data)
