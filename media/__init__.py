"""Photo intake: validation, normalisation, derivatives and content-addressed storage.

Plain Python on Pillow: bytes or a file in, a storage root, plain data out. Never imports
server/. See docs/media.md.
"""

from __future__ import annotations

from media.encode import CONTENT_TYPE, VARIANTS
from media.errors import PhotoError
from media.limits import DEFAULT_LIMITS, Limits
from media.offload import store_async
from media.pipeline import StoredPhoto, store
from media.storage import delete, open_path, validate_key

__all__ = [
    "CONTENT_TYPE",
    "DEFAULT_LIMITS",
    "VARIANTS",
    "Limits",
    "PhotoError",
    "StoredPhoto",
    "delete",
    "open_path",
    "store",
    "store_async",
    "validate_key",
]
