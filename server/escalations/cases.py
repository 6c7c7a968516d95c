"""An escalation case and its steps (seed 003).

1. The meldkamer's triage ends in "escaleren" (the tenant is unhappy with how a referred party
   handles their question or complaint): a case opens for the client's role (projectleider),
   who is told at once by e-mail and SMS.
2. The projectleider contacts the tenant within the outcome's deadline (24 hours).
3. Investigates, asking the party for input where the client lacks the data.
4. Presents the result to the tenant.
5. Closes the case once the party reports the repair done or a settlement is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from server import live
from server.domain import normalise
from server.domain.errors import Conflict, NotFound, Unprocessable
from server.domain.roles import DESK_ROLES, Role
from server.models import Client, ClientNotification, Dossier, EscalationCase, EscalationStep, User

OPEN = "open"
IN_PROGRESS = "in_behandeling"
CLOSED = "gesloten"
STATE_LABELS = {OPEN: "Nog geen contact", IN_PROGRESS: "In behandeling", CLOSED: "Gesloten"}

OPENED = "geopend"
CONTACT = "contact"
INVESTIGATION = "onderzoek"
PARTY_ASKED = "input_gevraagd"
PARTY_ANSWERED = "input_ontvangen"
RESULT = "resultaat"
CLOSE = "sluiten"
STEP_LABELS = {
    OPENED: "Zaak geopend door de meldkamer",
    CONTACT: "Contact opgenomen met de huurder",
    INVESTIGATION: "Onderzoek",
    PARTY_ASKED: "Input gevraagd bij de partij",
    PARTY_ANSWERED: "Input ontvangen van de partij",
    RESULT: "Resultaat besproken met de huurder",
    CLOSE: "Zaak gesloten",
}
# What the projectleider may record, in the order of seed 003.
RECORDABLE = (CONTACT, INVESTIGATION, PARTY_ASKED, PARTY_ANSWERED, RESULT, CLOSE)
CLOSINGS = {
    "herstel_gereed": "De partij heeft de herstelwerkzaamheden gereed gemeld",
    "regeling": "Er is een regeling met de huurder getroffen",
    "ongegrond": "De klacht bleek na onderzoek ongegrond",
}
NOTIFICATION = "escalatie"
MAX_TEXT = 5000
DEFAULT_ROLE = "projectleider"
# The client's contact for a role: client.settings["escalation_contact"] = {name, phone, email}.
CONTACT_SETTING = "escalation_contact"


def _outcome(dossier: Dossier) -> dict[str, Any]:
    return dict((dossier.triage or {}).get("outcome") or {})


def escalation_of(dossier: Dossier) -> dict[str, Any] | None:
    """The triage outcome's escalation (role, deadline), when it escalates to a role that
    works a case; the on-call service (piket) is alerted as an acute report instead."""
    outcome = _outcome(dossier)
    found = outcome.get("escalation")
    if outcome.get("action") != "escaleren" or not isinstance(found, dict):
        return None
    if found.get("role") == "piket":
        return None
    return found


async def open_if_escalated(
    dossier: Dossier, client: Client, at: datetime, conn: BaseDBAsyncClient
) -> EscalationCase | None:
    """Open the case for a dossier whose triage escalates (once per dossier) and record the
    message to the client's role, inside the triage's transaction."""
    escalation = escalation_of(dossier)
    if escalation is None:
        return None
    if await EscalationCase.filter(dossier_id=dossier.id).using_db(conn).exists():
        return None  # re-triaged to the same outcome: the case is running
    outcome = _outcome(dossier)
    hours = int(escalation.get("deadline_hours") or 24)
    case = await EscalationCase.create(
        client=client,
        dossier=dossier,
        role=str(escalation.get("role") or DEFAULT_ROLE),
        party=str(outcome.get("refer_to") or dossier.referred_to or outcome.get("label") or ""),
        complaint=dossier.description or str(outcome.get("description") or ""),
        opened_at=at,
        contact_due_at=at + timedelta(hours=hours),
        using_db=conn,
    )
    await EscalationStep.create(
        case=case, kind=OPENED, text=str(outcome.get("label") or ""), at=at, using_db=conn
    )
    contact = role_contact(client)
    await ClientNotification.create(
        client=client,
        dossier=dossier,
        kind=NOTIFICATION,
        to_name=contact["name"],
        to_phone=contact["phone"],
        to_email=contact["email"],
        subject=f"Escalatie {dossier.order_number}"[:200],
        body="",
        data={"order_number": dossier.order_number, "case": case.id},
        created_at=at,
        using_db=conn,
    )
    return case


def role_contact(client: Client) -> dict[str, str]:
    """Whom the role's message goes to: the client's escalation contact, else its general
    contact (as the on-call alert falls back to it)."""
    raw = (client.settings or {}).get(CONTACT_SETTING) or {}
    return {
        "name": str(raw.get("name") or f"Projectleider {client.name}"),
        "phone": str(raw.get("phone") or client.phone or ""),
        "email": str(raw.get("email") or client.email or ""),
    }


def contact_line(client: Client) -> str:
    """The escalation contact as the settings page shows it: "naam | telefoon | e-mail"."""
    raw = (client.settings or {}).get(CONTACT_SETTING) or {}
    if not raw:
        return ""
    phone = normalise.display_phone(str(raw.get("phone") or ""))
    return " | ".join([str(raw.get("name") or ""), phone, str(raw.get("email") or "")])


def checked_contact(text: str) -> dict[str, str] | None:
    """ "Petra de Vries | 06 12345678 | p.devries@corporatie.nl" as stored; empty clears it.
    The phone or the e-mail may be left out, not both."""
    field = "escalation_contact"
    text = " ".join(text.split())
    if not text:
        return None
    parts = [p.strip() for p in text.split("|")]
    if len(parts) > 3 or len(text) > 500:
        raise Unprocessable(
            "Schrijf: naam | telefoon | e-mail (telefoon of e-mail mag leeg).", field
        )
    name, phone, email = (parts + ["", "", ""])[:3]
    if not name:
        raise Unprocessable("Vul de naam van de projectleider in.", field)
    phone = normalise.normalise_phone(phone, field) if phone else ""
    email = normalise.normalise_email(email, field) if email else ""
    if not phone and not email:
        raise Unprocessable("Vul een telefoonnummer of e-mailadres van de projectleider in.", field)
    return {"name": name[:200], "phone": phone, "email": email}


def may_work(user: User) -> bool:
    """The client's own users work their cases; the meldkamer's supervisors may help out."""
    return user.role in (Role.CLIENT, Role.ADMIN, Role.SUPERVISOR)


def _visible(user: User) -> QuerySet[EscalationCase]:
    query = EscalationCase.all()
    if user.role == Role.CLIENT:
        return query.filter(client_id=user.client_id)  # type: ignore[attr-defined]
    if user.role in DESK_ROLES:
        return query
    return query.filter(id=-1)


async def get(user: User, case_id: str) -> EscalationCase:
    """A case the user may see; any other is 'not found', never 'forbidden'."""
    if not case_id.isdigit() or len(case_id) > 9:
        raise NotFound("Zaak niet gevonden.")
    case = await _visible(user).filter(id=int(case_id)).select_related("dossier", "client").first()
    if case is None:
        raise NotFound("Zaak niet gevonden.")
    return case


async def listing(user: User, show_closed: bool = False) -> list[EscalationCase]:
    query = _visible(user).select_related("dossier", "client")
    if not show_closed:
        query = query.exclude(state=CLOSED)
    return list(await query.order_by("contact_due_at", "id").limit(500))


async def steps(case: EscalationCase) -> list[EscalationStep]:
    return list(await EscalationStep.filter(case_id=case.id).order_by("at", "id"))


def contacted_in_time(case: EscalationCase) -> bool | None:
    if case.contacted_at is None:
        return None
    return case.contacted_at <= case.contact_due_at


def overdue(case: EscalationCase, at: datetime) -> bool:
    """No contact with the tenant yet, and the deadline has passed."""
    return case.contacted_at is None and case.state != CLOSED and at > case.contact_due_at


@dataclass(frozen=True)
class StepInput:
    kind: str
    text: str = ""
    closing: str = ""
    version: str = ""


async def record_step(
    user: User, case: EscalationCase, data: StepInput, at: datetime | None = None
) -> EscalationStep:
    """Record one step; the rules of seed 003 hold: contact first, a result before closing,
    nothing after the close. A stale form (the case changed meanwhile) is refused."""
    if not may_work(user):
        raise NotFound("Zaak niet gevonden.")
    at = at or datetime.now(UTC)
    kind = data.kind.strip()
    text = " ".join(data.text.split()) if kind != INVESTIGATION else data.text.strip()
    if kind not in RECORDABLE:
        raise Unprocessable("Kies welke stap u vastlegt.", "kind")
    if len(text) > MAX_TEXT:
        raise Unprocessable(f"De toelichting is te lang (hoogstens {MAX_TEXT} tekens).", "text")
    if case.state == CLOSED:
        raise Conflict("Deze zaak is gesloten; er kan niets meer bij.", "kind")
    if data.version and data.version != str(case.version):
        raise Conflict(
            "Iemand anders heeft de zaak intussen bijgewerkt. Bekijk de stappen en probeer het "
            "opnieuw.",
            "kind",
        )
    if kind != CONTACT and case.contacted_at is None:
        raise Unprocessable("Neem eerst contact op met de huurder en leg dat vast.", "kind")
    if kind in (INVESTIGATION, PARTY_ASKED, PARTY_ANSWERED, RESULT) and not text:
        raise Unprocessable("Schrijf op wat er is gedaan of gevonden.", "text")
    changes: dict[str, Any] = {"version": case.version + 1}
    if kind == CONTACT and case.contacted_at is None:
        changes.update(contacted_at=at, state=IN_PROGRESS)
    if kind == RESULT:
        changes["result"] = text
    if kind == CLOSE:
        if not case.result and not await EscalationStep.exists(case_id=case.id, kind=RESULT):
            raise Unprocessable(
                "Bespreek eerst het resultaat met de huurder en leg het vast.", "kind"
            )
        if data.closing not in CLOSINGS:
            raise Unprocessable("Kies waarom de zaak gesloten wordt.", "closing")
        changes.update(state=CLOSED, closed_at=at, closing=data.closing)
        text = text or CLOSINGS[data.closing]
    async with in_transaction() as conn:
        updated = await (
            EscalationCase.filter(id=case.id, version=case.version).using_db(conn).update(**changes)
        )
        if not updated:
            raise Conflict(
                "Iemand anders heeft de zaak intussen bijgewerkt. Probeer het opnieuw.", "kind"
            )
        step = await EscalationStep.create(
            case=case,
            kind=kind,
            text=text,
            by=user,
            by_name=user.full_name or user.username,
            at=at,
            using_db=conn,
        )
    for name, value in changes.items():
        setattr(case, name, value)
    await live.publish_many(
        [
            ("board", "escalatie", {"case": case.id}),
            (f"dossier:{case.dossier.order_number}", "escalatie", {"case": case.id}),
        ]
    )
    return step


@dataclass(frozen=True)
class Figures:
    opened: int
    closed: int
    contacted: int
    contacted_in_time: int
    open_overdue: int

    @property
    def in_time_share(self) -> float | None:
        return self.contacted_in_time / self.contacted if self.contacted else None


async def figures(user: User, since: datetime, at: datetime | None = None) -> Figures:
    """Cases opened since `since`: how many were closed, and how many had their tenant
    contacted within the deadline; and the open cases overdue now."""
    at = at or datetime.now(UTC)
    rows = await _visible(user).filter(opened_at__gte=since)
    contacted = [c for c in rows if c.contacted_at is not None]
    overdue_now = (
        await _visible(user).filter(state=OPEN, contacted_at=None, contact_due_at__lt=at).count()
    )
    return Figures(
        opened=len(rows),
        closed=sum(1 for c in rows if c.state == CLOSED),
        contacted=len(contacted),
        contacted_in_time=sum(1 for c in contacted if contacted_in_time(c)),
        open_overdue=overdue_now,
    )
