"""Peak memory of media.store() per format and pixel mode, beside the estimate that
media.memory makes from the header (the one that refuses a photo before it is decoded).

Run: .venv/bin/python -m bench.bench_photo_memory [--side 4000]

Each photo is square, `side` pixels wide, with EXIF orientation 6 (turned on its side), so
the rotation's copy is counted. Every photo is stored in a fresh child process, where nothing
else has raised the high-water mark. The estimate must stay above the measured peak in every
row; rerun after a Pillow or pillow-heif upgrade and adjust media/memory.py if it does not.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import ExifTags, Image, ImageCms

import media.heif
from media.memory import bytes_per_pixel

media.heif.register()

# (format for Pillow, the name media/ gives it, mode to save, extra save options)
CASES: list[tuple[str, str, str, dict[str, object]]] = [
    ("JPEG", "JPEG", "L", {}),
    ("JPEG", "JPEG", "RGB", {}),
    ("JPEG", "JPEG", "CMYK", {}),
    ("PNG", "PNG", "1", {}),
    ("PNG", "PNG", "L", {}),
    ("PNG", "PNG", "P", {}),
    ("PNG", "PNG", "P", {"transparency": 0}),
    ("PNG", "PNG", "I;16", {}),
    ("PNG", "PNG", "LA", {}),
    ("PNG", "PNG", "RGB", {}),
    ("PNG", "PNG", "RGBA", {}),
    ("WEBP", "WebP", "RGB", {"quality": 60}),
    ("WEBP", "WebP", "RGBA", {"quality": 60}),
    ("HEIF", "HEIC", "RGB", {"quality": 40}),
    ("HEIF", "HEIC", "RGBA", {"quality": 40}),
    ("JPEG", "JPEG", "RGB", {"icc_profile": ...}),
    ("PNG", "PNG", "RGB", {"icc_profile": ...}),
    ("WEBP", "WebP", "RGB", {"quality": 60, "icc_profile": ...}),
    ("HEIF", "HEIC", "RGB", {"quality": 40, "icc_profile": ...}),
]


def other_profile() -> bytes:
    """sRGB under another name: normalise() converts it like any profile that is not sRGB."""
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return srgb.replace("sRGB".encode("utf-16-be"), "Test".encode("utf-16-be"))


_CHILD = """
import sys
from pathlib import Path
from media import store

def peak():
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) * 1024

data = Path(sys.argv[1]).read_bytes()
before = peak()
store(sys.argv[2], data)
print(peak() - before)
"""


def photo(fmt: str, mode: str, side: int, options: dict[str, object]) -> bytes:
    grey = Image.linear_gradient("L").resize((side, side))
    rgb = Image.merge("RGB", [grey, grey.rotate(90), grey.rotate(180)])
    alpha = grey.rotate(270)
    image = {
        "LA": Image.merge("LA", [grey, alpha]),
        "RGBA": Image.merge("RGBA", [*rgb.split(), alpha]),
        "I;16": grey.convert("I").point(lambda v: v * 256).convert("I;16"),
    }.get(mode) or rgb.convert(mode)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    if "icc_profile" in options:
        options = {**options, "icc_profile": other_profile()}
    out = io.BytesIO()
    image.save(out, fmt, exif=exif, **options)
    return out.getvalue()


def measure(data: bytes, root: Path) -> int:
    with tempfile.NamedTemporaryFile(suffix=".img") as file:
        file.write(data)
        file.flush()
        result = subprocess.run(
            [sys.executable, "-c", _CHILD, file.name, str(root)],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parents[1],
        )
    return int(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=4000)
    side = parser.parse_args().side
    pixels = side * side
    print(f"{side} x {side} = {pixels / 1e6:.1f} MP; bytes per pixel at the peak of store()")
    print(f"{'format':6} {'mode':14} {'decoded':8} {'measured':>8} {'estimate':>8}")
    for fmt, name, mode, options in CASES:
        data = photo(fmt, mode, side, options)
        header = Image.open(io.BytesIO(data))  # what media/ sees before decoding
        decoded, profile = header.mode, "icc_profile" in header.info
        with tempfile.TemporaryDirectory() as root:
            measured = measure(data, Path(root)) / pixels
        estimate = bytes_per_pixel(name, decoded, profile)
        label = mode + (" +transp." if "transparency" in options else "")
        label += " +profile" if profile else ""
        flag = "" if estimate >= measured else "  <- estimate too low"
        print(f"{name:6} {label:14} {decoded:8} {measured:8.1f} {estimate:8d}{flag}")


if __name__ == "__main__":
    main()
