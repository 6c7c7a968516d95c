"""Test photos made on the spot with Pillow: no binary fixtures."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

from PIL import ExifTags, Image

import media.heif

media.heif.register()

RED = (255, 0, 0)
BLUE = (0, 0, 255)

# Amsterdam, Dam square: what must never reach the stored photo.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (52.0, 22.0, 22.5),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (4.0, 53.0, 36.0),
}


def marked(size: tuple[int, int] = (40, 20)) -> Image.Image:
    """Blue, with a red square in the top-left corner, so orientation can be read back."""
    image = Image.new("RGB", size, BLUE)
    side = min(size) // 2
    image.paste(RED, (0, 0, side, side))
    return image


def exif(orientation: int | None = None) -> Image.Exif:
    """EXIF as a phone writes it: camera, time, serial number and GPS position."""
    data = Image.Exif()
    data[ExifTags.Base.Make] = "Acme"
    data[ExifTags.Base.Model] = "Phone 12"
    data[ExifTags.Base.DateTime] = "2025:01:31 03:14:15"
    data[ExifTags.Base.GPSInfo] = GPS
    if orientation is not None:
        data[ExifTags.Base.Orientation] = orientation
    return data


def encoded(image: Image.Image, fmt: str, **params: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def photo(fmt: str = "JPEG", size: tuple[int, int] = (40, 20), **params: Any) -> bytes:
    return encoded(marked(size), fmt, **params)


def png_header_only(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of any size, all zeros, built row by row in little memory.

    20000 x 20000 compresses to a few tens of KB; decoded it would take 400 MB.
    """
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    chunks = _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


# Channels per PNG colour type: grey, RGB, palette, grey + alpha, RGBA.
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def png_blank(width: int, height: int, depth: int = 8, colour_type: int = 6) -> bytes:
    """A valid all-zero PNG of any size and pixel format, made in milliseconds.

    One row is compressed once and repeated: a full flush after it makes every copy start
    afresh, so the copies together are one valid deflate stream. The Adler-32 checksum of
    n zero bytes needs no pass over them: a = 1, b = n mod 65521.
    """
    row = bytes(1 + (width * _CHANNELS[colour_type] * depth + 7) // 8)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = deflate.compress(row) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    adler = (len(row) * height % 65521) << 16 | 1
    idat = b"\x78\xda" + piece * height + end + struct.pack(">I", adler)
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    chunks = _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)
