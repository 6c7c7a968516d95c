"""Request bodies of the JSON API (pydantic) and how dossiers are shown in it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from server.dossiers.dossiers import AddressInput, DossierInput
from server.models import Dossier, DossierEvent
from server.protocols.triage import TriageInput


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TokenRequest(Body):
    username: str
    password: str
    label: str = ""


class AddressBody(Body):
    id: int | None = None
    postcode: str = ""
    house_number: int | None = None
    suffix: str = ""
    street: str = ""
    city: str = ""


class ContactBody(Body):
    name: str
    phone: str = ""
    email: str = ""


class TriageBody(Body):
    subject: str = Field(description="Subject id of the client's protocol (docs/protocol.md)")
    answers: dict[str, str] = Field(
        default_factory=dict, description="Answer value per question id, as far as answered"
    )
    at: datetime | None = Field(
        None, description="Moment the conditions are judged at (ISO 8601 with offset); default now"
    )

    def to_input(self) -> TriageInput:
        return TriageInput(self.subject, dict(self.answers), self.at)


class EvaluateBody(TriageBody):
    client: str = Field(description="Code of the client (opdrachtgever)")
    address: int | None = Field(
        None, description="Address id in the client's stock: names the party of a referral"
    )


class DossierTriage(TriageBody):
    pass


class ProtocolCheck(Body):
    text: str = Field(description="The protocol file (YAML or JSON)")


class ProtocolPublish(ProtocolCheck):
    reason: str = Field(description="Why: recorded and sent to the client")
    based_on: int | None = Field(None, description="The version the change was made to")


class DossierCreate(Body):
    client: str = Field(description="Code of the client (opdrachtgever)")
    address: AddressBody
    contact: ContactBody
    channel: str = Field(description="telefoon, email, web or app")
    category: str = Field("", description="Required without triage; with it, the subject")
    description: str = ""
    parent: str | None = Field(None, description="Order number of the original (repeat report)")
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
    to: str
    result_code: str | None = None
    reason: str | None = None
    referred_to: str | None = None
    technician_id: int | None = None
    contractor_id: int | None = None
    appointment_start: datetime | None = None
    appointment_end: datetime | None = None


class DossierUpdate(Body):
    version: int | None = Field(None, description="The version the edit was based on")
    contact: ContactBody | None = None
    category: str | None = None
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
