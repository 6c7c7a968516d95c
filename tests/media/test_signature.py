"""A drawn signature is kept as a small grayscale PNG of the ink, or refused with a reason."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw, PngImagePlugin

from media import PhotoError
from media.signature import from_data_url, normalise, to_data_url


def canvas(size: tuple[int, int], stroke: bool = True, text: str = "") -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    if stroke:
        ImageDraw.Draw(image).line([(30, 60), (90, 20), (150, 70)], fill=(20, 20, 90, 255), width=5)
    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("Comment", text)
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def test_only_the_ink_is_kept_small_gray_and_without_metadata() -> None:
    drawn = canvas((2000, 900), text="geheim")

    kept = Image.open(io.BytesIO(normalise(drawn)))

    assert (kept.format, kept.mode) == ("PNG", "L")
    # Cropped to the stroke (about 120 x 50, a margin of 8 around it), not the 2000 x 900 canvas.
    assert 130 <= kept.width <= 145 and 60 <= kept.height <= 75
    assert "Comment" not in kept.info
    assert kept.getextrema()[0] < 100  # the ink is dark on white


def test_a_wide_signature_is_scaled_down_to_600_by_200() -> None:
    image = Image.new("L", (3000, 400), 255)
    ImageDraw.Draw(image).line([(0, 200), (2999, 200)], fill=0, width=8)
    out = io.BytesIO()
    image.save(out, "PNG")

    kept = Image.open(io.BytesIO(normalise(out.getvalue())))

    assert kept.width == 600 and kept.height <= 200


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (b"", "empty", "De handtekening is leeg."),
        (
            canvas((300, 100), stroke=False),
            "empty",
            "De handtekening is leeg: er is niets getekend.",
        ),
        (b"GIF89a...", "not_an_image", "De handtekening is geen PNG-afbeelding."),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "corrupt", "De handtekening is beschadigd."),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 400_000, "too_large", "De handtekening is te groot."),
    ],
)
def test_what_is_no_usable_signature_is_refused(data: bytes, code: str, message: str) -> None:
    with pytest.raises(PhotoError) as refused:
        normalise(data)

    assert (refused.value.code, refused.value.message) == (code, message)


def test_too_many_pixels_are_refused_before_decoding() -> None:
    huge = Image.new("1", (5000, 1000), 1)
    out = io.BytesIO()
    huge.save(out, "PNG")

    with pytest.raises(PhotoError) as refused:
        normalise(out.getvalue())

    assert refused.value.code == "too_many_pixels"


def test_data_urls_both_ways() -> None:
    png = canvas((200, 80))

    assert from_data_url(to_data_url(png)) == png
    for bad in (None, 42, "data:image/jpeg;base64,AAAA", "iVBORw0KGgo="):
        with pytest.raises(PhotoError, match="geen PNG-afbeelding"):
            from_data_url(bad)
    with pytest.raises(PhotoError, match="niet goed doorgekomen"):
        from_data_url("data:image/png;base64,!!")
