"""Request bodies of the JSON API (pydantic) and how dossiers are shown in it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from server.domain.numbers import HOUSE_NUMBER_MAX, INT_MAX
from server.dossiers.dossiers import AddressInput, DossierInput
from server.models import Dossier, DossierEvent
from server.protocols.triage import TriageInput

# Limits the database sets: an id is a 32-bit INTEGER, text fits its column. Checked here so
# that a value beyond them is a 422 naming the field, not an error deep in the ORM.
Id = Annotated[int, Field(ge=1, le=INT_MAX)]
Version = Annotated[int, Field(ge=0, le=INT_MAX)]
ClientCode = Annotated[str, Field(max_length=20, description="Code of the client (opdrachtgever)")]
OrderNumber = Annotated[str, Field(max_length=20, description="Order number, like MK-2026-000123")]


class Body(BaseModel):
    """A request body: unknown fields are refused, and so are NaN and infinity."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class TokenRequest(Body):
    username: str = Field(max_length=80)
    password: str
    label: str = Field("", max_length=100, description="Shown to the admin beside the token")
    code: str = Field(
        "",
        max_length=40,
        description="The code of the user's authenticator app (or a recovery code), when he"
        " has two-factor login",
    )


class AddressBody(Body):
    id: Id | None = Field(None, description="Address id in the client's stock")
    postcode: str = Field("", max_length=10)
    house_number: int | None = Field(None, ge=1, le=HOUSE_NUMBER_MAX)
    suffix: str = Field("", max_length=10)
    street: str = Field("", max_length=200)
    city: str = Field("", max_length=100)


class ContactBody(Body):
    name: str = Field(max_length=200)
    phone: str = Field("", max_length=40, description="Dutch or international; stored as E.164")
    email: str = Field("", max_length=254)


class TriageBody(Body):
    subject: str = Field(
        max_length=40, description="Subject id of the client's protocol (docs/protocol.md)"
    )
    answers: dict[str, str] = Field(
        default_factory=dict, description="Answer value per question id, as far as answered"
    )
    at: datetime | None = Field(
        None, description="Moment the conditions are judged at (ISO 8601 with offset); default now"
    )

    def to_input(self) -> TriageInput:
        return TriageInput(self.subject, dict(self.answers), self.at)


class EvaluateBody(TriageBody):
    client: ClientCode
    address: Id | None = Field(
        None, description="Address id in the client's stock: names the party of a referral"
    )


class DossierTriage(TriageBody):
    pass


class ProtocolCheck(Body):
    text: str = Field(description="The protocol file (YAML or JSON)")


class ProtocolPublish(ProtocolCheck):
    reason: str = Field(description="Why: recorded and sent to the client")
    based_on: Version | None = Field(None, description="The version the change was made to")


class DossierCreate(Body):
    client: ClientCode
    address: AddressBody
    contact: ContactBody
    channel: str = Field(max_length=10, description="telefoon, email, web or app")
    category: str = Field(
        "", max_length=40, description="Required without triage; with it, the subject"
    )
    description: str = ""
    parent: OrderNumber | None = Field(
        None, description="Order number of the original (repeat report)"
    )
    triage: TriageBody | None = Field(
        None, description="Triage in the same call: stored with the dossier, or nothing is"
    )

    def to_input(self) -> DossierInput:
        return DossierInput(
            client=self.client,
            address=AddressInput(**self.address.model_dump()),
            contact_name=self.contact.name,
            contact_phone=self.contact.phone,
            contact_email=self.contact.email,
            channel=self.channel,
            category=self.category,
            description=self.description,
            parent=self.parent,
        )


class TransitionBody(Body):
    to: str = Field(max_length=30, description="The phase to move to")
    result_code: str | None = Field(None, max_length=40)
    reason: str | None = None
    referred_to: str | None = Field(None, max_length=200)
    technician_id: Id | None = None
    contractor_id: Id | None = None
    appointment_start: datetime | None = None
    appointment_end: datetime | None = None


class DossierUpdate(Body):
    version: Version | None = Field(None, description="The version the edit was based on")
    contact: ContactBody | None = None
    category: str | None = Field(None, max_length=40)
    description: str | None = None

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.contact is not None:
            out.update(
                contact_name=self.contact.name,
                contact_phone=self.contact.phone,
                contact_email=self.contact.email,
            )
        if self.category is not None:
            out["category"] = self.category
        if self.description is not None:
            out["description"] = self.description
        return out


class NoteBody(Body):
    text: str


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def dossier_json(d: Dossier, events: list[DossierEvent] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "order_number": d.order_number,
        "client": d.client.code,
        "phase": d.phase,
        "address": {
            "id": d.address_id,  # type: ignore[attr-defined]
            "street": d.street,
            "house_number": d.house_number,
            "suffix": d.suffix,
            "postcode": d.postcode,
            "city": d.city,
        },
        # precision and source are null while the background geocoding has not run yet.
        "location": {
            "latitude": d.latitude,
            "longitude": d.longitude,
            "precision": d.geo_precision if d.geo_source else None,
            "source": d.geo_source or None,
        },
        "contact": {"name": d.contact_name, "phone": d.contact_phone, "email": d.contact_email},
        "channel": d.channel,
        "category": d.category,
        "description": d.description,
        "urgency": d.urgency,
        "order_type": d.order_type,
        "trade": d.trade,
        "labour_minutes": d.labour_minutes,
        "deadline_at": _iso(d.deadline_at),
        "triage": d.triage or None,
        "technician_id": d.technician_id,  # type: ignore[attr-defined]
        "appointment_start": _iso(d.appointment_start),
        "appointment_end": _iso(d.appointment_end),
        "parent": d.parent.order_number if d.parent_id and d.parent else None,  # type: ignore[attr-defined]
        "result_code": d.result_code,
        "referred_to": d.referred_to,
        "created_at": _iso(d.created_at),
        "first_contact_at": _iso(d.first_contact_at),
        "closed_at": _iso(d.closed_at),
        "version": d.version,
    }
    if events is not None:
        out["events"] = [
            {"at": _iso(e.at), "actor": e.actor_name, "kind": e.kind, "data": e.data}
            for e in events
        ]
    return out
