"""Content-addressed files under a root: `ab/cd/<sha256>.jpg` and `ab/cd/<sha256>-<variant>.jpg`.

A file's name follows from its content, so a file that exists is already right: writing is
skipped, and two processes storing the same photo at once both end with the same files.
Each file appears whole or not at all (temporary file, fsync, rename).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path, PurePosixPath

from media.encode import EXTENSION, ORIGINAL, VARIANTS
from media.errors import PhotoError

StrPath = str | os.PathLike[str]

_KEY = re.compile(r"[0-9a-f]{64}")
_FILE_MODE = 0o640


def validate_key(key: str) -> str:
    """`key` itself when it is a lowercase sha256 hex digest; anything else is refused."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise PhotoError("Ongeldige fotosleutel", "invalid_key")
    return key


def relative_path(key: str, variant: str = ORIGINAL.name) -> PurePosixPath:
    """Where a variant of a photo lives, relative to the storage root."""
    validate_key(key)
    if variant not in VARIANTS:
        known = ", ".join(sorted(VARIANTS))
        raise PhotoError(f"Onbekende fotovariant: {variant!r} (bekend: {known})", "unknown_variant")
    suffix = "" if variant == ORIGINAL.name else f"-{variant}"
    return PurePosixPath(key[0:2], key[2:4], f"{key}{suffix}{EXTENSION}")


def open_path(root: StrPath, key: str, variant: str = ORIGINAL.name) -> Path:
    """The file of a stored photo, for the server to send to an authorised user.

    The key is validated before it touches the file system, so a request cannot reach
    outside `root`; a photo that is not there is a PhotoError with code "not_found".
    """
    path = Path(root) / relative_path(key, variant)
    if not path.is_file():
        raise PhotoError("Foto niet gevonden", "not_found")
    return path


def exists(root: StrPath, key: str, variants: tuple[str, ...]) -> bool:
    return all((Path(root) / relative_path(key, name)).is_file() for name in variants)


def write_once(root: StrPath, relative: PurePosixPath, data: bytes) -> bool:
    """Write `data` at `relative` unless the file is there; True when something was written."""
    path = Path(root) / relative
    if path.is_file():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fchmod(file.fileno(), _FILE_MODE)
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)
    return True


def delete(root: StrPath, key: str) -> bool:
    """Remove every variant of a photo; True when anything was removed.

    Identical photos share one key, so the caller deletes only when no dossier refers to it.
    """
    removed = False
    for name in VARIANTS:
        path = Path(root) / relative_path(key, name)
        if path.is_file():
            path.unlink()
            removed = True
    return removed


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable; not every platform lets a directory be opened.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
