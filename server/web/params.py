"""Reading numbers from query strings and paths, for pages and the API alike."""

from __future__ import annotations

from starlette.requests import Request

from server.domain.errors import BadRequest, NotFound
from server.domain.numbers import INT_MAX, row_id, whole_number


def int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    """Query parameter `name` as a whole number in [low, high]; absent or empty is `default`."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    value = whole_number(raw, low, high)
    if value is None:
        if whole_number(raw, 0, 10**18) is None:
            raise BadRequest(f"{name}: '{raw[:40]}' is geen geheel getal.", name)
        raise BadRequest(f"{name} moet tussen {low} en {high} liggen.", name)
    return value


def path_id(request: Request, name: str, label: str) -> int:
    """Path parameter `name` as a row id; anything that cannot be one is not found."""
    raw = request.path_params[name]
    value = row_id(raw)
    if value is None:
        raise NotFound(f"{label} '{str(raw)[:40]}' niet gevonden.", name)
    return value


def text_param(request: Request, name: str, max_length: int) -> str:
    """Query parameter `name` as text of at most `max_length` characters (default empty)."""
    raw = request.query_params.get(name, "")
    if len(raw) > max_length:
        raise BadRequest(f"{name} mag hoogstens {max_length} tekens lang zijn.", name)
    return raw


__all__ = ["INT_MAX", "int_param", "path_id", "text_param"]
