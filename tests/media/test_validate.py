"""What is accepted and what is refused, with the message a person sees."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from media import DEFAULT_LIMITS, Limits, PhotoError, store
from media.validate import open_image, read_limited

from .images import RED, encoded, photo, png_header_only


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("JPEG", "JPEG"), ("PNG", "PNG"), ("WEBP", "WebP"), ("HEIF", "HEIC")],
)
def test_accepted_formats(fmt: str, name: str, tmp_path: Path) -> None:
    data = photo(fmt, (64, 48))

    source = open_image(data)
    stored = store(tmp_path, data)

    assert source.format == name
    assert (stored.width, stored.height) == (64, 48)
    assert stored.content_type == "image/jpeg"


def test_mpo_from_a_phone_camera_gives_its_primary_picture() -> None:
    primary = Image.new("RGB", (60, 40), RED)
    second = Image.new("RGB", (30, 20), (0, 255, 0))
    data = encoded(primary, "MPO", save_all=True, append_images=[second])

    source = open_image(data)

    assert source.format == "JPEG"
    assert source.image.size == (60, 40)
    assert source.image.getpixel((5, 5)) == pytest.approx(RED, abs=8)


def test_heic_with_several_images_gives_its_primary_picture() -> None:
    thumbnail = Image.new("RGB", (30, 20), (0, 255, 0))
    primary = Image.new("RGB", (60, 40), RED)
    data = encoded(thumbnail, "HEIF", save_all=True, append_images=[primary], primary_index=1)

    source = open_image(data)

    assert source.image.size == (60, 40)
    assert source.image.getpixel((5, 5)) == pytest.approx(RED, abs=8)


@pytest.mark.parametrize("fmt", ["WEBP", "PNG"])
def test_animation_gives_its_first_frame(fmt: str) -> None:
    frames = [Image.new("RGB", (30, 30), colour) for colour in (RED, (0, 255, 0))]
    data = encoded(frames[0], fmt, save_all=True, append_images=frames[1:], lossless=True)

    source = open_image(data)

    assert source.image.getpixel((1, 1)) == RED


def _refusal(data: bytes, limits: Limits = DEFAULT_LIMITS) -> PhotoError:
    with pytest.raises(PhotoError) as caught:
        open_image(data, limits)
    return caught.value


JPEG = photo("JPEG", (200, 100), quality=90)


NOT_SUPPORTED = "wordt niet ondersteund (toegestaan: JPEG, PNG, WebP, HEIC)"


@pytest.mark.parametrize(
    ("data", "message", "code"),
    [
        pytest.param(
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
            "Bestand is geen foto (gevonden: PDF)",
            "not_an_image",
            id="pdf",
        ),
        pytest.param(
            b"Lekkage in de badkamer, zie foto",
            "Bestand is geen foto (gevonden: tekst)",
            "not_an_image",
            id="text",
        ),
        pytest.param(
            b"<!DOCTYPE html>\n<html><body>",
            "Bestand is geen foto (gevonden: HTML)",
            "not_an_image",
            id="html",
        ),
        pytest.param(
            b"<?xml version='1.0'?><svg xmlns='x'/>",
            f"Fotoformaat SVG {NOT_SUPPORTED}",
            "unsupported_format",
            id="svg",
        ),
        pytest.param(
            b"PK\x03\x04\x14\x00\x06\x00",
            "Bestand is geen foto (gevonden: ZIP-archief of Office-document)",
            "not_an_image",
            id="zip",
        ),
        pytest.param(
            b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom",
            "Bestand is geen foto (gevonden: video (MP4/MOV))",
            "not_an_image",
            id="mp4",
        ),
        pytest.param(
            photo("GIF"), f"Fotoformaat GIF {NOT_SUPPORTED}", "unsupported_format", id="gif"
        ),
        pytest.param(
            photo("TIFF"), f"Fotoformaat TIFF {NOT_SUPPORTED}", "unsupported_format", id="tiff"
        ),
        pytest.param(
            bytes(range(256)) * 4,
            "Bestand is geen foto (onbekend bestandstype)",
            "not_an_image",
            id="binary",
        ),
        pytest.param(b"", "Bestand is leeg", "empty", id="empty"),
        pytest.param(
            JPEG[: len(JPEG) // 2],
            "Foto is beschadigd of onvolledig (JPEG)",
            "corrupt",
            id="jpeg-half",
        ),
        pytest.param(
            JPEG[:-2], "Foto is beschadigd of onvolledig (JPEG)", "corrupt", id="jpeg-no-end"
        ),
        pytest.param(
            b"\xff\xd8\xff\xe0" + b"\x00" * 200,
            "Foto is beschadigd of onvolledig (JPEG)",
            "corrupt",
            id="jpeg-header-only",
        ),
        pytest.param(
            photo("PNG", (200, 100))[:-40],
            "Foto is beschadigd of onvolledig (PNG)",
            "corrupt",
            id="png-cut",
        ),
        pytest.param(
            photo("WEBP", (200, 100))[:-40],
            "Foto is beschadigd of onvolledig (WebP)",
            "corrupt",
            id="webp-cut",
        ),
        pytest.param(
            photo("HEIF", (200, 100))[:-40],
            "Foto is beschadigd of onvolledig (HEIC)",
            "corrupt",
            id="heic-cut",
        ),
    ],
)
def test_refused_with_a_message(data: bytes, message: str, code: str) -> None:
    error = _refusal(data)

    assert (error.message, error.code) == (message, code)
    assert str(error) == message


def test_a_png_with_a_wrong_checksum_is_refused() -> None:
    data = bytearray(photo("PNG", (50, 50)))
    data[-20] ^= 0xFF  # inside IDAT, so its CRC no longer matches

    assert _refusal(bytes(data)).code == "corrupt"


def test_the_name_and_declared_type_are_not_even_asked() -> None:
    # The API takes no filename or content type: only the bytes decide.
    with pytest.raises(PhotoError, match=r"gevonden: tekst"):
        store(Path("unused"), io.BytesIO(b"just text, saved as foto.jpg"))


def test_too_many_bytes() -> None:
    data = JPEG + b"\x00" * (31_200_000 - len(JPEG))

    error = _refusal(data)

    assert error.message == "Foto is te groot: 31,2 MB (maximaal 25 MB)"
    assert (error.code, error.status) == ("too_large", 413)


def test_too_many_bytes_never_reads_as_the_limit_itself() -> None:
    error = _refusal(JPEG, Limits(max_bytes=len(JPEG) - 1))

    assert error.message.startswith("Foto is te groot: 0,")
    assert _refusal(b"\xff" * 1_000_001, Limits(max_bytes=1_000_000)).message == (
        "Foto is te groot: 1,1 MB (maximaal 1 MB)"
    )


def test_too_many_bytes_in_a_stream_is_found_before_reading_it() -> None:
    stream = io.BytesIO(b"\xff" * 2_500_000)

    with pytest.raises(PhotoError, match=r"^Foto is te groot: 2,5 MB \(maximaal 2 MB\)$"):
        read_limited(stream, Limits(max_bytes=2_000_000))
    assert stream.tell() == 0


class _Pipe(io.RawIOBase):
    """A stream that cannot seek, like a socket."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = min(len(buffer), self.left)
        buffer[:count] = b"\xff" * count
        self.left -= count
        return count


