"""The demo's contractor without an ERP: Van Rijn's planner works its orders in the portal
(docs/chain.md, "Contractor portal"), with a few new orders waiting to be accepted."""

from __future__ import annotations

from datetime import datetime

from server.demo.staff import CONTRACTOR_LOGIN
from server.domain.lifecycle import Phase
from server.dossiers import dossiers
from server.models import Contractor, Dossier, User

USERNAME, CONTRACTOR = CONTRACTOR_LOGIN
FULL_NAME = "Bram van Rijn"
NEW_ORDERS = 3


async def write_contractor_portal(
    agent: User, password_hash: str, mail_domain: str, now: datetime
) -> User:
    contractor = await Contractor.get(code=CONTRACTOR)
    user = await User.create(
        username=USERNAME,
        full_name=FULL_NAME,
        email=f"{USERNAME}@{mail_domain}",
        role="contractor",
        contractor=contractor,
        password_hash=password_hash,
    )
    # Work its technicians already have in hand was accepted when it was given to them.
    await Dossier.filter(
        contractor_id=contractor.id,
        phase__in=[Phase.DOORGEZET, Phase.AFSPRAAK, Phase.IN_UITVOERING],
        technician_id__not_isnull=True,
    ).update(contractor_accepted_at=now)
    # New orders: open reports of its trades the desk has not sent anyone yet.
    waiting = (
        await Dossier.filter(
            phase__in=[Phase.NIEUW, Phase.ANALYSEREN],
            trade__in=contractor.trades,
            technician_id=None,
        )
        .order_by("created_at", "id")
        .limit(NEW_ORDERS)
    )
    for dossier in waiting:
        if dossier.phase == Phase.NIEUW:
            await dossiers.transition(agent, dossier, Phase.ANALYSEREN, {}, now)
        await dossiers.transition(
            agent, dossier, Phase.DOORGEZET, {"contractor_id": contractor.id}, now
        )
    return user
