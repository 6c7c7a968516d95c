"""What the JSON API answers, as pydantic models: they describe the responses in the OpenAPI
description (server/web/api/openapi.py); the endpoints build the same shapes as plain dicts.

Only the keys clients rely on are spelled out; parts owned by another module (a protocol, a
triage path, a sync snapshot) are objects whose own documentation is in docs/.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

Obj = dict[str, Any]


class Response(BaseModel):
    pass


class ErrorDetail(Response):
    message: str = Field(description="Dutch, names the bad value")
    field: str | None = Field(description="The field, parameter or path part at fault")
    problems: list[Obj] | None = Field(
        None, description="Protocol publishing only: every problem with its path and line"
    )


class Error(Response):
    """Every 4xx and 5xx of the API (server/web/errors.py)."""

    error: ErrorDetail


class Token(Response):
    """A bearer token"""

    token: str
    expires_at: str = Field(description="ISO 8601")
    role: str
    username: str


class ClientRow(Response):
    code: str
    name: str
    kind: str


class Party(Response):
    kind: str
    name: str
    phone: str
    email: str
    note: str


class StockAddress(Response):
    id: int
    label: str
    street: str
    house_number: int
    suffix: str
    postcode: str
    city: str
    bag_id: str | None
    latitude: float | None
    longitude: float | None
    complex: str | None
    parties: list[Party]


class Addresses(Response):
    """Addresses found in the client's stock, with their registered parties"""

    items: list[StockAddress]


class DossierAddress(Response):
    id: int | None
    street: str
    house_number: int | None
    suffix: str
    postcode: str
    city: str


class Location(Response):
    latitude: float | None
    longitude: float | None
    precision: str | None = Field(description="null until the background geocoding ran")
    source: str | None = None


class Contact(Response):
    name: str
    phone: str
    email: str | None = None


class Event(Response):
    at: str | None
    actor: str
    kind: str
    data: Obj | None


class Dossier(Response):
    """A dossier (with its timeline `events` where one dossier is asked for)"""

    order_number: str
    client: str
    phase: str
    address: DossierAddress
    location: Location
    contact: Contact
    channel: str
    category: str
    description: str
    urgency: str | None
    order_type: str | None
    trade: str | None
    labour_minutes: int | None
    deadline_at: str | None
    triage: Obj | None
    technician_id: int | None
    appointment_start: str | None
    appointment_end: str | None
    parent: str | None = Field(description="Order number of the original of a repeat report")
    result_code: str | None
    referred_to: str | None
    created_at: str | None
    first_contact_at: str | None
    closed_at: str | None
    version: int
    events: list[Event] | None = None


class DossierPage(Response):
    """One page of the dossiers found, newest first"""

    total: int
    items: list[Dossier]


class Ok(Response):
    """Done"""

    ok: bool


class TriageDecision(Response):
    """The next question, or the outcome and the path that led to it"""

    complete: bool
    protocol: Obj
    subject: Obj
    at: str
    next_question: Obj | None
    outcome: Obj | None
    description: str | None
    deadline: str | None
    habitability_in_danger: bool
    path: list[Obj]
    ignored_answers: list[Any]
    notes: list[Any]
    read_back: str | None


class ProtocolVersion(Response):
    """A version of a client's protocol (`text` and parsed `protocol` where one is asked for)"""

    client: str
    id: int
    version: int
    status: str
    published_at: str
    by: str
    reason: str
    checksum: str
    text: str | None = None
    protocol: Obj | None = None
    diff: str | None = Field(None, description="Unified diff against the version before")


class ProtocolVersions(Response):
    """Every version of the protocol, newest first"""

    items: list[ProtocolVersion]


class Finding(Response):
    code: str
    path: str
    line: int | None
    message: str


class ProtocolCheckResult(Response):
    """Every problem that stops publishing, and the change against the current version"""

    ok: bool
    problems: list[Finding]
    diff: str
    current_version: int


class Job(Response):
    trade: str | None
    urgency: str | None
    labour_minutes: int | None
    deadline: str | None
    latitude: float | None
    longitude: float | None
    precision: str | None


