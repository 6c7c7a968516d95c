"""What a tenant adds to their report afterwards on the tracking page: a photo or a remark.

Both land on the dossier's timeline (by "systeem", as everything from the tracking page, with
"via de volgpagina") and reach an open dossier page at once. A photo goes
through media/ (its checks and limits: type, size, pixels; metadata stripped); the page scales
it in the browser first. Limits per dossier keep a leaked link from filling it.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from media import PhotoError, store_async
from server import settings
from server.domain.errors import Unprocessable
from server.dossiers import dossier_live, events
from server.fieldwork.photos import PhotoRefused
from server.i18n import gettext
from server.models import Dossier, DossierEvent, Photo

REMARK = "opmerking_huurder"
PHOTO = "foto"
PHOTO_ID_PREFIX = "volg-"
MAX_PHOTOS = 10
MAX_REMARKS = 20
MAX_REMARK = 1000
MAX_CAPTION = 200


def _clean(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit]


async def add_remark(dossier: Dossier, text: str, now: datetime | None = None) -> None:
    said = _clean(text, MAX_REMARK)
    if not said:
        raise Unprocessable(gettext("Schrijf eerst uw opmerking."), "remark")
    if await DossierEvent.filter(dossier_id=dossier.id, kind=REMARK).count() >= MAX_REMARKS:
        raise Unprocessable(
            gettext("U hebt al veel opmerkingen doorgegeven; bel ons als er meer is."), "remark"
        )
    await events.record(dossier, REMARK, None, now or datetime.now(UTC), text=said)
    await _tell_desk(dossier, REMARK)


async def add_photo(
    dossier: Dossier, data: bytes, caption: str = "", now: datetime | None = None
) -> Photo:
    if not data:
        raise Unprocessable(gettext("Kies eerst een foto."), "photo")
    taken = await Photo.filter(dossier_id=dossier.id, client_id__startswith=PHOTO_ID_PREFIX)
    if len(taken) >= MAX_PHOTOS:
        raise Unprocessable(
            gettext("U hebt al %(count)s foto's toegevoegd; meer kan niet via deze pagina.")
            % {"count": MAX_PHOTOS},
            "photo",
        )
    try:
        stored = await store_async(settings.MEDIA_ROOT, data)
    except PhotoError as exc:
        raise PhotoRefused(exc) from None
    at = now or datetime.now(UTC)
    said = _clean(caption, MAX_CAPTION)
    photo = await Photo.create(
        dossier=dossier,
        key=stored.key,
        client_id=f"{PHOTO_ID_PREFIX}{secrets.token_hex(12)}",
        width=stored.width,
        height=stored.height,
        caption=f"Van de huurder via de volgpagina{': ' + said if said else ''}",
        attached_at=at,
        created_at=at,
    )
    await events.record(dossier, PHOTO, None, at, key=stored.key, caption=photo.caption)
    await _tell_desk(dossier, PHOTO)
    return photo


async def _tell_desk(dossier: Dossier, what: str) -> None:
    """An open dossier page re-reads itself: the addition is on its timeline at once."""
    await dossier_live.changed(dossier, what)