def test_too_many_bytes_in_an_unseekable_stream_reads_one_byte_past_the_limit() -> None:
    pipe = _Pipe(5_000_000)

    with pytest.raises(PhotoError, match=r"^Foto is te groot: meer dan 1 MB \(maximaal 1 MB\)$"):
        read_limited(io.BufferedReader(pipe), Limits(max_bytes=1_000_000))
    assert pipe.left >= 5_000_000 - 1_000_001 - io.DEFAULT_BUFFER_SIZE


def test_too_many_pixels_is_refused_from_the_header() -> None:
    error = _refusal(png_header_only(9000, 9000))

    assert error.message == (
        "Foto heeft te veel pixels: 9000 × 9000 = 81,0 megapixel (maximaal 50 megapixel)"
    )
    assert error.code == "too_many_pixels"


def test_the_pixel_limit_is_a_parameter() -> None:
    error = _refusal(photo("PNG", (1000, 1000)), Limits(max_pixels=500_000))

    assert error.message == (
        "Foto heeft te veel pixels: 1000 × 1000 = 1,0 megapixel (maximaal 0,5 megapixel)"
    )


def test_decompression_bomb_is_refused() -> None:
    error = _refusal(png_header_only(20_000, 20_000))

    assert error.message == "Foto heeft te veel pixels (maximaal 50 megapixel)"
    assert error.code == "too_many_pixels"


# Peak memory from VmHWM: ru_maxrss of a child starts at the parent's size (Linux keeps it
# across fork and exec), which would hide the child's own growth under pytest's.
_BOMB_SCRIPT = """
import sys
from pathlib import Path
from media import PhotoError, store
from tests.media.images import png_blank, png_header_only

def peak_kib():
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0])

bombs = [png_header_only(20_000, 20_000), png_header_only(9_000, 9_000)]
bombs.append(png_blank(7_000, 7_000, depth=16, colour_type=6))
for data in bombs:
    before = peak_kib()
    try:
        store(sys.argv[1], data)
    except PhotoError as error:
        print(error.code, peak_kib() - before)
"""


def test_decompression_bombs_take_no_memory(tmp_path: Path) -> None:
    # A fresh process, so its peak memory is this test's alone. Decoding would need
    # 400 MB (20000 x 20000) or 81 MB (9000 x 9000), one byte per pixel; storing the
    # 7000 x 7000 RGBA one some 0.9 GB.
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", _BOMB_SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
    )

    lines = [line.split() for line in result.stdout.splitlines()]
    assert [code for code, _ in lines] == ["too_many_pixels", "too_many_pixels", "too_much_memory"]
    assert all(int(grown_kb) < 20_000 for _, grown_kb in lines), result.stdout
    assert list(tmp_path.iterdir()) == []
