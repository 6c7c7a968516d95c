"""Memory per photo is bounded by its pixel format, from the header, before decoding."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from media import DEFAULT_LIMITS, Limits, PhotoError, store
from media.memory import BYTES_PER_PIXEL, peak_memory
from media.validate import open_image

from .images import encoded, marked, photo, png_blank


def test_a_small_png_that_would_take_almost_a_gigabyte_is_refused_from_its_header() -> None:
    # 7000 x 7000 16-bit RGBA: half a megabyte of file, within the pixel limit (49 MP), and
    # some 0.9 GB while it is laid on white and encoded.
    data = png_blank(7000, 7000, depth=16, colour_type=6)
    assert len(data) < 600_000

    with pytest.raises(PhotoError) as refused:
        open_image(data)

    assert refused.value.message == (
        "Foto vraagt te veel geheugen: 7000 × 7000 pixels in RGBA kosten 882,0 MB om te "
        "verwerken (maximaal 750 MB)"
    )
    assert (refused.value.code, refused.value.status) == ("too_much_memory", 422)


def test_an_ordinary_photo_still_passes(tmp_path: Path) -> None:
    # What the app sends: a phone photo scaled to 1600 px, as JPEG.
    stored = store(tmp_path, photo("JPEG", (1600, 1200), quality=85))

    assert (stored.width, stored.height) == (1600, 1200)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "HEIC"])
def test_a_colour_photo_is_only_ever_limited_by_its_pixel_count(fmt: str) -> None:
    # Even with a colour profile to convert: the memory limit bites only on costlier formats.
    pixels = DEFAULT_LIMITS.max_pixels
    assert peak_memory(fmt, "RGB", pixels, profile=True) <= DEFAULT_LIMITS.max_memory
    assert peak_memory(fmt, "RGBA", pixels) > DEFAULT_LIMITS.max_memory


# The same 1000 x 1000 pixels under a budget of 16 MB: what each pixel format costs decides.
@pytest.mark.parametrize(
    ("fmt", "mode", "options", "refused"),
    [
        ("JPEG", "RGB", {}, False),  # 11 bytes a pixel
        ("JPEG", "L", {}, False),  # 12
        ("JPEG", "CMYK", {}, False),  # 12
        ("PNG", "I;16", {}, False),  # 14
        ("PNG", "P", {"transparency": 0}, False),  # 15
        ("PNG", "RGBA", {}, True),  # 18
        ("PNG", "LA", {}, True),  # 18
        ("WEBP", "RGB", {}, True),  # 11 + 7 for the decoder's own buffer
        ("HEIF", "RGBA", {}, True),  # 18
    ],
)
def test_the_memory_limit_counts_the_bytes_a_pixel_of_its_format_costs(
    fmt: str, mode: str, options: dict[str, object], refused: bool
) -> None:
    image = marked((1000, 1000))
    source = image.convert("I").convert(mode) if mode == "I;16" else image.convert(mode)
    data = encoded(source, fmt, **options)
    limits = Limits(max_memory=16_000_000)

    if refused:
        with pytest.raises(PhotoError) as error:
            open_image(data, limits)
        assert error.value.code == "too_much_memory"
        assert error.value.message.startswith("Foto vraagt te veel geheugen: 1000 × 1000 pixels")
    else:
        assert open_image(data, limits).image.size == (1000, 1000)


@pytest.mark.parametrize(
    ("fmt", "modes"),
    [
        ("JPEG", ["L", "RGB", "CMYK"]),
        ("PNG", ["1", "L", "P", "I;16", "LA", "RGB", "RGBA"]),
        ("WEBP", ["RGB", "RGBA"]),
        ("HEIF", ["L", "RGB", "RGBA"]),
    ],
)
def test_every_mode_an_accepted_format_opens_as_has_a_measured_cost(
    fmt: str, modes: list[str]
) -> None:
    # A mode missing from the table would be charged the highest cost: safe, but unmeasured.
    for mode in modes:
        image = marked((40, 20))
        source = image.convert("I").convert(mode) if mode == "I;16" else image.convert(mode)
        header = Image.open(io.BytesIO(encoded(source, fmt)))
        assert header.mode in BYTES_PER_PIXEL, (fmt, mode, header.mode)


@pytest.mark.parametrize(
    ("depth", "colour_type"), [(16, 0), (16, 2), (16, 4), (16, 6), (8, 4), (8, 6)]
)
def test_sixteen_bit_and_transparent_pngs_are_costed_as_they_decode(
    depth: int, colour_type: int
) -> None:
    header = Image.open(io.BytesIO(png_blank(8, 8, depth, colour_type)))

    assert header.mode in BYTES_PER_PIXEL
