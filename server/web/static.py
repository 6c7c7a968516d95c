"""Static files under names that carry their content's hash, cached for a year.

Templates write `{{ static('css/app.css') }}`, which gives `/static/css/app.3f9a1c0b2e4d.css`.
That name changes whenever the file does, so a browser may keep it for a year without asking
(`immutable`). A file asked for by its plain name (a module another module imports, the tracking
page's push worker, whose address must stay put) is served with `no-cache`: the browser asks
again each time and gets a 304 while the file is unchanged.

A hashed name whose hash is not the file's current one (a page rendered before a deploy) still
gets the current file, without the long lifetime, so a stale page does not break.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from server import settings

ROOT = settings.ROOT / "pwa" / "static"
PREFIX = "/static/"
HASH_LENGTH = 12
# name.<12 hex>.ext: the hash sits before the last suffix.
_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{12})(?P<suffix>\.[A-Za-z0-9]+)$")
YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR}, immutable"
REVALIDATE = "no-cache"


@lru_cache(maxsize=512)
def content_hash(path: str) -> str:
    """The first 12 hex digits of the SHA-256 of a file under pwa/static (read once)."""
    return hashlib.sha256((ROOT / path).read_bytes()).hexdigest()[:HASH_LENGTH]


def static_url(path: str) -> str:
    """`/static/<path>` with the content hash in its name (`css/app.css` ->
    `/static/css/app.<hash>.css`). A path outside pwa/static is a template's mistake."""
    file = Path(path)
    if file.is_absolute() or ".." in file.parts or not (ROOT / file).is_file():
        raise ValueError(f"static file {path!r} does not exist under pwa/static")
    hashed = file.with_name(f"{file.stem}.{content_hash(path)}{file.suffix}")
    return PREFIX + hashed.as_posix()


def split_hash(path: str) -> tuple[str, str | None]:
    """(plain path, hash) for `dir/name.<hash>.ext`; (path, None) for a plain name."""
    directory, _, name = path.rpartition("/")
    match = _HASHED.match(name)
    if match is None:
        return path, None
    plain = match["stem"] + match["suffix"]
    return (f"{directory}/{plain}" if directory else plain), match["hash"]


class HashedStaticFiles(StaticFiles):
    """Starlette's StaticFiles that also answers the hashed names `static_url` makes."""

    def get_path(self, scope: Scope) -> str:
        path = super().get_path(scope)
        plain, _ = split_hash(path.replace(os.sep, "/"))
        return os.path.normpath(plain)

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            asked = super().get_path(scope).replace(os.sep, "/")
            _, digest = split_hash(asked)
            plain = path.replace(os.sep, "/")
            current = digest is not None and digest == _current_hash(plain)
            response.headers["Cache-Control"] = IMMUTABLE if current else REVALIDATE
        return response


def _current_hash(path: str) -> str | None:
    try:
        return content_hash(path)
    except OSError:
        return None
