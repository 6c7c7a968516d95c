"""What the hand-written inserts store for a value (server/db.py `converter`) is what the ORM's
own `Field.to_db_value` stores, for every field of every model: the same value, or the same
refusal (a text too long, a wrong type), so a batch insert checks what a save checks."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

import pytest
from tortoise import Tortoise
from tortoise.exceptions import ValidationError

from server import db

NOW = datetime(2026, 3, 2, 10, tzinfo=UTC)


class _Kind(enum.StrEnum):
    SMS = "sms"


PROBES: list[Any] = [
    None,
    "",
    "kort",
    "x" * 12,
    "é" * 40,
    "lang " * 400,
    _Kind.SMS,
    0,
    7,
    -3,
    2**40,
    True,
    False,
    1.5,
    NOW,
    {"a": [1, 2]},
    [1, "twee"],
]


def _outcome(convert: Any, value: Any) -> tuple[str, Any]:
    try:
        return "value", convert(value, None)
    except Exception as error:  # the refusal itself is what must be the same
        return type(error).__name__, str(error)


async def test_every_field_stores_what_the_orm_stores(db_clean: None) -> None:
    checked = fast = 0
    for app in Tortoise.apps.values():
        for model in app.values():
            for name, field in model._meta.fields_map.items():
                if name not in model._meta.fields_db_projection:
                    continue  # a relation: stored through its id column
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    continue  # the ORM puts the moment of the call in: not comparable
                mine = db.converter(model, name)
                fast += mine != field.to_db_value
                for value in PROBES:
                    expected = _outcome(field.to_db_value, value)
                    assert _outcome(mine, value) == expected, (model.__name__, name, value)
                    checked += 1
    assert checked > 1000  # every model's fields were there to compare
    assert fast > 100  # and most take the quick way


async def test_a_too_long_text_is_refused_in_a_batch_as_in_a_save(db_clean: None) -> None:
    from server.models import Client

    convert = db.converter(Client, "code")
    assert convert("WST", None) == "WST"
    with pytest.raises(ValidationError, match="code: .* > 20"):
        convert("X" * 21, None)
