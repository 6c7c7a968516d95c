"""Who opened which dossier: every staff and client user's look at a dossier (its page or
the API's dossier), for admins to answer "who has seen my data?" (docs/privacy.md).

Opening the same dossier again within WINDOW is one look: the page refreshes itself and a
user moving back and forth is not a new reader."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.models import Dossier, DossierView, User

WINDOW = timedelta(minutes=10)
SCREEN = "scherm"
API = "api"


async def opened(user: User, dossier: Dossier, via: str, at: datetime | None = None) -> None:
    at = at or datetime.now(UTC)
    recent = await DossierView.exists(
        dossier_id=dossier.id, user_id=user.id, via=via, at__gt=at - WINDOW
    )
    if not recent:
        await DossierView.create(
            dossier_id=dossier.id,
            user_id=user.id,
            username=user.username,
            role=user.role,
            via=via,
            at=at,
        )


async def of_dossier(dossier: Dossier, limit: int = 100) -> list[DossierView]:
    return list(await DossierView.filter(dossier_id=dossier.id).order_by("-at", "-id").limit(limit))


async def search(username: str = "", order_number: str = "", limit: int = 200) -> list[DossierView]:
    query = DossierView.all().select_related("dossier")
    if username:
        query = query.filter(username=username)
    if order_number:
        query = query.filter(dossier__order_number=order_number)
    return list(await query.order_by("-at", "-id").limit(limit))
