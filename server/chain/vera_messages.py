"""A dossier as VERA messages (Aedes VERA 4.3, process Onderhoud; docs/chain.md maps each field).

Built from a snapshot of the dossier, without the database, so a message is the same whoever
builds it. VERA 4.3's address and phone-number types are a `oneOf` whose alternatives both
match any instance (Eenheidadres extends Adres-basis), so no message with them validates:
the address and the tenant's contact details travel as `extra-attributen`, the home itself as
`eenheid` with its BAG id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from server.domain import vera
from server.domain.codes import TRADE_LABELS

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class Photo:
    id: int
    caption: str
    url: str


@dataclass(frozen=True)
class Snapshot:
    """What the messages say of a dossier."""

    order_number: str
    description: str
    created_at: datetime
    urgency: str | None
    trade: str | None
    labour_minutes: int | None
    deadline_at: datetime | None
    outcome: dict[str, Any]
    street: str
    house_number: int | None
    suffix: str
    postcode: str
    city: str
    bag_id: str | None
    contact_name: str
    contact_phone: str
    contact_email: str
    appointment_start: datetime | None
    appointment_end: datetime | None
    photos: tuple[Photo, ...] = field(default=())


def ref(codes: dict[str, str], code: str) -> dict[str, str]:
    """A VERA Referentiedata value: the code and VERA's own name for it."""
    return {"code": code, "naam": codes.get(code, code)}


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(AMSTERDAM).isoformat() if moment else None


def task_id(order_number: str) -> str:
    return f"{order_number}-T1"


def day_part(start: datetime) -> str:
    """DAGDEEL of an appointment by its start in Amsterdam: OCH before 12, MID before 18."""
    hour = start.astimezone(AMSTERDAM).hour
    return "OCH" if hour < 12 else "MID" if hour < 18 else "AVO"


def _extra(pairs: list[tuple[str, Any]]) -> list[dict[str, str]]:
    return [{"naam": k, "waarde": str(v)} for k, v in pairs if v not in (None, "", False)]


def _address_line(s: Snapshot) -> str:
    number = f"{s.house_number or ''}{'-' + s.suffix if s.suffix else ''}"
    return f"{s.street} {number}".strip()


def _extra_attributes(s: Snapshot) -> list[dict[str, str]]:
    outcome = s.outcome
    return _extra(
        [
            ("uitersteStartdatum", _iso(s.deadline_at)),
            ("verrekeningSoort", outcome.get("settlement")),
            ("prijscomponentDetailSoort", "GLF" if outcome.get("glass_fund") else None),
            ("urgentie", s.urgency),
            ("adres", _address_line(s)),
            ("postcode", s.postcode),
            ("huisnummer", s.house_number),
            ("huisnummerToevoeging", s.suffix),
            ("woonplaats", s.city),
            ("bagNummeraanduidingId", s.bag_id),
            ("contactpersoon", s.contact_name),
            ("telefoonnummer", s.contact_phone),
            ("email", s.contact_email),
        ]
    )


def _unit(s: Snapshot) -> dict[str, str]:
    unit = {"code": f"{s.postcode} {s.house_number or ''}{s.suffix}".strip()}
    if s.bag_id:
        unit["idGegevensbeheerder"] = s.bag_id
    return unit


def _defect(s: Snapshot) -> dict[str, Any]:
    outcome = s.outcome
    defect: dict[str, Any] = {
        "id": f"{s.order_number}-D1",
        "omschrijving": s.description[:2000] or str(outcome.get("label") or ""),
        "melddatum": _iso(s.created_at),
        "eenheid": _unit(s),
    }
    if outcome.get("defect_kind"):
        defect["soort"] = ref(vera.DEFECT_KINDS, outcome["defect_kind"])
    if outcome.get("defect_location"):
        defect["locatie"] = ref(vera.DEFECT_LOCATIONS, outcome["defect_location"])
    if outcome.get("defect_cause"):
        defect["oorzaak"] = ref(vera.DEFECT_CAUSES, outcome["defect_cause"])
    return defect


def _task(s: Snapshot, status: str = "CON") -> dict[str, Any]:
    task: dict[str, Any] = {
        "id": task_id(s.order_number),
        "code": task_id(s.order_number),
        "omschrijving": str(s.outcome.get("label") or s.description[:200]),
        "status": ref(vera.TASK_STATUSES, status),
    }
    if s.trade:
        task["specialisme"] = {
            "code": s.trade,
            "naam": vera.SPECIALISMS.get(s.trade) or TRADE_LABELS.get(s.trade, s.trade),
        }
    if s.labour_minutes:
        task["voorcalculaties"] = [
            {
                "id": f"{s.order_number}-V1",
                "omschrijving": "Verwachte arbeid",
                "aantal": round(s.labour_minutes / 60, 2),
                "meeteenheid": ref(vera.UNITS, "UUR"),
                "bestedingsoort": ref(vera.SPENDING_KINDS, "WER"),
            }
        ]
    if s.appointment_start:
        task["afspraken"] = [appointment_part(s)]
    return task


