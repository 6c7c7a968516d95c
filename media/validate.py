"""Accept a real photo or refuse it with a reason: content sniffed, limits checked, fully decoded.

Decoding happens only after the header has shown the pixel dimensions, and the memory they
take in their pixel format, to be within the limits, so a decompression bomb is refused
before it can take memory.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image

from media import heif
from media.errors import PhotoError
from media.limits import DEFAULT_LIMITS, MB, MEGAPIXEL, Limits, dutch_amount, dutch_limit
from media.memory import peak_memory
from media.sniff import ACCEPTED, OTHER_IMAGES, sniff

heif.register()

_ACCEPTED_NAMES = ", ".join(ACCEPTED)


@dataclass(frozen=True)
class SourceImage:
    """A decoded photo (its first frame) and the format it came in."""

    image: Image.Image
    format: str


def read_limited(source: bytes | BinaryIO, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of an upload, refusing one over the size limit without reading all of it."""
    if isinstance(source, bytes):
        _check_size(len(source), limits)
        return source
    if source.seekable():
        start = source.tell()
        size = source.seek(0, io.SEEK_END) - start
        source.seek(start)
        _check_size(size, limits)
    data = source.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise PhotoError(
            f"Foto is te groot: meer dan {dutch_limit(limits.max_bytes, MB)} MB "
            f"(maximaal {dutch_limit(limits.max_bytes, MB)} MB)",
            "too_large",
        )
    _check_size(len(data), limits)
    return data


def _check_size(size: int, limits: Limits) -> None:
    if size == 0:
        raise PhotoError("Bestand is leeg", "empty")
    if size > limits.max_bytes:
        raise PhotoError(
            f"Foto is te groot: {dutch_amount(size, MB)} MB "
            f"(maximaal {dutch_limit(limits.max_bytes, MB)} MB)",
            "too_large",
        )


def open_image(data: bytes, limits: Limits = DEFAULT_LIMITS) -> SourceImage:
    """Decode `data` as an accepted photo, or raise PhotoError saying why not.

    Multi-frame files (animated WebP/PNG, MPO from phone cameras, HEIC collections) give their
    first frame, which for MPO and HEIC is the primary picture.
    """
    _check_size(len(data), limits)
    name = _accepted_format(data)
    image = _open_header(data, name, limits)
    _check_pixels(image.size, limits)
    _check_memory(image, name, limits)
    try:
        image.load()
    except Exception as exc:  # Pillow's decoders raise many types on hostile input.
        raise _corrupt(name) from exc
    return SourceImage(image, name)


def _accepted_format(data: bytes) -> str:
    found = sniff(data[:4096])
    if found in ACCEPTED:
        return found
    if found in OTHER_IMAGES:
        raise PhotoError(
            f"Fotoformaat {found} wordt niet ondersteund (toegestaan: {_ACCEPTED_NAMES})",
            "unsupported_format",
        )
    if found:
        raise PhotoError(f"Bestand is geen foto (gevonden: {found})", "not_an_image")
    raise PhotoError("Bestand is geen foto (onbekend bestandstype)", "not_an_image")


def _open_header(data: bytes, name: str, limits: Limits) -> Image.Image:
    """Read only the header, with the one Pillow plugin the sniffed format allows."""
    try:
        return Image.open(io.BytesIO(data), formats=[ACCEPTED[name]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own guard fired first (the warning is an exception when warnings are errors).
        raise PhotoError(
            f"Foto heeft te veel pixels (maximaal {dutch_limit(limits.max_pixels, MEGAPIXEL)} "
            "megapixel)",
            "too_many_pixels",
        ) from exc
    except Exception as exc:
        raise _corrupt(name) from exc


def _check_pixels(size: tuple[int, int], limits: Limits) -> None:
    width, height = size
    if width < 1 or height < 1:
        raise PhotoError("Foto heeft geen pixels", "corrupt")
    if width * height > limits.max_pixels:
        raise PhotoError(
            f"Foto heeft te veel pixels: {width} × {height} = "
            f"{dutch_amount(width * height, MEGAPIXEL)} megapixel "
            f"(maximaal {dutch_limit(limits.max_pixels, MEGAPIXEL)} megapixel)",
            "too_many_pixels",
        )


def _check_memory(image: Image.Image, name: str, limits: Limits) -> None:
    width, height = image.size
    need = peak_memory(name, image.mode, width * height, "icc_profile" in image.info)
    if need > limits.max_memory:
        raise PhotoError(
            f"Foto vraagt te veel geheugen: {width} × {height} pixels in {image.mode} "
            f"kosten {dutch_amount(need, MB)} MB om te verwerken "
            f"(maximaal {dutch_limit(limits.max_memory, MB)} MB)",
            "too_much_memory",
        )


def _corrupt(name: str) -> PhotoError:
    return PhotoError(f"Foto is beschadigd of onvolledig ({name})", "corrupt")
