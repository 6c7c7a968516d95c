"""A small async client for PDOK's Locatieserver v3.1 (`free` and `lookup`), the public Dutch
geocoder on the BAG. Documents carry `centroide_ll` as `POINT(lon lat)` and the BAG
`nummeraanduiding_id`, which we keep as the result's `bag_id`."""

from __future__ import annotations

import re
from typing import Any

import httpx

from geo.address import Address, GeoResult, Precision
from geo.point import valid

DEFAULT_URL = "https://api.pdok.nl/bzk/locatieserver/search/v3_1"
FIELDS = (
    "id,type,weergavenaam,postcode,huisnummer,huisletter,huisnummertoevoeging,"
    "nummeraanduiding_id,adresseerbaarobject_id,centroide_ll"
)
_POINT = re.compile(r"^\s*POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)\s*$")


class PdokError(Exception):
    """The Locatieserver answered with something we cannot use."""


class PdokGeocoder:
    name = "pdok"

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        timeout: float = 1.5,
        user_agent: str = "meldkamer-geocoder",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.headers = {"User-Agent": user_agent, "Accept": "application/json"}
        self._transport = transport

    async def geocode(self, address: Address) -> GeoResult | None:
        """The address document matching postcode and house number (suffix preferred)."""
        if address.house_number is None:
            return None
        query = address.one_line()
        params = {"q": query, "fq": "type:adres", "fl": FIELDS, "rows": "10"}
        docs = await self._docs("free", params)
        doc = best_match(docs, address)
        return None if doc is None else to_result(doc)

    async def lookup(self, doc_id: str) -> GeoResult | None:
        """One document by its Locatieserver id (from `suggest` or `free`)."""
        docs = await self._docs("lookup", {"id": doc_id, "fl": FIELDS})
        return to_result(docs[0]) if docs else None

    async def _docs(self, endpoint: str, params: dict[str, str]) -> list[dict[str, Any]]:
        async with httpx.AsyncClient(transport=self._transport, timeout=self.timeout) as client:
            response = await client.get(
                f"{self.base_url}/{endpoint}", params=params, headers=self.headers
            )
        response.raise_for_status()
        try:
            docs = response.json()["response"]["docs"]
        except (ValueError, KeyError, TypeError) as exc:
            raise PdokError(f"onverwacht antwoord van {endpoint}: {response.text[:200]!r}") from exc
        if not isinstance(docs, list):
            raise PdokError(f"onverwacht antwoord van {endpoint}: docs is geen lijst")
        return [doc for doc in docs if isinstance(doc, dict)]


def _suffix(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def best_match(docs: list[dict[str, Any]], address: Address) -> dict[str, Any] | None:
    """The doc with the asked postcode and number: the same suffix first, else the first one
    with that number (same building, so still house-level coordinates)."""
    same_number = [
        doc
        for doc in docs
        if doc.get("type", "adres") == "adres"
        and _as_int(doc.get("huisnummer")) == address.house_number
        and (len(address.pc6) < 6 or doc.get("postcode") == address.pc6)
    ]
    wanted = _suffix(address.suffix)
    for doc in same_number:
        found = _suffix(f"{doc.get('huisletter', '')}{doc.get('huisnummertoevoeging', '')}")
        if found == wanted:
            return doc
    return same_number[0] if same_number else None


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_point(text: str) -> tuple[float, float] | None:
    """`POINT(4.89 52.37)` -> (52.37, 4.89): WKT has longitude first."""
    match = _POINT.match(text or "")
    if match is None:
        return None
    lon, lat = float(match.group(1)), float(match.group(2))
    return (lat, lon) if valid(lat, lon) else None


def to_result(doc: dict[str, Any]) -> GeoResult | None:
    point = parse_point(str(doc.get("centroide_ll", "")))
    if point is None:
        return None
    bag_id = doc.get("nummeraanduiding_id")
    return GeoResult(point[0], point[1], Precision.ADRES, "pdok", str(bag_id) if bag_id else None)
