"""Small helpers shared by the API endpoints."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from starlette.requests import Request

from server.domain.errors import BadRequest
from server.models import User

B = TypeVar("B", bound=BaseModel)


def token_json(user: User, token: str, expires: datetime) -> dict[str, Any]:
    """A newly issued bearer token as the login endpoints answer it."""
    return {
        "token": token,
        "expires_at": expires.isoformat(),
        "role": user.role,
        "username": user.username,
    }


async def parse(request: Request, model: type[B]) -> B:
    """The JSON body as `model`; malformed JSON and wrong fields give a 4xx naming the field."""
    return model.model_validate(await json_object(request))


async def json_object(request: Request) -> dict[str, Any]:
    """The JSON body, which must be an object; anything else is a 400 saying so.

    Python's parser takes more than JSON: NaN and Infinity (which no JSON column or answer
    takes) are refused here, and so are a number of over 4300 digits or nesting too deep to
    parse, which it fails on with a plain ValueError or RecursionError.
    """
    try:
        data = json.loads(await request.body() or b"null", parse_constant=_not_json)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError too
        raise BadRequest("De body is geen geldige JSON.") from None
    if not isinstance(data, dict):
        raise BadRequest("De body moet een JSON-object zijn.")
    return data


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON")


def int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"'{raw}' is geen getal.", name) from None
    if not low <= value <= high:
        raise BadRequest(f"{name} moet tussen {low} en {high} liggen.", name)
    return value
