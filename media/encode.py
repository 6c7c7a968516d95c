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
    """`image` fitted within `long_side` on both sides; never enlarged (then `image` itself).

    reducing_gap 1.2 first halves a 12-megapixel photo with a box filter, then resamples with
    Lanczos: a third of the time of Lanczos alone, 45 dB PSNR against it on a noisy photo.
    """
    width, height = image.size
    if max(width, height) <= long_side:
        return image
    ratio = long_side / max(width, height)
    size = (max(1, round(width * ratio)), max(1, round(height * ratio)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=1.2)
