"""The life of a dossier: phases, who may move a dossier where, and what each move requires.

Plain Python: `plan_transition` looks at a snapshot of the dossier and the actor and either
returns the changes to make or raises a LifecycleError that changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from server.domain.codes import RESULT_LABELS
from server.domain.errors import Forbidden, Unprocessable
from server.domain.roles import DESK_ROLES, Role


class Phase(StrEnum):
    NIEUW = "nieuw"
    ANALYSEREN = "analyseren"
    CONTACT_OPNEMEN = "contact_opnemen"
    DOORGEZET = "doorgezet_naar_monteur"
    AFSPRAAK = "afspraak_ingepland"
    IN_UITVOERING = "in_uitvoering"
    AFGEROND = "afgerond"
    GEARCHIVEERD = "gearchiveerd"
    OP_AFSTAND = "op_afstand_opgelost"
    DOORVERWEZEN = "doorverwezen"
    GEANNULEERD = "geannuleerd"


PHASE_LABELS: dict[str, str] = {
    "nieuw": "Nieuw",
    "analyseren": "Storing analyseren",
    "contact_opnemen": "Contact opnemen",
    "doorgezet_naar_monteur": "Doorgezet naar monteur",
    "afspraak_ingepland": "Afspraak ingepland",
    "in_uitvoering": "In uitvoering",
    "afgerond": "Afgerond",
    "gearchiveerd": "Gearchiveerd",
    "op_afstand_opgelost": "Op afstand opgelost",
    "doorverwezen": "Doorverwezen",
    "geannuleerd": "Geannuleerd",
}

# Phases in which the work is over; the dossier waits only to be archived.
CLOSED_PHASES = frozenset({Phase.AFGEROND, Phase.OP_AFSTAND, Phase.DOORVERWEZEN, Phase.GEANNULEERD})
FINAL_PHASES = CLOSED_PHASES | {Phase.GEARCHIVEERD}
OPEN_PHASES = frozenset(Phase) - FINAL_PHASES

SUPERVISORS = frozenset({Role.ADMIN, Role.SUPERVISOR})
# Whoever does the work on site: a technician on his own jobs, a contractor (its portal) on its
# own orders; the desk records what it is told.
FIELD = frozenset({Role.TECHNICIAN, Role.CONTRACTOR})
DESK_AND_TECHNICIAN = DESK_ROLES | FIELD
DESK_AND_CONTRACTOR = DESK_ROLES | {Role.CONTRACTOR}

# Exits every open phase has: solved remotely, referred, cancelled (with their button text).
_EXITS = {
    Phase.OP_AFSTAND: "Op afstand oplossen",
    Phase.DOORVERWEZEN: "Doorverwijzen",
    Phase.GEANNULEERD: "Annuleren",
}


@dataclass(frozen=True)
class Rule:
    source: Phase
    target: Phase
    roles: frozenset[Role]
    label: str


def _rules() -> list[Rule]:
    desk = DESK_ROLES
    rules = [
        Rule(Phase.NIEUW, Phase.ANALYSEREN, desk, "Storing analyseren"),
        Rule(Phase.NIEUW, Phase.CONTACT_OPNEMEN, desk, "Contact opnemen"),
        Rule(Phase.NIEUW, Phase.DOORGEZET, desk, "Doorzetten naar monteur"),
        Rule(Phase.ANALYSEREN, Phase.CONTACT_OPNEMEN, desk, "Contact opnemen"),
        Rule(Phase.ANALYSEREN, Phase.DOORGEZET, desk, "Doorzetten naar monteur"),
        Rule(Phase.CONTACT_OPNEMEN, Phase.ANALYSEREN, desk, "Terug naar analyseren"),
        Rule(Phase.CONTACT_OPNEMEN, Phase.DOORGEZET, desk, "Doorzetten naar monteur"),
        # A contractor plans its own orders, and may give one back (declined, with a reason).
        Rule(Phase.DOORGEZET, Phase.AFSPRAAK, DESK_AND_CONTRACTOR, "Afspraak inplannen"),
        Rule(Phase.DOORGEZET, Phase.ANALYSEREN, DESK_AND_CONTRACTOR, "Terug naar analyseren"),
        Rule(Phase.AFSPRAAK, Phase.IN_UITVOERING, DESK_AND_TECHNICIAN, "Start uitvoering"),
        # Acuut and urgent work is done as soon as someone can go: no appointment to wait for.
        Rule(
            Phase.DOORGEZET, Phase.IN_UITVOERING, DESK_AND_TECHNICIAN, "Op locatie zonder afspraak"
        ),
        Rule(Phase.AFSPRAAK, Phase.DOORGEZET, desk, "Afspraak vervalt, opnieuw inplannen"),
        Rule(Phase.IN_UITVOERING, Phase.AFGEROND, DESK_AND_TECHNICIAN, "Afronden"),
        Rule(
            Phase.IN_UITVOERING,
            Phase.DOORGEZET,
            DESK_AND_TECHNICIAN,
            "Niet opgelost: vervolgafspraak nodig",
        ),
    ]
    for source in (Phase.NIEUW, Phase.ANALYSEREN, Phase.CONTACT_OPNEMEN, Phase.DOORGEZET):
        rules += [Rule(source, target, desk, label) for target, label in _EXITS.items()]
    rules.append(Rule(Phase.AFSPRAAK, Phase.GEANNULEERD, desk, "Annuleren"))
    rules += [Rule(p, Phase.GEARCHIVEERD, SUPERVISORS, "Archiveren") for p in CLOSED_PHASES]
    return rules


RULES: tuple[Rule, ...] = tuple(_rules())
_BY_PAIR = {(r.source, r.target): r for r in RULES}


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    role: Role
    technician_id: int | None = None
    name: str = ""
    # A contractor acting for itself, on the dossiers given to it: its own system (server/chain)
    # or its planner in the portal (server/contractors), under the technician's rules and
    # planning and declining its own orders.
    contractor_id: int | None = None


@dataclass(frozen=True)
class DossierState:
    phase: Phase
    technician_id: int | None
    contractor_id: int | None
    appointment_start: datetime | None
    first_contact_at: datetime | None
    urgency: str | None = None
    # A werkbon was recorded since the job last went to in_uitvoering (this visit's).
    visit_werkbon: bool = False


class LifecycleError(Unprocessable):
    """A transition that is not allowed or lacks what it requires."""


def transitions_for(state: DossierState, actor: Actor) -> list[Rule]:
    """The moves this actor may offer from the dossier's phase (for buttons and the API)."""
    return [
        r
        for r in RULES
        if r.source == state.phase and _may(r, state, actor) and _possible(r, state)
    ]


