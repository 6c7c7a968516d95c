"""A Dutch address as the geocoders see it, and the geocoding result."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from geo.point import Point

_POSTCODE = re.compile(r"^\s*([1-9]\d{3})\s*([A-Za-z]{2})?\s*$")


class Precision(StrEnum):
    """How precise coordinates are; the dossier records it next to them."""

    ADRES = "adres"
    POSTCODE4 = "postcode4"
    ONBEKEND = "onbekend"


PRECISION_LABELS: dict[str, str] = {
    "adres": "Op adres",
    "postcode4": "Op postcode (4 cijfers)",
    "onbekend": "Onbekend",
}


def normalise_postcode(text: str) -> str:
    """`1234 ab` -> `1234AB`; a bare `1234` stays; anything else becomes ``""``."""
    match = _POSTCODE.match(text or "")
    if match is None:
        return ""
    return match.group(1) + (match.group(2) or "").upper()


@dataclass(frozen=True)
class Address:
    """Postcode and house number identify a Dutch address; street and city help free-text
    geocoders and addresses typed without a postcode."""

    postcode: str = ""
    house_number: int | None = None
    suffix: str = ""
    street: str = ""
    city: str = ""

    @property
    def pc6(self) -> str:
        return normalise_postcode(self.postcode)

    @property
    def pc4(self) -> str:
        return self.pc6[:4]

    @property
    def key(self) -> str:
        """A stable cache key: postcode, number and suffix when there is a full postcode (they
        identify a Dutch address), otherwise the lower-cased street, number, suffix and city."""
        number = "" if self.house_number is None else str(self.house_number)
        suffix = self.suffix.strip().upper()
        if len(self.pc6) == 6:
            return f"{self.pc6}|{number}|{suffix}"
        street = " ".join(self.street.lower().split())
        city = " ".join(self.city.lower().split())
        return f"{street}|{number}|{suffix}|{city}"

    def one_line(self) -> str:
        """`Dorpsstraat 12A, 1234 AB Amsterdam`, for free-text geocoders."""
        number = f"{self.house_number or ''}{self.suffix.strip()}"
        street = " ".join(part for part in (self.street.strip(), number) if part)
        pc6 = self.pc6
        postcode = f"{pc6[:4]} {pc6[4:]}".strip() if pc6 else ""
        place = " ".join(part for part in (postcode, self.city.strip()) if part)
        return ", ".join(part for part in (street, place) if part)


@dataclass(frozen=True)
class GeoResult:
    """Coordinates (None when unknown), their precision, and which source gave them.

    `bag_id` is the BAG nummeraanduiding when the source knows it (PDOK does).
    """

    lat: float | None
    lon: float | None
    precision: Precision
    source: str
    bag_id: str | None = None

    @property
    def point(self) -> Point | None:
        if self.lat is None or self.lon is None:
            return None
        return Point(self.lat, self.lon)


UNKNOWN = GeoResult(None, None, Precision.ONBEKEND, "geen")
