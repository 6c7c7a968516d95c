"""Small helpers shared by the API endpoints."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from starlette.requests import Request

from server.domain.errors import BadRequest
from server.models import User
from server.web.params import int_param, path_id, text_param

B = TypeVar("B", bound=BaseModel)

__all__ = ["int_param", "json_object", "parse", "path_id", "text_param", "token_json"]


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
    """The JSON body, which must be an object; anything else is a 400 saying so."""
    try:
        data = json.loads(await request.body() or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadRequest("De body is geen geldige JSON.") from None
    if not isinstance(data, dict):
        raise BadRequest("De body moet een JSON-object zijn.")
    return data