# Urgencies that may start work without a planned appointment.
WITHOUT_APPOINTMENT = frozenset({"acuut", "urgent"})


def _possible(rule: Rule, state: DossierState) -> bool:
    """Whether the dossier itself allows the move, so a button is only offered when it works."""
    if (rule.source, rule.target) == (Phase.DOORGEZET, Phase.IN_UITVOERING):
        return state.urgency in WITHOUT_APPOINTMENT
    return True


# A contractor's system plans its own appointments (the desk does that for its technicians).
CONTRACTOR_PLANS = frozenset({(Phase.DOORGEZET, Phase.AFSPRAAK)})


def _may(rule: Rule, state: DossierState, actor: Actor) -> bool:
    if actor.role == Role.TECHNICIAN and actor.contractor_id is not None:
        allowed = actor.role in rule.roles or (rule.source, rule.target) in CONTRACTOR_PLANS
        return allowed and actor.contractor_id == state.contractor_id
    if actor.role not in rule.roles:
        return False
    if actor.role == Role.TECHNICIAN:
        return actor.technician_id is not None and actor.technician_id == state.technician_id
    if actor.role == Role.CONTRACTOR:
        return actor.contractor_id is not None and actor.contractor_id == state.contractor_id
    return True


@dataclass(frozen=True)
class Plan:
    """What a permitted move does: dossier fields to set, and extra facts for the timeline
    (`facts`: what the move undid, such as `lapsed_appointment`, the start of an appointment
    that no longer stands)."""

    changes: dict[str, Any]
    reason: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)


