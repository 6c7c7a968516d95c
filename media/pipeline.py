"""One call from uploaded bytes to stored files: validate, normalise, derive, store."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import BinaryIO

from media import storage
from media.encode import CONTENT_TYPE, DERIVATIVES, ORIGINAL, VARIANTS, encode_jpeg, scaled
from media.limits import DEFAULT_LIMITS, Limits
from media.normalise import normalise
from media.storage import StrPath
from media.validate import open_image, read_limited


@dataclass(frozen=True)
class StoredPhoto:
    """What the server records about a stored photo; paths are relative to the storage root."""

    key: str
    sha256: str
    width: int
    height: int
    bytes: int
    path: str
    derivatives: dict[str, str] = field(default_factory=dict)
    content_type: str = CONTENT_TYPE
    created: bool = False


def store(root: StrPath, data: bytes | BinaryIO, limits: Limits = DEFAULT_LIMITS) -> StoredPhoto:
    """Validate and store a photo under `root`, or raise PhotoError saying why not.

    The key is the sha256 of the normalised JPEG. Storing the same photo again writes nothing
    and returns the same key (`created` False). CPU-bound: call store_async from async code.
    """
    source = open_image(read_limited(data, limits), limits)
    image = normalise(source.image)
    # Screenshots (PNG) keep full colour resolution so small text stays sharp.
    original = encode_jpeg(image, ORIGINAL.quality, full_chroma=source.format == "PNG")
    key = hashlib.sha256(original).hexdigest()

    created = False
    if not storage.exists(root, key, tuple(VARIANTS)):
        # Derivatives first: a present original then always has its derivatives beside it.
        smaller = image
        for variant in DERIVATIVES:  # largest first, each made from the one before
            smaller = scaled(smaller, variant.long_side)
            encoded = encode_jpeg(smaller, variant.quality)
            created |= storage.write_once(root, storage.relative_path(key, variant.name), encoded)
        created |= storage.write_once(root, storage.relative_path(key), original)

    return StoredPhoto(
        key=key,
        sha256=key,
        width=image.width,
        height=image.height,
        bytes=len(original),
        path=str(storage.relative_path(key)),
        derivatives={v.name: str(storage.relative_path(key, v.name)) for v in DERIVATIVES},
        created=created,
    )
