"""What the chain tests share: a world with a contractor's integration, a triaged dossier, and
settling the in-process jobs a move starts."""

from __future__ import annotations

from datetime import datetime, timedelta

from server.chain import delivery, integrations, outbound
from server.chain.integrations import IntegrationInput
from server.dossiers import dossiers
from server.jobs import queue
from server.models import ChainMessage, Dossier, DossierEvent, Integration
from server.protocols import triage
from server.protocols.triage import TriageInput
from tests.chain.erp_standin import API_KEY, Erp
from tests.support import world

BAG_ID = "0344200000123456"
LEAK = {"bewoonbaarheid": "nee", "gevolgschade": "zeer_groot"}


async def contractor_integration(
    w: world.World, erp: Erp, **overrides: object
) -> tuple[Integration, str]:
    """The contractor of the world's technicians, with its ERP at the stand-in."""
    contractor_id = w.technician.contractor_id  # type: ignore[attr-defined]
    values: dict[str, object] = {
        "name": "ERP Installatiebedrijf Noord",
        "owner": f"contractor:{contractor_id}",
        "endpoint_url": f"{erp.url}/vera/v4",
        "secret": API_KEY,
        "messages": [outbound.ORDER, outbound.APPOINTMENT],
        "active": True,
    }
    values.update(overrides)
    return await integrations.create(w.admin, IntegrationInput(**values))  # type: ignore[arg-type]


async def triaged(
    w: world.World, subject: str = "lekkage_woning", answers: dict[str, str] | None = None
) -> Dossier:
    address = w.addresses[0]
    address.bag_id = BAG_ID
    await address.save(update_fields=["bag_id"])
    d = await dossiers.create(w.agent, world.intake())
    await triage.apply(w.agent, d, TriageInput(subject, answers or LEAK))
    return await Dossier.get(id=d.id)


async def assign(w: world.World, d: Dossier) -> Dossier:
    contractor_id = w.technician.contractor_id  # type: ignore[attr-defined]
    await dossiers.transition(
        w.agent, d, "doorgezet_naar_monteur", {"contractor_id": contractor_id}
    )
    await settle()
    return d


async def settle() -> None:
    """Let the sends a move started in this process finish (no Redis in these tests), and the
    ones they start in turn (the next message in line for a dossier)."""
    for _ in range(5):
        if not queue._running:
            return
        await queue.stop_inline(5)


async def messages(d: Dossier, kind: str | None = None) -> list[ChainMessage]:
    rows = ChainMessage.filter(dossier_id=d.id).order_by("id")
    if kind:
        rows = rows.filter(kind=kind)
    return await rows


async def timeline(d: Dossier) -> list[dict[str, object]]:
    return [e.data for e in await DossierEvent.filter(dossier_id=d.id, kind="keten").order_by("id")]


async def sweep_until(start: datetime, minutes: int, step: int = 1) -> datetime:
    """Sweep every `step` minutes from `start` for `minutes`, as the worker's cron would."""
    at = start
    for _ in range(0, minutes, step):
        at += timedelta(minutes=step)
        await delivery.sweep(at)
    return at
