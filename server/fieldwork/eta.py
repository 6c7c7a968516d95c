"""When he will be there: the arrival estimated as the technician's "Onderweg" is applied.

From where he is: the position his phone sent with the operation, else his last reported
position while it is fresh (POSITION_MAX_AGE_MINUTES), else his home base; to the job's
location (its coordinates, or its postcode's centre). The trip comes from the routing engine
when one is configured and answers within ROUTING_TIMEOUT, else from the distance estimate the
dispatch board uses (docs/dispatch.md); server/domain/eta.py turns it into minutes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from geo.distance import ROUTING, Travel
from geo.point import Point
from server.dispatch import candidates, positions, routing
from server.domain.eta import DEFAULT_MINUTES, arrival_minutes
from server.housing.geocoding import point_of
from server.models import Dossier, Technician, TechnicianPosition

# A phone fix vaguer than this says little about where he is.
MAX_ACCURACY_M = 5000.0

ORIGIN_LABELS = {
    "telefoon": "vanaf de positie van zijn telefoon",
    "positie": "vanaf zijn laatst gemelde positie",
    "thuisbasis": "vanaf zijn thuisbasis",
}


@dataclass(frozen=True)
class Estimate:
    eta: datetime
    minutes: int
    origin: str  # a key of ORIGIN_LABELS, or "" without one
    source: str  # "route", "geschat" or "standaard"

    @property
    def basis(self) -> str:
        """For the timeline: "route vanaf zijn thuisbasis", "standaard (locatie onbekend)"."""
        if self.source == "standaard":
            return "standaard: vertrekpunt of adres onbekend"
        return f"{self.source} {ORIGIN_LABELS[self.origin]}"


def phone_position(raw: object) -> Point | None:
    """The `position` an app sent ({latitude, longitude, accuracy_m?}); anything unusable is
    ignored rather than refused: a bad fix must not cost him his "Onderweg"."""
    if not isinstance(raw, dict):
        return None
    lat, lon, accuracy = raw.get("latitude"), raw.get("longitude"), raw.get("accuracy_m")
    if not all(_number(v) for v in (lat, lon)):
        return None
    if accuracy is not None and (not _number(accuracy) or float(accuracy) > MAX_ACCURACY_M):
        return None
    if not (-90 <= float(lat) <= 90 and -180 <= float(lon) <= 180):  # type: ignore[arg-type]
        return None
    return Point(float(lat), float(lon))  # type: ignore[arg-type]


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


async def estimate(
    technician: Technician, job: Dossier, phone: Point | None, at: datetime
) -> Estimate:
    """The arrival for a technician who set off at `at`."""
    origin, where = await _origin(technician, phone, at)
    destination = point_of(job)
    if origin is None or destination is None:
        return Estimate(at + timedelta(minutes=DEFAULT_MINUTES), DEFAULT_MINUTES, "", "standaard")
    trip = await _trip(origin, destination)
    minutes = arrival_minutes(trip.minutes)
    source = "route" if trip.source == ROUTING else "geschat"
    return Estimate(at + timedelta(minutes=minutes), minutes, where, source)


async def _origin(
    technician: Technician, phone: Point | None, at: datetime
) -> tuple[Point | None, str]:
    if phone is not None:
        return phone, "telefoon"
    last = await TechnicianPosition.get_or_none(technician_id=technician.id)
    if last is not None and at - last.reported_at <= positions.max_age():
        return Point(last.latitude, last.longitude), "positie"
    if technician.home_latitude is not None and technician.home_longitude is not None:
        return Point(technician.home_latitude, technician.home_longitude), "thuisbasis"
    return None, ""


async def _trip(origin: Point, destination: Point) -> Travel:
    """The engine's road trip when it answers in time; the board's distance estimate else."""
    model = candidates.rules().travel
    engine = routing.client()
    if engine is not None:
        try:
            found = await routing.trips(engine, [origin], destination)
        except Exception as exc:  # noqa: BLE001 - any engine failure means: use the estimate
            routing.log.warning("routing engine gave no trip for an ETA: %s", exc)
        else:
            if origin in found:
                return found[origin]
    return model.estimate(origin, destination)
