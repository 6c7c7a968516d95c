"""Moving and cancelling the appointment on the tenant's tracking page, within the client's rule.

A client sets until how many hours before the appointment its tenants may move or cancel it
online (`client.settings["tenant_move_hours"]`, 24 unless set; 0: not online). The tenant picks
from the free slots the desk's slot search finds for the dossier's trade; the chosen slot is
checked again when it is posted (someone may have taken it). The move or cancellation itself is
the desk's (server.dispatch.assignments): the timeline, the board, the dossier page and the
technician's app hear of it live, the technicians concerned get a push, the tenant the usual
'afspraak gewijzigd' or 'afspraak geannuleerd'.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from server import scoping
from server.dispatch import appointment_slots, assignments
from server.domain.errors import Conflict, Forbidden, NotFound, Unprocessable
from server.domain.lifecycle import Phase
from server.domain.roles import Role
from server.domain.slots import Slot
from server.i18n import gettext
from server.models import Client, Dossier, User

SETTING = "tenant_move_hours"
DEFAULT_HOURS = 24
MAX_HOURS = 14 * 24
# Slots shown to choose from; a posted choice is looked for among more, so a slot that was
# shown a moment ago is still found when the search starts a quarter later.
SHOWN = 8
CHECKED = 60
MAX_REASON = 500


def move_hours(client: Client) -> int:
    """Until how many hours before the appointment a tenant may change it online (0: never)."""
    value = (client.settings or {}).get(SETTING)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_HOURS:
        return value
    return DEFAULT_HOURS


async def set_move_hours(user: User, client_code: str, raw: str) -> Client:
    """Supervision sets the client's rule (the planning page)."""
    if user.role not in (Role.ADMIN, Role.SUPERVISOR):
        raise Forbidden("Alleen supervisie en beheer stellen dit in.")
    code = scoping.key(client_code, scoping.CLIENT_CODE_MAX)
    client = None if code is None else await scoping.clients(user).filter(code=code).first()
    if client is None:
        raise NotFound(f"Opdrachtgever '{client_code}' niet gevonden.", "client")
    text = raw.strip()
    if not text.isdigit() or int(text) > MAX_HOURS:
        raise Unprocessable(
            f"'{text[:20]}' is geen aantal uren: geef 0 (niet online) tot {MAX_HOURS}.",
            "tenant_move_hours",
        )
    client.settings = {**(client.settings or {}), SETTING: int(text)}
    await client.save(update_fields=["settings"])
    return client


@dataclass(frozen=True)
class Rule:
    """Whether the tenant may change the appointment now; else why not (for the page)."""

    allowed: bool
    until: datetime | None = None
    why_not: str = ""


def rule(dossier: Dossier, client: Client, now: datetime) -> Rule:
    start = dossier.appointment_start
    if dossier.phase != Phase.AFSPRAAK or start is None:
        return Rule(False, why_not=gettext("Er staat geen afspraak gepland."))
    hours = move_hours(client)
    if hours == 0:
        return Rule(
            False,
            why_not=gettext("De afspraak verzetten of annuleren kan niet online; bel %(client)s.")
            % {"client": client.name},
        )
    until = start - timedelta(hours=hours)
    if now > until:
        return Rule(
            False,
            until,
            gettext(
                "Online verzetten of annuleren kan tot %(hours)s uur voor de afspraak; "
                "bel %(client)s als het echt niet uitkomt."
            )
            % {"hours": hours, "client": client.name},
        )
    return Rule(True, until)


async def options(dossier: Dossier, now: datetime | None = None) -> list[Slot]:
    """Free slots the tenant may move to (the desk's search for the dossier's trade), without
    the time the appointment has now."""
    now = now or datetime.now(UTC)
    found = await appointment_slots.free_slots(dossier, now=now, limit=SHOWN + 1)
    return [s for s in found if s.start != dossier.appointment_start][:SHOWN]


def slot_value(slot: Slot) -> str:
    """A slot as the form posts it back."""
    return f"{slot.technician_id}|{slot.start.isoformat()}|{slot.end.isoformat()}"


def parse_choice(raw: str) -> tuple[int, datetime, datetime]:
    refused = Unprocessable(gettext("Kies een van de vrije tijden."), "slot")
    parts = raw.split("|")
    if len(parts) != 3 or not parts[0].isdigit() or len(raw) > 120:
        raise refused
    try:
        start, end = datetime.fromisoformat(parts[1]), datetime.fromisoformat(parts[2])
    except ValueError:
        raise refused from None
    if start.tzinfo is None or end.tzinfo is None or end <= start:
        raise refused
    return int(parts[0]), start, end


async def _allowed(dossier: Dossier, now: datetime) -> Client:
    client = await Client.get(id=dossier.client_id)  # type: ignore[attr-defined]
    found = rule(dossier, client, now)
    if not found.allowed:
        raise Unprocessable(found.why_not, "slot")
    return client


async def move(dossier: Dossier, raw: str, now: datetime | None = None) -> Slot:
    """Move the appointment to the slot the tenant chose, if the rule allows and it is free."""
    now = now or datetime.now(UTC)
    await _allowed(dossier, now)
    technician_id, start, end = parse_choice(raw)
    fresh = await appointment_slots.free_slots(dossier, now=now, limit=CHECKED)
    chosen = next(
        (s for s in fresh if (s.technician_id, s.start, s.end) == (technician_id, start, end)),
        None,
    )
    if chosen is None:
        raise Conflict(
            gettext("Dit tijdstip is intussen niet meer vrij. Kies een ander tijdstip."), "slot"
        )
    await _changing(
        assignments.tenant_move(
            dossier, technician_id, start, end, "Verzet door de huurder via de volgpagina"
        )
    )
    return chosen


async def cancel(dossier: Dossier, remark: str, now: datetime | None = None) -> None:
    """Cancel the appointment; the desk makes a new one (or closes the report, if the tenant
    says the problem is gone)."""
    now = now or datetime.now(UTC)
    await _allowed(dossier, now)
    said = " ".join(remark.split())[:MAX_REASON]
    reason = "Geannuleerd door de huurder via de volgpagina" + (f": {said}" if said else "")
    await _changing(assignments.tenant_cancel(dossier, reason))


async def _changing(work: Awaitable[Dossier]) -> None:
    """A change the desk made at the same moment wins; the tenant is told in their words."""
    try:
        await work
    except Conflict:
        raise Conflict(
            gettext("Uw afspraak is net gewijzigd. Bekijk de nieuwe stand en probeer het opnieuw."),
            "slot",
        ) from None
