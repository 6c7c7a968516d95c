"""Text no database can store is refused where it comes in, naming the field.

PostgreSQL refuses U+0000 in text and JSON columns, and a lone surrogate (half of a UTF-16
pair, such as "\\ud83d" in JSON) cannot be encoded as UTF-8 for either database. Both arrive
through JSON escapes, percent-encoded forms and query strings, and used to surface as a 500
from the driver (or, on SQLite, be stored). Checking once at the edge gives the same 422 on both
databases: the path, query and form fields here (`TextCheck`), JSON bodies in
`server/web/api/common.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.domain.errors import AppError, NotFound, Unprocessable
from server.web.errors import error_response

_BAD = re.compile("[\x00\ud800-\udfff]")
FORM = b"application/x-www-form-urlencoded"


def is_bad(text: str) -> bool:
    return _BAD.search(text) is not None


def invalid(field: str) -> Unprocessable:
    """The refusal for a field holding a NUL or a lone surrogate; the name is shown escaped."""
    name = _BAD.sub(lambda m: f"\\u{ord(m.group()):04x}", field)
    return Unprocessable(f"Veld '{name}' bevat een ongeldig teken.", name)


def check_pairs(pairs: Iterable[tuple[str, str]]) -> None:
    """Query or form fields: the first one whose name or value is bad is refused."""
    for name, value in pairs:
        if is_bad(name) or is_bad(value):
            raise invalid(name)


def check_query(query_string: bytes) -> None:
    if query_string:
        check_pairs(_pairs(query_string.decode("latin-1")))


class TextCheck:
    """Refuses a NUL in the path (404: no route names one), and a NUL or lone surrogate in a
    query parameter or a form field (422), before any endpoint reads them.

    Sits inside the session and authentication middleware, so the refusal is the usual page
    for the signed-in user; forms are at most MAX_BODY_BYTES here (server/web/body_limits.py),
    so holding one to check it is cheap. Multipart bodies are left alone: the only route that
    takes one is the photo upload, whose one field is a file.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            if "\x00" in scope["path"]:
                raise NotFound("Deze pagina bestaat niet.")
            check_query(scope["query_string"])
            if _content_type(scope) == FORM:
                messages, body = await _read_all(receive)
                check_pairs(_pairs(body.decode("latin-1")))
                receive = _replay(messages, receive)
        except AppError as exc:
            await error_response(HTTPConnection(scope), exc)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _pairs(encoded: str) -> list[tuple[str, str]]:
    # Decoded as Starlette decodes query strings and forms: bytes that are not UTF-8 become
    # U+FFFD, so a lone surrogate cannot arrive this way; a NUL (%00) can.
    return parse_qsl(encoded, keep_blank_values=True)


def _content_type(scope: Scope) -> bytes:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return bytes(value.split(b";", 1)[0].strip().lower())
    return b""


async def _read_all(receive: Receive) -> tuple[list[Message], bytes]:
    messages: list[Message] = []
    chunks: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return messages, b"".join(chunks)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return replay
