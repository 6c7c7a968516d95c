"""Checking what the app sends for a repair log and for closing a job; each refusal names the
bad value."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from media import PhotoError
from media import signature as signatures
from server.domain.codes import RESULT_LABELS
from server.domain.errors import Unprocessable
from server.domain.lifecycle import FIELD_RESULTS, check_field_result

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


# What a job closed with this result says about the fault, for the werkbon's "verholpen".
FIXED_RESULTS = frozenset({"verholpen", "rekening_huurder"})
MAX_NAME = 200


def close_fields(payload: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    """The result code and the werkbon of a `complete` operation (None: none sent, so one
    recorded earlier in the visit must do). The werkbon's `fixed` follows from the result."""
    code = payload.get("result_code")
    if not isinstance(code, str) or code not in RESULT_LABELS:
        known = ", ".join(sorted(FIELD_RESULTS))
        raise Unprocessable(
            f"Kies het resultaat van het bezoek ({known}), niet {code!r}.", "result_code"
        )
    check_field_result({"result_code": code})
    werkbon = payload.get("werkbon")
    if werkbon is None:
        return code, None
    if not isinstance(werkbon, dict):
        raise Unprocessable(f"De werkbon moet een object zijn, niet {werkbon!r}.", "werkbon")
    values = repair_log_fields({**werkbon, "fixed": code in FIXED_RESULTS})
    arrived = _moment(werkbon, "arrived_at", "Aankomst")
    finished = _moment(werkbon, "finished_at", "Gereed")
    if arrived and finished and finished < arrived:
        raise Unprocessable("Gereed ligt vóór de aankomst.", "finished_at")
    values.update(arrived_at=arrived, finished_at=finished, **_signature(werkbon))
    return code, values


def _moment(werkbon: dict[str, Any], key: str, label: str) -> datetime | None:
    value = werkbon.get(key)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Unprocessable(f"{label} moet een tijdstip met tijdzone zijn, niet {value!r}.", key)
    return moment


def _signature(werkbon: dict[str, Any]) -> dict[str, Any]:
    """The tenant's signature made small (media/signature.py) and the name under it; both
    optional: the tenant may not be home, or may not want to sign."""
    drawn = werkbon.get("signature")
    name = werkbon.get("signed_by", "")
    if not isinstance(name, str) or len(name) > MAX_NAME:
        raise Unprocessable(
            f"De naam bij de handtekening is tekst van hoogstens {MAX_NAME} tekens.", "signed_by"
        )
    if drawn is None:
        return {"signature": None, "signed_by": ""}
    try:
        png = signatures.normalise(signatures.from_data_url(drawn))
    except PhotoError as exc:
        raise Unprocessable(exc.message, "signature") from None
    return {"signature": signatures.to_data_url(png), "signed_by": name.strip()}
