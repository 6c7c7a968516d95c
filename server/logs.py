"""Logging set-up: one JSON object per line (python-json-logger), each with the request id.

The request id lives in a context variable that server/web/request_context.py sets for each
request; a filter on the handler copies it onto every record, so a line written deep inside a
service (or by a library) while answering a request carries the id of that request. Lines
outside a request (start-up, jobs) have `request_id: null`.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# Renamed to the names log collectors (Loki, Elastic, CloudWatch) expect.
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"
RENAMED = {"asctime": "time", "levelname": "level", "name": "logger"}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def handler(fmt: str, stream: object = None) -> logging.Handler:
    """A stream handler writing `fmt` ("json" or "text") with the request id on each record."""
    out = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    out.addFilter(RequestIdFilter())
    if fmt == "text":
        out.setFormatter(logging.Formatter(TEXT_FORMAT))
    else:
        out.setFormatter(
            JsonFormatter(
                JSON_FIELDS,
                rename_fields=RENAMED,
                json_ensure_ascii=False,
                datefmt="%Y-%m-%dT%H:%M:%S%z",
            )
        )
    return out


def configure(fmt: str, level: str = "INFO") -> None:
    """The root logger writes to stderr in `fmt`; uvicorn's loggers go through it too (its
    own access log is off: server/web/request_context.py writes one without secrets)."""
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "meldkamer", False):
            root.removeHandler(old)
    new = handler(fmt)
    new.meldkamer = True  # type: ignore[attr-defined]
    root.addHandler(new)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # httpx logs every outgoing request's full URL at INFO: a push endpoint is a capability,
    # a geocoder query holds an address. Its warnings and errors still come through.
    logging.getLogger("httpx").setLevel(logging.WARNING)
