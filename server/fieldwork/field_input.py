"""Checking what the app sends for a repair log; each refusal names the bad value."""

from __future__ import annotations

from typing import Any

from server.domain.errors import Unprocessable

MAX_TEXT = 4000
MAX_MATERIALS = 50


def _text(payload: dict[str, Any], key: str, label: str) -> str:
    value = payload.get(key, "")
    if not isinstance(value, str):
        raise Unprocessable(f"{label} moet tekst zijn, niet {value!r}.", key)
    if len(value) > MAX_TEXT:
        raise Unprocessable(f"{label} is te lang: {len(value)} tekens (maximaal {MAX_TEXT}).", key)
    return value.strip()


def _material(item: object, index: int) -> dict[str, Any]:
    where = f"materials[{index}]"
    if not isinstance(item, dict):
        raise Unprocessable(f"Materiaal {index + 1} is geen object.", where)
    name = item.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise Unprocessable(f"Materiaal {index + 1} mist een naam.", where)
    quantity = item.get("quantity")
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int | float)
        or not 0 < quantity <= 10_000
    ):
        raise Unprocessable(
            f"Aantal van '{name.strip()}' moet groter dan 0 zijn, niet {quantity!r}.", where
        )
    unit = item.get("unit", "st")
    unit = unit.strip()[:10] if isinstance(unit, str) and unit.strip() else "st"
    return {"name": name.strip(), "quantity": quantity, "unit": unit}


def repair_log_fields(payload: dict[str, Any]) -> dict[str, Any]:
    cause = _text(payload, "cause", "Oorzaak")
    work = _text(payload, "work_done", "Uitgevoerde werkzaamheden")
    if not cause and not work:
        raise Unprocessable("Vul de oorzaak of de uitgevoerde werkzaamheden in.", "work_done")
    materials = payload.get("materials", [])
    if not isinstance(materials, list) or len(materials) > MAX_MATERIALS:
        raise Unprocessable(f"Materialen: een lijst van hoogstens {MAX_MATERIALS}.", "materials")
    minutes = payload.get("minutes", 0)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= 24 * 60:
        raise Unprocessable(
            f"Bestede tijd moet 0 tot 1440 minuten zijn, niet {minutes!r}.", "minutes"
        )
    fixed = payload.get("fixed")
    if not isinstance(fixed, bool):
        raise Unprocessable(
            f"Geef aan of de storing verholpen is (ja/nee), niet {fixed!r}.", "fixed"
        )
    return {
        "cause": cause,
        "work_done": work,
        "materials": [_material(m, i) for i, m in enumerate(materials)],
        "minutes": minutes,
        "fixed": fixed,
    }
