"""Request bodies of the contacts and telephony API (pydantic), and how a contact is shown."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, Field

from server.contacts.contacts import Registration
from server.contacts.lines import LineInput
from server.contacts.mailbox import MailboxInput
from server.contacts.transfers import TargetInput
from server.domain import transfer_hours
from server.domain.result_codes import ResultCode
from server.models import Contact, Dossier, MailMessage
from server.web.api.schemas import Body


class CallEventBody(Body):
    """One call event from a PBX or cloud telephony platform (docs/contacts.md)."""

    call_id: str = Field(
        min_length=1,
        max_length=100,
        description="The platform's id of the call, the same on every event",
    )
    event: Literal["offered", "answered", "transferred", "ended"]
    at: AwareDatetime = Field(description="When it happened, ISO 8601 with offset")
    from_: str = Field(
        "",
        alias="from",
        max_length=254,
        description="Who calls: the tenant's number (inbound) or our line (outbound)",
    )
    to: str = Field(
        "",
        max_length=254,
        description="The number dialled (our line, it decides the client); on 'transferred' "
        "the number the caller was put through to",
    )
    agent: str = Field(
        "", max_length=254, description="Desk username or e-mail of the agent; empty for the queue"
    )
    direction: Literal["in", "out"] = Field("in", description="'out' for a call the desk placed")


class ContactRegister(Body):
    """A contact registered by hand (no telephony), complete at once."""

    client: str = Field(description="Code of the client it was taken in the name of")
    subject: str = Field(max_length=200)
    result_code: str = Field(description="One of the client's result codes")
    note: str = Field("", max_length=5000)
    referred_to: str = Field("", max_length=200, description="The party referred to, if any")
    channel: Literal["telefoon_in", "telefoon_uit", "email", "web", "app"] = "telefoon_in"
    caller: str = Field("", max_length=254, description="Phone number or e-mail address")
    caller_name: str = Field("", max_length=200)
    dossiers: list[str] = Field(
        default_factory=list, max_length=10, description="Order numbers the contact concerns"
    )
    started_at: AwareDatetime | None = Field(None, description="When the contact began")

    def to_input(self) -> Registration:
        return Registration(**self.model_dump())


class ContactUpdate(Body):
    """Registering (or correcting) what a contact led to; fields left out stay as they are."""

    client: str | None = None
    subject: str | None = Field(None, max_length=200)
    result_code: str | None = None
    note: str | None = Field(None, max_length=5000)
    referred_to: str | None = Field(None, max_length=200)
    caller_name: str | None = Field(None, max_length=200)
    dossiers: list[str] | None = Field(None, max_length=10)

    def to_input(self, contact: Contact) -> Registration:
        return Registration(
            client=self.client or (contact.client.code if contact.client else ""),
            subject=contact.subject if self.subject is None else self.subject,
            result_code=(contact.result_code or "")
            if self.result_code is None
            else self.result_code,
            note=contact.note if self.note is None else self.note,
            referred_to=contact.referred_to if self.referred_to is None else self.referred_to,
            caller_name=self.caller_name or "",
            dossiers=self.dossiers or [],
        )


class TransferBody(Body):
    target: int | None = Field(None, description="Id of one of the client's transfer numbers")
    number: str = Field("", max_length=40, description="Or a number typed in")


class WindowBody(Body):
    days: list[str] = Field(description="ma, di, wo, do, vr, za, zo, fd (public holiday)")
    from_: str = Field(alias="from", description="HH:MM")
    to: str = Field(description="HH:MM (24:00 for midnight); before 'from': runs past midnight")


class TransferTargetBody(Body):
    name: str = Field(max_length=200)
    number: str = Field(max_length=40)
    hours: list[WindowBody] = Field(
        default_factory=list, max_length=20, description="When valid; empty: always"
    )

    def to_input(self, index: int) -> TargetInput:
        windows = transfer_hours.from_json(
            [{"days": w.days, "from": w.from_, "to": w.to} for w in self.hours],
            f"transfers[{index}].hours",
        )
        return TargetInput(self.name, self.number, windows)


class InboundBody(Body):
    kind: Literal["telefoon", "email"] = "telefoon"
    value: str = Field(max_length=254, description="The number dialled, or the mailbox")
    label: str = Field("", max_length=100)


class ResultCodeBody(Body):
    code: str = Field(max_length=40)
    label: str = Field(max_length=200)
    dossier: bool = Field(False, description="The contact must have made or concern a dossier")


class MailboxBody(Body):
    """The client's mailbox (IMAP). The password is never returned; left empty it keeps the
    stored one while host and user stay the same."""

    address: str = Field(max_length=254, description="The address tenants write to")
    host: str = Field(max_length=253, description="The IMAP server")
    port: int | None = Field(None, ge=1, le=65535, description="Default 993 (ssl) or 143")
    tls: Literal["ssl", "starttls", "geen"] = "ssl"
    username: str = Field("", max_length=254, description="Default: the address")
    password: str = Field("", max_length=500)
    folder: str = Field("INBOX", max_length=200)


class MailReplyBody(Body):
    text: str = Field(min_length=1, max_length=20000, description="The reply, plain text")


class ContactSetupBody(Body):
    greeting: str = Field(
        max_length=500, description="With {dagdeel}, {opdrachtgever}, {medewerker}"
    )
    inbound: list[InboundBody] = Field(max_length=50)
    transfers: list[TransferTargetBody] = Field(max_length=30)
    result_codes: list[ResultCodeBody] = Field(max_length=40)
    mailbox: MailboxBody | None = Field(
        None, description="Left out: unchanged; null: no mailbox (docs/contacts.md, E-mail)"
    )

    def mailbox_input(self) -> MailboxInput | None:
        box = self.mailbox
        if box is None:
            return None
        return MailboxInput(
            box.address, box.host, box.port, box.tls, box.username, box.password, box.folder
        )

    call_survey: bool | None = Field(
        None, description="Callers get the survey after a finished contact; omitted: unchanged"
    )
    report_email: str | None = Field(
        None, max_length=254, description="The monthly telephony report's address; '' for none"
    )
    service_level_norm: int | None = Field(
        None, ge=1, le=100, description="% of calls to answer within 30 s (default 80)"
    )

    def lines(self) -> list[LineInput]:
        return [LineInput(i.kind, i.value, i.label) for i in self.inbound]

    def targets(self) -> list[TargetInput]:
        return [t.to_input(n) for n, t in enumerate(self.transfers)]

    def codes(self) -> list[ResultCode]:
        return [ResultCode(c.code, c.label, c.dossier) for c in self.result_codes]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def contact_json(c: Contact, dossiers: list[tuple[Dossier, bool]] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.id,
        "client": c.client.code if c.client else None,
        "channel": c.channel,
        "source": c.source,
        "state": c.state,
        "caller": c.caller,
        "caller_name": c.caller_name,
        "line": c.line,
        "agent": c.agent.username if c.agent else None,
        "agent_name": c.agent_name,
        "offered_at": _iso(c.offered_at),
        "answered_at": _iso(c.answered_at),
        "ended_at": _iso(c.ended_at),
        "closed_at": _iso(c.closed_at),
        "wait_seconds": c.wait_seconds,
        "talk_seconds": c.talk_seconds,
        "wrap_seconds": c.wrap_seconds,
        "subject": c.subject,
        "result_code": c.result_code,
        "result_label": c.result_label,
        "referred_to": c.referred_to,
        "note": c.note,
        "transfer": (
            {"number": c.transferred_to, "name": c.transferred_name, "at": _iso(c.transferred_at)}
            if c.transferred_at
            else None
        ),
    }
    if dossiers is not None:
        out["dossiers"] = [
            {"order_number": d.order_number, "created": made} for d, made in dossiers
        ]
    return out


def mail_json(m: MailMessage) -> dict[str, Any]:
    return {
        "id": m.id,
        "direction": m.direction,
        "from": m.sender,
        "from_name": m.sender_name,
        "to": m.recipient,
        "subject": m.subject,
        "text": m.text,
        "at": _iso(m.received_at),
        "attachments": m.attachments,
    }
