"""Request bodies of the dispatch API (pydantic)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from server.web.api.schemas import Body, Id


class AssignBody(Body):
    technician_id: Id = Field(description="The technician to send")


class AppointmentBody(Body):
    technician_id: Id
    start: datetime = Field(description="ISO 8601 with offset")
    end: datetime = Field(description="ISO 8601 with offset")
    reason: str = Field("", description="Why an existing appointment moves (optional)")


class CancelBody(Body):
    reason: str


class PositionBody(Body):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    accuracy_m: float | None = Field(None, ge=0)


class RosterRow(Body):
    weekday: int = Field(ge=0, le=6, description="0 is Monday")
    start: str = Field(max_length=5, description="HH:MM")
    end: str = Field(max_length=5, description="HH:MM, or 24:00")


class DutyBody(Body):
    roster: list[RosterRow] = Field(default_factory=list)
    on_call_evenings: bool = False
    on_call_weekends: bool = False
    on_call_holidays: bool = False
    position_consent: bool | None = None
    home_latitude: float | None = Field(None, ge=-90, le=90)
    home_longitude: float | None = Field(None, ge=-180, le=180)


class AbsenceBody(Body):
    kind: str = Field(max_length=10, description="verlof, ziek or cursus")
    starts_on: str = Field(max_length=10, description="first day away, YYYY-MM-DD")
    ends_on: str = Field(max_length=10, description="last day away (inclusive), YYYY-MM-DD")
    note: str = Field("", max_length=200)