def appointment_part(s: Snapshot) -> dict[str, Any]:
    start = s.appointment_start
    assert start is not None
    end = s.appointment_end or start
    return {
        "id": f"{s.order_number}-A",
        "onderwerp": f"Reparatie {s.order_number}",
        "status": ref(vera.APPOINTMENT_STATUSES, "GEP"),
        "begindatum": _iso(start),
        "einddatum": _iso(end),
        "bloktijdBegin": _iso(start),
        "bloktijdEind": _iso(end),
    }


def _photos(s: Snapshot) -> list[dict[str, Any]]:
    return [
        {
            "id": f"foto-{p.id}",
            "titel": p.caption or f"Foto {p.id}",
            "bestandslocatie": p.url,
            "bestandsnaam": f"{s.order_number}-{p.id}.jpg",
        }
        for p in s.photos
    ]


def _common(s: Snapshot) -> dict[str, Any]:
    body: dict[str, Any] = {"extra-attributen": _extra_attributes(s)}
    if s.photos:
        body["informatieobjecten"] = _photos(s)
    return body


def onderhoudsorder(s: Snapshot, at: datetime, status: str = "GUN") -> dict[str, Any]:
    """The work for a contractor (POST /onderhoudsorders)."""
    order: dict[str, Any] = {
        "id": s.order_number,
        "code": s.order_number,
        "onderhoudSoort": ref(vera.MAINTENANCE_KINDS, "REP"),
        "omschrijving": s.description[:2000] or str(s.outcome.get("label") or ""),
        "status": ref(vera.ORDER_STATUSES, status),
        "opdrachtdatum": _iso(at),
        "defecten": [_defect(s)],
        "onderhoudstaken": [_task(s)],
        "onderhoudsverzoeken": [{"id": s.order_number}],
        **_common(s),
    }
    if s.deadline_at:
        order["uitersteGereeddatum"] = _iso(s.deadline_at)
    return order


def onderhoudsverzoek(s: Snapshot, status: str = "REG") -> dict[str, Any]:
    """The repair request for a client (POST /onderhoudsverzoeken)."""
    return {
        "id": s.order_number,
        "code": s.order_number,
        "onderhoudSoort": ref(vera.MAINTENANCE_KINDS, "REP"),
        "omschrijving": s.description[:2000] or str(s.outcome.get("label") or ""),
        "status": ref(vera.REQUEST_STATUSES, status),
        "melddatum": _iso(s.created_at),
        "eenheid": _unit(s),
        "defecten": [_defect(s)],
        "onderhoudstaken": [_task(s)],
        **_common(s),
    }


def afspraak(s: Snapshot, status: str = "GEP") -> dict[str, Any]:
    """The appointment (POST /afspraken), tied to the order and its task."""
    part = appointment_part(s)
    part["status"] = ref(vera.APPOINTMENT_STATUSES, status)
    start = s.appointment_start
    assert start is not None
    return {
        **part,
        "onderhoudsorder": {"id": s.order_number},
        "onderhoudstaak": {"id": task_id(s.order_number)},
        "onderhoudsverzoek": {"id": s.order_number},
        "extra-attributen": _extra(
            [("dagdeel", day_part(start)), ("dagdeelNaam", vera.DAY_PARTS[day_part(start)])]
        ),
    }


def status_update(s: Snapshot, status: str) -> dict[str, Any]:
    """A change of the order's status (PATCH /onderhoudsorders/{id}), e.g. GEA when cancelled."""
    return {"id": s.order_number, "status": ref(vera.ORDER_STATUSES, status)}


def request_status(s: Snapshot, status: str) -> dict[str, Any]:
    """A change of the request's status (PATCH /onderhoudsverzoeken/{id})."""
    return {"id": s.order_number, "status": ref(vera.REQUEST_STATUSES, status)}


def afspraak_cancelled(s: Snapshot) -> dict[str, Any]:
    """The appointment no longer stands (PATCH /afspraken/{id}, status ANN)."""
    return {
        "id": f"{s.order_number}-A",
        "status": ref(vera.APPOINTMENT_STATUSES, "ANN"),
        "onderhoudsorder": {"id": s.order_number},
        "onderhoudsverzoek": {"id": s.order_number},
    }
