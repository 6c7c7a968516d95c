"""A stand-in for CM.com's gateway: checks the request format and answers the way CM does.

Answers follow CM's "Responses & Errors - JSON": 200 with per-message Accepted, 400 with
errorCode 101 for an unknown product token, 400 with a Rejected message for a refused number.
Some numbers make it misbehave on purpose.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

TOKEN = "00000000-0000-4000-8000-000000000001"
SERVER_ERROR = "0031611111111"  # answers 503
BLACKLISTED = "0031622222222"  # CM refuses it (400, Rejected)
SLOW = "0031633333333"  # answers after 1 s
RATE_LIMITED = "0031644444444"  # answers 429


def _format_problem(body: Any) -> str:
    """What CM would reject about the request's shape, or ''."""
    try:
        messages = body["messages"]
        token = messages["authentication"]["producttoken"]
        (msg,) = messages["msg"]
        numbers = [item["number"] for item in msg["to"]]
        content = msg["body"]["content"]
        kind = msg["body"]["type"]
        sender = msg["from"]
        reference = msg["reference"]
    except (KeyError, TypeError, ValueError) as exc:
        return f"malformed request: {exc!r}"
    if not isinstance(token, str):
        return "producttoken is not a string"
    if not numbers or not all(re.fullmatch(r"00[1-9][0-9]{6,14}", n) for n in numbers):
        return f"bad numbers {numbers}"
    if kind not in ("auto", "AUTO", "TEXT", "text"):
        return f"body type {kind}"
    if not isinstance(content, str) or not content:
        return "A body without content was found"
    if not re.fullmatch(r"[A-Za-z0-9 ]{1,11}|\+?[0-9]{1,16}", sender):
        return f"invalid from {sender!r}"
    if not re.fullmatch(r"[A-Za-z0-9]{1,32}", reference):
        return f"invalid reference {reference!r}"
    if msg.get("allowedChannels") != ["SMS"]:
        return "allowedChannels"
    return ""


def app() -> Starlette:
    received: list[dict[str, Any]] = []

    async def message(request: Request) -> JSONResponse | PlainTextResponse:
        if request.headers.get("content-type", "").split(";")[0] != "application/json":
            return PlainTextResponse("expected JSON", status_code=415)
        body = await request.json()
        received.append(body)
        problem = _format_problem(body)
        if problem:
            return JSONResponse(
                {"details": problem, "errorCode": 202, "messages": []}, status_code=400
            )
        msg = body["messages"]["msg"][0]
        if body["messages"]["authentication"]["producttoken"] != TOKEN:
            return JSONResponse(
                {
                    "details": "No account found for the given authentication",
                    "errorCode": 101,
                    "messages": [],
                },
                status_code=400,
            )
        number = msg["to"][0]["number"]
        if number == SERVER_ERROR:
            return PlainTextResponse("Service Unavailable", status_code=503)
        if number == RATE_LIMITED:
            return PlainTextResponse("Too Many Requests", status_code=429)
        if number == SLOW:
            await asyncio.sleep(1)
        if number == BLACKLISTED:
            return JSONResponse(
                {
                    "details": "Created 0 message(s)",
                    "errorCode": 201,
                    "messages": [
                        {
                            "to": number,
                            "status": "Rejected",
                            "reference": msg["reference"],
                            "parts": 0,
                            "messageDetails": "Recipient is blacklisted",
                            "messageErrorCode": 402,
                        }
                    ],
                },
                status_code=400,
            )
        length = len(msg["body"]["content"])
        return JSONResponse(
            {
                "details": "Created 1 message(s)",
                "errorCode": 0,
                "messages": [
                    {
                        "to": number,
                        "status": "Accepted",
                        "reference": msg["reference"],
                        "parts": 1 if length <= 160 else -(-length // 153),
                        "messageDetails": None,
                        "messageErrorCode": 0,
                    }
                ],
            }
        )

    application = Starlette(routes=[Route("/v1.0/message", message, methods=["POST"])])
    application.state.received = received
    return application
