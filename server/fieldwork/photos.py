"""Photos of jobs: upload from the app by the photo's client id, and who may see them.

The bytes go through media/ (validation, normalisation, derivatives, content-addressed
storage). The row is keyed by the client id made on the device, so a repeated upload of the
same photo stores nothing new. A photo appears on the timeline when the app's `attach_photo`
operation is applied (server/fieldwork/sync_mutators.py).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from media import PhotoError, open_path, store_async, validate_key
from media.limits import DEFAULT_LIMITS, MB, dutch_amount
from server import scoping, settings
from server.domain.errors import AppError, NotFound, Unprocessable
from server.fieldwork import field_jobs, technician_jobs
from server.models import Dossier, Photo, User

CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:-]{8,80}$")


class PhotoRefused(AppError):
    """A media/ refusal, with its own HTTP status (413, 415, 422…)."""

    def __init__(self, error: PhotoError) -> None:
        super().__init__(error.message, "photo")
        self.status = error.status


def check_client_id(client_id: str) -> str:
    if not CLIENT_ID.match(client_id):
        raise Unprocessable(
            f"Ongeldig foto-id '{client_id[:100]}': 8 tot 80 letters, cijfers of - _ . :",
            "client_id",
        )
    return client_id


def check_size(declared: int | None) -> None:
    """Refuse an upload that says it is too large before reading a byte of it."""
    if declared is not None and declared > DEFAULT_LIMITS.max_bytes:
        raise PhotoRefused(
            PhotoError(
                f"Foto is te groot: {dutch_amount(declared, MB)} MB "
                f"(maximaal {DEFAULT_LIMITS.max_bytes // MB} MB)",
                "too_large",
            )
        )


async def upload(
    user: User, client_id: str, job: str, data: bytes, taken_at: datetime | None = None
) -> tuple[Photo, bool]:
    """Store a photo for a job of this technician; (photo, created). Idempotent by client id."""
    check_client_id(client_id)
    existing = await Photo.get_or_none(client_id=client_id)
    if existing is not None and existing.uploaded_by_id == user.id:  # type: ignore[attr-defined]
        return existing, False  # a retried upload: stored already
    dossier = await field_jobs.writable(user, job)
    if existing is not None:
        raise _taken(client_id)
    try:
        stored = await store_async(settings.MEDIA_ROOT, data)
    except PhotoError as exc:
        raise PhotoRefused(exc) from None
    photo, created = await Photo.get_or_create(
        client_id=client_id,
        defaults={
            "dossier": dossier,
            "key": stored.key,
            "uploaded_by": user,
            "width": stored.width,
            "height": stored.height,
            "taken_at": taken_at,
            "created_at": datetime.now(UTC),
        },
    )
    if photo.uploaded_by_id != user.id:  # type: ignore[attr-defined]
        raise _taken(client_id)  # another's upload under this id won the race
    return photo, created


def _taken(client_id: str) -> NotFound:
    """Another user's photo id answers 404, as the job check would: an upload never tells
    whether an id exists (a 409 would; the app makes its ids at random, so only a probe meets
    one)."""
    return NotFound(f"Foto-id '{client_id}' niet gevonden.", "client_id")


async def file_for(user: User, key: str, variant: str) -> Path:
    """The file of a photo the user may see, else NotFound (as if it did not exist)."""
    try:
        validate_key(key)
    except PhotoError as exc:
        raise NotFound(exc.message, "key") from None
    dossier_ids: list[int] = await Photo.filter(key=key).values_list("dossier_id", flat=True)  # type: ignore[assignment]
    visible = await scoping.dossiers(user).filter(id__in=list(dossier_ids)).exists()
    if not visible:
        visible = await _earlier_visit_of_current_job(user, list(dossier_ids))
    if not visible:
        raise NotFound("Foto niet gevonden", "key")
    try:
        return open_path(settings.MEDIA_ROOT, key, variant)
    except PhotoError as exc:
        raise NotFound(exc.message, "variant") from None


async def _earlier_visit_of_current_job(user: User, dossier_ids: list[int]) -> bool:
    """Technicians see photos of earlier visits to the addresses of their current jobs."""
    technician = await field_jobs.technician_of(user)
    if technician is None or not dossier_ids:
        return False
    jobs = await technician_jobs.current(technician, datetime.now(UTC))
    places = {(d.client_id, d.postcode, d.house_number, d.suffix) for d in jobs}  # type: ignore[attr-defined]
    for d in await Dossier.filter(id__in=dossier_ids):
        if (d.client_id, d.postcode, d.house_number, d.suffix) in places:  # type: ignore[attr-defined]
            return True
    return False
