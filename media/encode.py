"""JPEG encoding of the stored original and its derivatives."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

CONTENT_TYPE = "image/jpeg"
EXTENSION = ".jpg"


@dataclass(frozen=True)
class Variant:
    """A stored size of a photo. `long_side` 0 means the full size."""

    name: str
    long_side: int
    quality: int


ORIGINAL = Variant("original", 0, 90)
SCREEN = Variant("screen", 1600, 82)
THUMB = Variant("thumb", 320, 80)
DERIVATIVES = (SCREEN, THUMB)
VARIANTS = {variant.name: variant for variant in (ORIGINAL, *DERIVATIVES)}


def encode_jpeg(image: Image.Image, quality: int, *, full_chroma: bool = False) -> bytes:
    """Baseline optimised JPEG; `full_chroma` keeps colour at full resolution (sharp text).

    Only pixels are written: no EXIF, XMP, ICC or comment is passed, and the image's own
    `info` is empty after normalise().
    """
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, subsampling=0 if full_chroma else 2)
    return out.getvalue()


def scaled(image: Image.Image, long_side: int) -> Image.Image:
    """A copy no longer than `long_side` on either side; never enlarged."""
    copy = image.copy()
    copy.thumbnail((long_side, long_side), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return copy