# Keys `_requirements` returns beside the dossier's fields, for the timeline only.
_FACTS = ("lapsed_appointment", "declined")


def plan_transition(
    state: DossierState, target: str, actor: Actor, data: Mapping[str, Any], now: datetime
) -> Plan:
    """Check a move; return what it changes (always `phase`) or raise, changing nothing."""
    try:
        to = Phase(target)
    except ValueError:
        raise LifecycleError(f"Onbekende fase '{target}'.", "to") from None
    rule = _BY_PAIR.get((state.phase, to))
    if rule is None:
        raise LifecycleError(
            f"Van '{PHASE_LABELS[state.phase]}' kan een dossier niet naar '{PHASE_LABELS[to]}'.",
            "to",
        )
    if not _may(rule, state, actor):
        raise Forbidden(
            f"Uw rol mag een dossier niet van '{PHASE_LABELS[state.phase]}' naar "
            f"'{PHASE_LABELS[to]}' zetten.",
            "to",
        )
    if actor.role not in DESK_ROLES:
        check_field_result(data)
    changes: dict[str, Any] = {"phase": to}
    changes.update(_requirements(state, to, data, now, actor))
    if actor.role not in DESK_ROLES and to == Phase.AFGEROND and not state.visit_werkbon:
        raise LifecycleError(NO_WERKBON, "werkbon")
    reason = changes.pop("reason", None)
    facts = {key: changes.pop(key) for key in _FACTS if key in changes}
    if to in CLOSED_PHASES:
        changes["closed_at"] = now
    return Plan(changes, reason, facts)


# What a technician may close a job with: what he found on site. Remote solutions,
# referrals, duplicates and withdrawals are the desk's to record.
FIELD_RESULTS = frozenset(
    {"verholpen", "tijdelijk_verholpen", "niet_verholpen", "geen_storing", "rekening_huurder"}
)


# The field closes a job only with a werkbon of the visit; the desk records what it is told
# (a contractor's own werkbon lives in its ERP), so this binds the technician only.
NO_WERKBON = (
    "Afsluiten kan alleen met een werkbon van dit bezoek: vul de oorzaak of het uitgevoerde "
    "werk, de materialen en de bestede tijd in."
)


def check_field_result(data: Mapping[str, Any]) -> None:
    """A technician does not close a job as something he could not have found there (the app
    sends 'verholpen'; the API and a replayed op must not take more)."""
    code = data.get("result_code")
    if isinstance(code, str) and code in RESULT_LABELS and code not in FIELD_RESULTS:
        raise Forbidden(
            f"Resultaatcode '{RESULT_LABELS[code]}' legt de meldkamer vast, niet de monteur.",
            "result_code",
        )


