"""A JSON response that can carry any Python str, the lone surrogates of broken input too."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse as StarletteJSONResponse


class JSONResponse(StarletteJSONResponse):
    """Starlette's JSONResponse, UTF-8 as usual; a str holding a lone surrogate (half an emoji
    a browser cut in two, echoed in an answer or an error message) cannot be encoded as UTF-8,
    so that body is written with ASCII escapes ("\\ud83d") instead of failing with a 500."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            return json.dumps(
                content, ensure_ascii=True, allow_nan=False, indent=None, separators=(",", ":")
            ).encode("ascii")
