"""A tenant's signature drawn on the technician's phone: checked and made small.

The app sends what a <canvas> drew as a PNG. What is kept is a fresh grayscale PNG of the ink
only (cropped to it with a margin, at most 600 x 200 pixels), so nothing of the original file
(metadata, hidden chunks, a huge canvas) survives, and it stays a few kilobytes: small enough to
keep in the repair log beside the werkbon and show inline as a data: URL.
"""

from __future__ import annotations

import base64
import binascii
import io
import warnings

from PIL import Image, ImageOps

from media.errors import PhotoError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DATA_URL = "data:image/png;base64,"
MAX_BYTES = 300_000
MAX_PIXELS = 4_000_000
SIZE = (600, 200)
MARGIN = 8
# A pixel darker than this counts as ink (the canvas background is white or transparent).
INK = 160


def from_data_url(value: object) -> bytes:
    """The PNG bytes of `data:image/png;base64,...`, or PhotoError saying what is wrong."""
    if not isinstance(value, str) or not value.startswith(DATA_URL):
        raise PhotoError("De handtekening is geen PNG-afbeelding (data:image/png).", "not_an_image")
    text = value[len(DATA_URL) :]
    if len(text) > MAX_BYTES * 4 // 3 + 4:
        raise PhotoError("De handtekening is te groot.", "too_large")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise PhotoError("De handtekening is niet goed doorgekomen.", "corrupt") from None


def normalise(data: bytes) -> bytes:
    """A small grayscale PNG of the ink; refuses what is no PNG, too big, broken or blank."""
    if not data:
        raise PhotoError("De handtekening is leeg.", "empty")
    if len(data) > MAX_BYTES:
        raise PhotoError("De handtekening is te groot.", "too_large")
    if not data.startswith(PNG_MAGIC):
        raise PhotoError("De handtekening is geen PNG-afbeelding.", "not_an_image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise PhotoError("De handtekening heeft te veel beeldpunten.", "too_many_pixels")
            image.load()
    except PhotoError:
        raise
    except Exception:  # noqa: BLE001 - whatever Pillow raises for a broken file
        raise PhotoError("De handtekening is beschadigd.", "corrupt") from None
    ink = _on_white(image)
    box = ImageOps.invert(ink).point(lambda v: 255 if v > 255 - INK else 0).getbbox()
    if box is None:
        raise PhotoError("De handtekening is leeg: er is niets getekend.", "empty")
    left, top, right, bottom = box
    cropped = ink.crop(
        (
            max(0, left - MARGIN),
            max(0, top - MARGIN),
            min(ink.width, right + MARGIN),
            min(ink.height, bottom + MARGIN),
        )
    )
    cropped.thumbnail(SIZE)
    out = io.BytesIO()
    cropped.save(out, "PNG", optimize=True)
    return out.getvalue()


def to_data_url(png: bytes) -> str:
    return DATA_URL + base64.b64encode(png).decode("ascii")


def _on_white(image: Image.Image) -> Image.Image:
    """Grayscale, with transparency laid on white (a canvas is transparent where not drawn)."""
    rgba = image.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, rgba).convert("L")
