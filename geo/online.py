"""Online geocoders chosen by URL: `pdok+https://…`, `nominatim+https://…`, `photon+http://…`.

Nominatim and Photon go through geopy (on the httpx adapter); PDOK's Locatieserver has a small
client of its own (geo.pdok) because geopy has none. An online result counts only when it is
house-level: a street or town match is no better than the offline postcode table that follows.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import httpx
from geopy.geocoders import Nominatim, Photon

from geo.address import Address, GeoResult, Precision
from geo.geocode import OnlineGeocoder
from geo.httpx_adapter import HttpxAdapter
from geo.pdok import PdokGeocoder

KINDS = ("pdok", "nominatim", "photon")
DEFAULT_TIMEOUT = 1.5
DEFAULT_USER_AGENT = "meldkamer-geocoder"
_LEADING_DIGITS = re.compile(r"\d+")
# South-west and north-east corners (lat, lon), Wadden islands and Zuid-Limburg included.
NETHERLANDS = [(50.70, 3.20), (53.70, 7.30)]


class GeopyGeocoder:
    """Nominatim or Photon through geopy, asked for one house-level result in the Netherlands."""

    def __init__(self, kind: str, geocoder: Any, *, timeout: float) -> None:
        self.name = kind
        self._geocoder = geocoder
        self._timeout = timeout

    async def geocode(self, address: Address) -> GeoResult | None:
        if self.name == "nominatim":
            location = await self._geocoder.geocode(
                _structured(address),
                addressdetails=True,
                country_codes="nl",
                timeout=self._timeout,
            )
        else:
            location = await self._geocoder.geocode(
                address.one_line(), bbox=NETHERLANDS, timeout=self._timeout
            )
        if location is None or not _house_level(self.name, location.raw, address):
            return None
        return GeoResult(
            float(location.latitude), float(location.longitude), Precision.ADRES, self.name
        )


def _structured(address: Address) -> dict[str, str]:
    number = f"{address.house_number or ''}{address.suffix.strip()}"
    query = {
        "street": f"{number} {address.street.strip()}".strip(),
        "postalcode": address.pc6,
        "city": address.city.strip(),
        "country": "Nederland",
    }
    return {key: value for key, value in query.items() if value}


def _house_level(kind: str, raw: dict[str, Any], address: Address) -> bool:
    if kind == "nominatim":
        found = str(raw.get("address", {}).get("house_number", ""))
    else:
        found = str(raw.get("properties", {}).get("housenumber", ""))
    # "12A" or "12-14" still start with the number asked for; "120" does not.
    number = _LEADING_DIGITS.match(found)
    return number is not None and int(number.group()) == address.house_number


def online_geocoder(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    user_agent: str = DEFAULT_USER_AGENT,
    transport: httpx.AsyncBaseTransport | None = None,
) -> OnlineGeocoder:
    """The geocoder a URL names: `KIND+SCHEME://HOST[:PORT][/PATH]`, KIND one of `KINDS`.

    Raises ValueError naming the URL when it is not one of those; meant for start-up.
    """
    kind, sep, rest = url.partition("+")
    parts = urlsplit(rest)
    if not sep or kind not in KINDS or parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"onbekende geocoder-URL {url!r}: verwacht pdok+https://…, nominatim+https://… "
            "of photon+https://…"
        )
    if kind == "pdok":
        return PdokGeocoder(rest, timeout=timeout, user_agent=user_agent, transport=transport)
    domain = parts.netloc + parts.path.rstrip("/")

    def adapter(**kwargs: Any) -> HttpxAdapter:
        return HttpxAdapter(transport=transport, **kwargs)

    cls = Nominatim if kind == "nominatim" else Photon
    geocoder = cls(
        domain=domain,
        scheme=parts.scheme,
        user_agent=user_agent,
        timeout=timeout,
        adapter_factory=adapter,
    )
    return GeopyGeocoder(kind, geocoder, timeout=timeout)
