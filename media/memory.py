"""What storing a photo costs in memory, known from its header before a pixel is decoded.

The pixel count alone does not bound it: on its way to the stored JPEG a PNG with
transparency takes twice the memory per pixel of a JPEG (an RGBA copy to lay on white, then
the RGB result), and the WebP decoder keeps a buffer of its own beside Pillow's image. The
figures are bytes per pixel at the peak of store(), measured with bench/bench_photo_memory.py
(Pillow 13, pillow-heif 1.8) and rounded up; docs/media.md has the measurements.
"""

from __future__ import annotations

# By the mode Pillow decodes into (16-bit RGB and RGBA PNGs decode to 8-bit RGB and RGBA), the
# worst of JPEG, PNG and HEIC, with the copy an EXIF rotation makes.
BYTES_PER_PIXEL: dict[str, int] = {
    "1": 12,
    "L": 12,
    "P": 15,
    "I;16": 14,
    "I;16B": 14,
    "I;16L": 14,
    "I;16N": 14,
    "RGB": 11,
    "CMYK": 12,
    "LA": 18,
    "La": 18,
    "PA": 18,
    "RGBA": 18,
    "RGBa": 18,
}

# Decoders that keep their own copy of the pixels while Pillow's image is filled.
DECODER_BYTES: dict[str, int] = {"WebP": 7}

# Converting to sRGB by an embedded colour profile makes one more RGB copy.
PROFILE_BYTES = 4

# A mode not measured (a future plugin's) is taken to cost the most.
UNKNOWN_MODE = max(BYTES_PER_PIXEL.values())


def bytes_per_pixel(format_name: str, mode: str, profile: bool = False) -> int:
    """Peak bytes per pixel of storing a photo of this format (media.sniff's name) and mode,
    with or without a colour profile."""
    return (
        BYTES_PER_PIXEL.get(mode, UNKNOWN_MODE)
        + DECODER_BYTES.get(format_name, 0)
        + (PROFILE_BYTES if profile else 0)
    )


def peak_memory(format_name: str, mode: str, pixels: int, profile: bool = False) -> int:
    """Bytes that storing the photo takes at its peak, estimated from its header."""
    return pixels * bytes_per_pixel(format_name, mode, profile)
