"""Request bodies of the JSON API (pydantic) and how dossiers are shown in it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from server.models import Dossier, DossierEvent
from server.services.dossiers import AddressInput, DossierInput


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


class DossierCreate(Body):
    client: str = Field(description="Code of the client (opdrachtgever)")
    address: AddressBody
    contact: ContactBody
    channel: str = Field(description="telefoon, email, web or app")
    category: str
    description: str = ""
    parent: str | None = Field(None, description="Order number of the original (repeat report)")

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
        "contact": {"name": d.contact_name, "phone": d.contact_phone, "email": d.contact_email},
        "channel": d.channel,
        "category": d.category,
        "description": d.description,
        "urgency": d.urgency,
        "order_type": d.order_type,
        "trade": d.trade,
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
