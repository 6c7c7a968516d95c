"""Stored photos are upright, RGB and carry no metadata at all."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageCms, JpegImagePlugin

from media import StoredPhoto, open_path, store

from .images import BLUE, RED, encoded, exif, marked, photo

WHITE = (255, 255, 255)


def _open(root: Path, stored: StoredPhoto, variant: str = "original") -> Image.Image:
    with Image.open(open_path(root, stored.key, variant)) as image:
        image.load()
        return image


def _corner_colours(image: Image.Image) -> list[tuple[int, ...]]:
    """Colour near each corner: top-left, top-right, bottom-right, bottom-left."""
    w, h = image.size
    points = [(5, 5), (w - 6, 5), (w - 6, h - 6), (5, h - 6)]
    return [_rounded(image.getpixel(point)) for point in points]


def _rounded(pixel: object) -> tuple[int, ...]:
    # JPEG is lossy: snap each channel to 0 or 255.
    assert isinstance(pixel, tuple)
    return tuple(255 if channel > 127 else 0 for channel in pixel)


# Where the red corner of marked() ends up after each EXIF orientation, and the size.
ORIENTATIONS = {
    1: ((80, 40), 0),
    2: ((80, 40), 1),
    3: ((80, 40), 2),
    4: ((80, 40), 3),
    5: ((40, 80), 0),
    6: ((40, 80), 1),
    7: ((40, 80), 2),
    8: ((40, 80), 3),
}


@pytest.mark.parametrize("orientation", sorted(ORIENTATIONS))
def test_exif_orientation_is_applied(orientation: int, tmp_path: Path) -> None:
    data = encoded(marked((80, 40)), "JPEG", quality=95, exif=exif(orientation))

    stored = store(tmp_path, data)
    image = _open(tmp_path, stored)

    size, red_corner = ORIENTATIONS[orientation]
    assert (stored.width, stored.height) == image.size == size
    expected = [BLUE] * 4
    expected[red_corner] = RED
    assert _corner_colours(image) == expected
    assert image.getexif().get(0x0112) is None


def test_heic_orientation_is_applied(tmp_path: Path) -> None:
    # Like an iPhone: the rotation is in the container (irot), EXIF repeats it.
    data = encoded(marked((80, 40)), "HEIF", quality=95, exif=exif(6).tobytes())

    stored = store(tmp_path, data)
    image = _open(tmp_path, stored)

    assert image.size == (40, 80)
    assert _corner_colours(image) == [BLUE, RED, BLUE, BLUE]


def test_the_screen_and_thumbnail_are_upright_too(tmp_path: Path) -> None:
    data = encoded(marked((800, 400)), "JPEG", quality=95, exif=exif(8))

    stored = store(tmp_path, data)

    for variant in ("screen", "thumb"):
        image = _open(tmp_path, stored, variant)
        assert image.height > image.width
        assert _corner_colours(image) == [BLUE, BLUE, BLUE, RED]


XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description xmp:Creator="J"/>'
XMP += b"</rdf:RDF></x:xmpmeta>"
SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
# Traces that metadata leave in a file, whatever the container.
TRACES = (b"Exif\x00\x00", b"Acme", b"Phone 12", b"2025:01:31", b"adobe:ns:meta", b"geheim")


@pytest.mark.parametrize(
    ("fmt", "params"),
    [
        ("JPEG", {"exif": exif(), "xmp": XMP, "comment": b"geheim", "icc_profile": SRGB_ICC}),
        ("PNG", {"exif": exif(), "icc_profile": SRGB_ICC}),
        ("WEBP", {"exif": exif(), "xmp": XMP, "icc_profile": SRGB_ICC}),
        ("HEIF", {"exif": exif(), "xmp": XMP}),
    ],
)
def test_all_metadata_is_removed(fmt: str, params: dict[str, object], tmp_path: Path) -> None:
    data = encoded(marked((120, 80)), fmt, **params)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825), "the test photo has GPS"

    stored = store(tmp_path, data)

    for variant in ("original", "screen", "thumb"):
        path = open_path(tmp_path, stored.key, variant)
        image = _open(tmp_path, stored, variant)
        assert dict(image.getexif()) == {}
        assert image.getexif().get_ifd(0x8825) == {}
        assert set(image.info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density"}
        raw = path.read_bytes()
        assert [trace for trace in TRACES if trace in raw] == []


def test_transparency_becomes_white(tmp_path: Path) -> None:
    image = Image.new("RGBA", (60, 40), (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (0, 0, 30, 40))

    stored = store(tmp_path, encoded(image, "PNG"))

    out = _open(tmp_path, stored)
    assert out.mode == "RGB"
    assert _rounded(out.getpixel((10, 20))) == RED
    assert _rounded(out.getpixel((50, 20))) == WHITE


def test_palette_with_transparency_becomes_white(tmp_path: Path) -> None:
    image = Image.new("P", (40, 40), 0)
    image.putpalette([0, 0, 0, 255, 0, 0])
    image.paste(1, (0, 0, 20, 40))

    stored = store(tmp_path, encoded(image, "PNG", transparency=0))

    out = _open(tmp_path, stored)
    assert _rounded(out.getpixel((10, 20))) == RED
    assert _rounded(out.getpixel((30, 20))) == WHITE


def test_sixteen_bit_grey_is_scaled_not_clipped(tmp_path: Path) -> None:
    image = Image.new("I;16", (40, 40), 32768)

    stored = store(tmp_path, encoded(image, "PNG"))

    red, green, blue = _open(tmp_path, stored).getpixel((20, 20))  # type: ignore[misc]
    assert red == green == blue == pytest.approx(128, abs=2)


def test_cmyk_jpeg_becomes_rgb(tmp_path: Path) -> None:
    image = Image.new("CMYK", (40, 40), (0, 255, 255, 0))  # red in print colours

    stored = store(tmp_path, encoded(image, "JPEG", quality=95))

    out = _open(tmp_path, stored)
    assert out.mode == "RGB"
    assert _rounded(out.getpixel((20, 20))) == RED


def test_a_broken_colour_profile_does_not_refuse_the_photo(tmp_path: Path) -> None:
    data = photo("JPEG", (80, 40), quality=95, icc_profile=b"not a profile at all")

    stored = store(tmp_path, data)

    assert _corner_colours(_open(tmp_path, stored)) == [RED, BLUE, BLUE, BLUE]


def test_an_srgb_profile_leaves_the_colours_alone(tmp_path: Path) -> None:
    plain = store(tmp_path, photo("PNG", (80, 40)))
    tagged = store(tmp_path, photo("PNG", (80, 40), icc_profile=SRGB_ICC))

    assert tagged.key == plain.key


def test_the_same_picture_with_or_without_gps_is_one_photo(tmp_path: Path) -> None:
    bare = store(tmp_path, photo("JPEG", (80, 40), quality=95))
    located = store(tmp_path, photo("JPEG", (80, 40), quality=95, exif=exif()))

    assert located.key == bare.key
    assert located.created is False


@pytest.mark.parametrize(("fmt", "subsampling"), [("PNG", 0), ("JPEG", 2), ("WEBP", 2)])
def test_screenshots_keep_full_colour_resolution(
    fmt: str, subsampling: int, tmp_path: Path
) -> None:
    stored = store(tmp_path, photo(fmt, (64, 64)))

    image = _open(tmp_path, stored)
    assert isinstance(image, JpegImagePlugin.JpegImageFile)
    assert JpegImagePlugin.get_sampling(image) == subsampling
