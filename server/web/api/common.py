"""Small helpers shared by the API endpoints."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from starlette.requests import Request

from server.domain.errors import BadRequest
from server.models import User
from server.web import input_text
from server.web.params import int_param, path_id, text_param

B = TypeVar("B", bound=BaseModel)
# Far deeper than any body the app takes (a sync operation's materials are 5 levels down);
# deeper JSON is refused before anything walks it recursively.
MAX_DEPTH = 32

__all__ = ["int_param", "json_object", "parse", "path_id", "text_param", "token_json"]


def token_json(user: User, token: str, expires: datetime) -> dict[str, Any]:
    """A newly issued bearer token as the login endpoints answer it."""
    return {
        "token": token,
        "expires_at": expires.isoformat(),
        "role": user.role,
        "username": user.username,
    }


async def parse(request: Request, model: type[B], *, check_text: bool = True) -> B:
    """The JSON body as `model`; malformed JSON and wrong fields give a 4xx naming the field."""
    return model.model_validate(await json_object(request, check_text=check_text))


async def json_object(request: Request, *, check_text: bool = True) -> dict[str, Any]:
    """The JSON body, which must be an object; anything else is a 4xx saying so. With
    `check_text`, a NUL or lone surrogate anywhere in it is a 422 naming the field."""
    data = loads(await request.body(), check_text=check_text)
    if not isinstance(data, dict):
        raise BadRequest("De body moet een JSON-object zijn.")
    return data


def loads(raw: bytes | str, *, check_text: bool = True) -> object:
    """Parsed JSON; malformed or nested deeper than MAX_DEPTH is a 400.

    Python's parser takes more than JSON: NaN and Infinity (which no JSON column or answer
    takes) are refused, and so is a number of over 4300 digits, which it fails on with a
    plain ValueError.
    """
    try:
        data = json.loads(raw or b"null", parse_constant=_not_json)
    except RecursionError:  # the parser's own limit, far above MAX_DEPTH
        raise _too_deep() from None
    except ValueError:  # JSONDecodeError and UnicodeDecodeError too
        raise BadRequest("De body is geen geldige JSON.") from None
    _walk(data, "", 0, check_text)
    return data


def _walk(value: object, path: str, depth: int, check_text: bool) -> None:
    if depth > MAX_DEPTH:
        raise _too_deep()
    if isinstance(value, str):
        if check_text and input_text.is_bad(value):
            raise input_text.invalid(path or "body")
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if check_text and input_text.is_bad(key):
                raise input_text.invalid(where)
            _walk(item, where, depth + 1, check_text)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, f"{path}[{index}]", depth + 1, check_text)


def _too_deep() -> BadRequest:
    return BadRequest(f"De JSON is te diep genest (hoogstens {MAX_DEPTH} niveaus).")


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON")
