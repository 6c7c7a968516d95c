"""Draw the technician app's icons (run once at dev time; the PNGs are committed).

.venv/bin/python scripts/monteur_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "pwa" / "static" / "monteur"
BLUE = (11, 83, 148)
WHITE = (255, 255, 255)


def icon(size: int) -> Image.Image:
    """A white wrench-like mark on blue, inside the maskable safe zone (central 80 %)."""
    image = Image.new("RGB", (size, size), BLUE)
    draw = ImageDraw.Draw(image)
    s = size / 100
    draw.ellipse((30 * s, 22 * s, 58 * s, 50 * s), outline=WHITE, width=round(7 * s))
    draw.rectangle((40 * s, 16 * s, 48 * s, 30 * s), fill=BLUE)
    draw.line((53 * s, 45 * s, 74 * s, 74 * s), fill=WHITE, width=round(10 * s))
    draw.ellipse((68 * s, 68 * s, 80 * s, 80 * s), fill=WHITE)
    return image


def main() -> None:
    for size in (192, 512):
        icon(size).save(OUT / f"icon-{size}.png", optimize=True)


if __name__ == "__main__":
    main()
