"""A client's house style as tenants see it: the colour of its e-mails and tracking page, and
the address of its logo (set on the admin screen, server/admin/clients.py)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

DEFAULT_COLOUR = "#1d4ed8"
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def brand(settings: Mapping[str, Any], code: str, base_url: str) -> dict[str, str]:
    colour = str(settings.get("brand_colour") or "")
    return {
        "huisstijl_kleur": colour if COLOUR.match(colour) else DEFAULT_COLOUR,
        "logo_url": f"{base_url}/merk/{code}/logo.png" if settings.get("logo_png") else "",
    }


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on `background` (WCAG relative luminance)."""
    channels = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if luminance > 0.179 else "#ffffff"
