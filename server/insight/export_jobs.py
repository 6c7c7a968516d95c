"""Large exports as background jobs: the file waits under var/exports/<user id>/ for its owner.

Only the user who asked can list or download it: the path is built from the logged-in user's
own id and a random token, never from anything that names another user. A file holds tenants'
personal data, so it is kept KEEP_DAYS and then deleted (`prune`, nightly).
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from server import settings
from server.domain.errors import NotFound
from server.insight import archive, export
from server.jobs import queue
from server.models import User

_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
KEEP_DAYS = 7


@dataclass(frozen=True)
class ExportFile:
    token: str
    status: str  # bezig, klaar, mislukt
    rows: int
    requested_at: str

    @property
    def ready(self) -> bool:
        return self.status == "klaar"


def folder(user_id: int) -> Path:
    return settings.VAR_DIR / "exports" / str(int(user_id))


def _meta(user_id: int, token: str) -> Path:
    return folder(user_id) / f"{token}.json"


def file_path(user_id: int, token: str) -> Path:
    return folder(user_id) / f"{token}.xlsx"


def _save(user_id: int, token: str, **meta: Any) -> None:
    folder(user_id).mkdir(parents=True, exist_ok=True)
    _meta(user_id, token).write_text(json.dumps(meta))


async def start(user: User, f: archive.ArchiveFilter, columns: list[str]) -> str:
    token = secrets.token_urlsafe(24)
    now = datetime.now(UTC).isoformat()
    _save(user.id, token, status="bezig", rows=0, requested_at=now)
    await queue.enqueue(
        "export_dossiers", user.id, token, f.as_query(), columns, job_id=f"export:{token}"
    )
    return token


async def run(user_id: int, token: str, query: dict[str, str], columns: list[str]) -> int:
    """The job: same filters, same scope (re-checked for the user now), written to a file."""
    user = await User.get(id=user_id)
    meta = json.loads(_meta(user_id, token).read_text())
    partial = file_path(user_id, token).with_suffix(".part")
    try:
        rows = await export.write(archive.query(user, archive.parse(query)), columns, partial)
    except Exception:
        _save(user_id, token, **{**meta, "status": "mislukt"})
        raise
    partial.rename(file_path(user_id, token))
    _save(user_id, token, **{**meta, "status": "klaar", "rows": rows})
    return rows


def _expired(meta: Path, now: datetime) -> bool:
    if not meta.is_file():
        return True
    requested = datetime.fromisoformat(json.loads(meta.read_text())["requested_at"])
    if requested.tzinfo is None:
        requested = requested.replace(tzinfo=UTC)
    return now - requested > timedelta(days=KEEP_DAYS)


def _delete(meta: Path) -> None:
    for path in (meta.with_suffix(".xlsx"), meta.with_suffix(".part"), meta):
        path.unlink(missing_ok=True)


def prune(now: datetime | None = None) -> int:
    """Delete every export older than KEEP_DAYS, of every user; returns how many."""
    now = now or datetime.now(UTC)
    gone = 0
    for meta in (settings.VAR_DIR / "exports").glob("*/*.json"):
        if _expired(meta, now):
            _delete(meta)
            gone += 1
    return gone


def mine(user: User, now: datetime | None = None) -> list[ExportFile]:
    now = now or datetime.now(UTC)
    found = []
    for meta in sorted(folder(user.id).glob("*.json"), reverse=True):
        if _expired(meta, now):
            continue
        data = json.loads(meta.read_text())
        found.append(ExportFile(meta.stem, data["status"], data["rows"], data["requested_at"]))
    return sorted(found, key=lambda e: e.requested_at, reverse=True)[:20]


def download(user: User, token: str, now: datetime | None = None) -> Path:
    path = file_path(user.id, token)
    if not _TOKEN.fullmatch(token) or not path.is_file():
        raise NotFound(f"Export '{token}' niet gevonden.", "export")
    if _expired(_meta(user.id, token), now or datetime.now(UTC)):
        _delete(_meta(user.id, token))
        raise NotFound(
            f"Export '{token}' is verwijderd: exports blijven {KEEP_DAYS} dagen bewaard.", "export"
        )
    return path
