"""VERA's own OpenAPI (Aedes VERA 4.3, Ketenprocessen OHD; MIT, a copy of
shared/standards/vera/Ketenprocessen_OHD.yaml) and a real validator over it: every message the
chain sends is checked against the schema its operation names."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from openapi_schema_validator import OAS30Validator

SPEC_FILE = Path(__file__).with_name("vera") / "Ketenprocessen_OHD.yaml"


@lru_cache(maxsize=1)
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    return loaded


def request_schema(method: str, path: str) -> dict[str, Any]:
    """The request body schema of an operation, as the OpenAPI names it."""
    operation = spec()["paths"][path][method.lower()]
    schema: dict[str, Any] = operation["requestBody"]["content"]["application/json"]["schema"]
    return schema


def errors(method: str, path: str, body: object) -> list[str]:
    """What is wrong with `body` as the request of `method path` (empty: valid)."""
    root = {**request_schema(method, path), "components": spec()["components"]}
    validator = OAS30Validator(root, format_checker=OAS30Validator.FORMAT_CHECKER)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)
    ]


def template(path: str) -> str:
    """The OpenAPI path a concrete path belongs to (/afspraken/X -> /afspraken/{id})."""
    parts = path.strip("/").split("/")
    return "/" + parts[0] + ("/{id}" if len(parts) > 1 else "")