def _text(data: Mapping[str, Any], key: str, message: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise LifecycleError(message, key)
    return value.strip()


def _requirements(
    state: DossierState, to: Phase, data: Mapping[str, Any], now: datetime, actor: Actor
) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if actor.role == Role.CONTRACTOR and to == Phase.ANALYSEREN:
        # Declined: back to the desk, no longer the contractor's (nor its technician's).
        changes["reason"] = _text(data, "reason", "Geef een reden waarom u de opdracht weigert.")
        changes.update(contractor_id=None, technician_id=None, declined=True)
    elif to == Phase.DOORGEZET and state.phase == Phase.IN_UITVOERING:
        changes["reason"] = _text(data, "reason", "Geef aan waarom de storing niet is opgelost.")
    elif to == Phase.IN_UITVOERING and state.phase == Phase.DOORGEZET:
        if state.urgency not in WITHOUT_APPOINTMENT:
            raise LifecycleError(
                "Alleen een acute of urgente opdracht kan zonder afspraak naar 'op locatie'; "
                "plan eerst een afspraak.",
                "to",
            )
        changes["reason"] = "Op locatie zonder afspraak (acuut of urgent)"
    elif to == Phase.DOORGEZET:
        if state.phase == Phase.AFSPRAAK:
            changes.update(_lapse(state, data))
        tech = data.get("technician_id") or state.technician_id
        contractor = data.get("contractor_id") or state.contractor_id
        if not tech and not contractor:
            raise LifecycleError(
                "Kies een monteur of aannemer om de storing naar door te zetten.", "technician_id"
            )
        changes.update(technician_id=tech, contractor_id=contractor)
    elif to == Phase.AFSPRAAK:
        changes.update(_appointment(state, data, now))
        if actor.role not in DESK_ROLES:
            check_field_appointment(changes["appointment_start"], changes["appointment_end"], now)
    elif to == Phase.AFGEROND:
        changes["result_code"] = _result_code(data)
    elif to == Phase.OP_AFSTAND:
        changes["result_code"] = _result_code(data)
        if state.first_contact_at is None:
            changes["first_contact_at"] = now
    elif to == Phase.DOORVERWEZEN:
        changes["referred_to"] = _text(
            data, "referred_to", "Geef aan naar welke partij is doorverwezen."
        )
        changes["result_code"] = "doorverwezen"
    elif to == Phase.GEANNULEERD:
        changes["reason"] = _text(data, "reason", "Geef een reden voor het annuleren.")
    return changes


def _lapse(state: DossierState, data: Mapping[str, Any]) -> dict[str, Any]:
    """The appointment lapses: like cancelling it, that needs a reason, and its times go, so
    nobody (board, app, tenant page) still counts on them."""
    return {
        "reason": _text(data, "reason", "Geef een reden waarom de afspraak vervalt."),
        "appointment_start": None,
        "appointment_end": None,
        "lapsed_appointment": state.appointment_start and state.appointment_start.astimezone(UTC),
    }


def _result_code(data: Mapping[str, Any]) -> str:
    code = data.get("result_code")
    if not code:
        raise LifecycleError("Afsluiten vraagt om een resultaatcode.", "result_code")
    if not isinstance(code, str) or code not in RESULT_LABELS:
        raise LifecycleError(f"Onbekende resultaatcode '{code}'.", "result_code")
    return str(code)


def _appointment(state: DossierState, data: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    start, end = data.get("appointment_start"), data.get("appointment_end")
    if not isinstance(start, datetime):
        raise LifecycleError("Een afspraak vraagt om een begintijd.", "appointment_start")
    if start.tzinfo is None:
        raise LifecycleError("De begintijd van de afspraak mist een tijdzone.", "appointment_start")
    if end is not None and (not isinstance(end, datetime) or end <= start):
        raise LifecycleError("De eindtijd moet na de begintijd liggen.", "appointment_end")
    tech = data.get("technician_id") or state.technician_id
    if not tech and not state.contractor_id:
        raise LifecycleError("Kies eerst een monteur voor de afspraak.", "technician_id")
    return {"appointment_start": start, "appointment_end": end, "technician_id": tech}


# A contractor's own planning: from now (a little slack for a slow form) to a year ahead, a
# visit of at most a working day. The desk books through its slot finder and may record
# what was agreed by phone, so this binds the portal only.
PLAN_SLACK = timedelta(minutes=5)
PLAN_AHEAD = timedelta(days=365)
LONGEST_VISIT = timedelta(hours=12)


def check_field_appointment(start: datetime, end: datetime | None, now: datetime) -> None:
    if start < now - PLAN_SLACK:
        raise LifecycleError("Een afspraak kan niet in het verleden liggen.", "appointment_start")
    if start > now + PLAN_AHEAD:
        raise LifecycleError("Een afspraak ligt hoogstens een jaar vooruit.", "appointment_start")
    if end is None:
        raise LifecycleError("Geef ook de eindtijd van de afspraak.", "appointment_end")
    if end - start > LONGEST_VISIT:
        raise LifecycleError(
            "Een afspraak duurt hoogstens 12 uur; plan een vervolgafspraak voor meer.",
            "appointment_end",
        )
