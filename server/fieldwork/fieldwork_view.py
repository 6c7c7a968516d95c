"""What the dossier page shows of the field work: chat, repair logs and photos."""

from __future__ import annotations

from typing import Any

from server.fieldwork import chat
from server.models import Dossier, Photo, RepairLog


async def context(dossier: Dossier) -> dict[str, Any]:
    return {
        "messages": [chat.as_json(m) for m in await chat.thread(dossier)],
        "repair_logs": await RepairLog.filter(dossier_id=dossier.id).order_by("id"),
        "photos": await Photo.filter(dossier_id=dossier.id).order_by("id"),
    }
