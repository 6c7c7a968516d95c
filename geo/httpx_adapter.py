"""A geopy adapter on httpx, so geopy's geocoders run async without aiohttp.

geopy ships adapters for urllib (blocking), requests (blocking) and aiohttp. The project
already uses httpx; this keeps one HTTP client and lets a geocoder call be cancelled by the
chain's timeout instead of blocking a thread.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from geopy.adapters import AdapterHTTPError, BaseAsyncAdapter
from geopy.exc import (
    GeocoderParseError,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)


class HttpxAdapter(BaseAsyncAdapter):  # type: ignore[misc]
    """One `httpx.AsyncClient` per adapter; `transport` lets tests use `httpx.MockTransport`."""

    def __init__(
        self,
        *,
        proxies: Any = None,
        ssl_context: Any = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(proxies=proxies, ssl_context=ssl_context)
        # Proxies are ignored on purpose: geocoders run on the same network as the app.
        self._transport = transport

    # geopy calls these with `timeout=`; the name is its interface, not our choice.
    async def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:  # noqa: ASYNC109
        response = await self._get(url, seconds=timeout, headers=headers)
        return response.text

    async def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:  # noqa: ASYNC109
        response = await self._get(url, seconds=timeout, headers=headers)
        try:
            return json.loads(response.text)
        except ValueError as exc:
            raise GeocoderParseError(f"geen geldige JSON van {url}") from exc

    async def _get(self, url: str, *, seconds: float, headers: dict[str, str]) -> httpx.Response:
        try:
            async with httpx.AsyncClient(transport=self._transport, timeout=seconds) as client:
                response = await client.get(url, headers=headers)
        except httpx.TimeoutException as exc:
            raise GeocoderTimedOut(f"geen antwoord binnen {seconds}s") from exc
        except httpx.TransportError as exc:
            raise GeocoderUnavailable(str(exc)) from exc
        except httpx.HTTPError as exc:
            raise GeocoderServiceError(str(exc)) from exc
        if response.status_code >= 400:
            raise AdapterHTTPError(
                f"HTTP-status {response.status_code}",
                status_code=response.status_code,
                headers=response.headers,
                text=response.text,
            )
        return response