class Suggestion(Response):
    technician_id: int
    name: str
    contractor_id: int | None
    origin: str
    distance_km: float
    travel_minutes: float
    travel_source: str
    available_from: str
    arrival: str
    finish: str
    on_duty_until: str
    on_call: bool
    open_jobs: int
    deadline: str | None
    makes_deadline: bool
    score: float
    reasons: list[str]
    order_reason: str = Field(
        description="Why it stands where it does: deadline, minutes to site plus load, distance"
    )


class Suggestions(Response):
    """Suitable technicians, best first, with Dutch reasons"""

    order_number: str
    job: Job
    suggestions: list[Suggestion]


class Slot(Response):
    technician_id: int
    technician: str
    start: str
    end: str
    travel_minutes: int


class Slots(Response):
    """The earliest free appointment slots"""

    order_number: str
    slots: list[Slot]


class BoardDossier(Response):
    order_number: str
    client: str
    client_name: str
    urgency: str | None
    trade: str | None
    trade_label: str | None = Field(description="The trade in words (Loodgieter)")
    phase: str
    deadline_at: str | None
    minutes_left: int | float | None
    overdue: bool = Field(
        description="Past the deadline, or an appointment booked after it (docs/dispatch.md)"
    )
    technician_id: int | None
    version: int


class BoardTechnician(Response):
    id: int
    name: str
    trades: list[str]
    trade_labels: list[str] = Field(description="The trades in words, in the order of `trades`")
    open_jobs: int
    on_duty_until: str
    on_call: bool
    latitude: float | None
    longitude: float | None
    where: str


class RotaHole(Response):
    trade: str
    start: str
    end: str
    absent: list[str]
    text: str


class Board(Response):
    """Open dossiers by urgency, technicians on duty, and holes in the rota"""

    now: str
    dossiers: list[BoardDossier]
    technicians: list[BoardTechnician]
    rota_holes: list[RotaHole]


class TechnicianJob(Response):
    order_number: str
    client: str
    phase: str
    urgency: str | None
    trade: str | None
    category: str
    description: str
    address: Obj
    location: Obj
    contact: Obj
    deadline_at: str | None
    labour_minutes: int | None
    appointment_start: str | None
    appointment_end: str | None
    version: int


class TechnicianJobs(Response):
    """The technician's open jobs, by appointment, then deadline"""

    items: list[TechnicianJob]


class PositionKept(Response):
    """Whether the position was kept (never while off duty)"""

    kept: bool


class Duty(Response):
    """The technician's roster and on-call duty as stored"""

    id: int
    roster: list[Obj]
    on_call_evenings: bool
    on_call_weekends: bool
    on_call_holidays: bool
    position_consent: bool


class AbsenceRow(Response):
    id: int
    technician_id: int
    technician: str
    kind: str
    kind_label: str
    starts_on: str
    ends_on: str
    note: str
    created_by: str


class Absences(Response):
    """Absences that end on or after the day asked for"""

    items: list[AbsenceRow]


class AbsenceEntered(AbsenceRow):
    """The absence, his appointments in it and a Dutch warning about them"""

    appointments: list[Obj]
    warning: str | None


class SmsReportStatus(Response):
    """What the report said about the message"""

    status: str


class PushOutcome(Response):
    seq: int
    op_id: str
    status: str
    reason: str | None
    result: Any


class PushStop(Response):
    reason: str
    seq: int | None
    message: str


class PushResult(Response):
    """The outcome of each operation, and where the device must stop (docs/sync.md)"""

    outcomes: list[PushOutcome]
    last_seq: int
    stop: PushStop | None
    epoch: str


class Change(Response):
    seq: int
    kind: str
    job: str | None
    data: Any


class PullResult(Response):
    """Changes since the cursor, or a snapshot to start again from (docs/sync.md)"""

    cursor: str
    last_seq: int
    reset: bool
    snapshot: Obj | None
    changes: list[Change]
    more: bool


class PhotoStored(Response):
    """The photo under the app's id"""

    client_id: str
    key: str
    created: bool


class Message(Response):
    """A chat message"""

    id: int
    author: str
    role: str
    text: str
    at: str
    received_at: str
    late: bool


class Messages(Response):
    """The dossier's chat, oldest first"""

    items: list[Message]


class PushSubscription(Response):
    """A push subscription of the caller"""

    id: int
    endpoint: str
    created_at: str


class PushSubscriptions(Response):
    """The server's VAPID public key and the caller's subscriptions"""

    public_key: str
    items: list[PushSubscription]
