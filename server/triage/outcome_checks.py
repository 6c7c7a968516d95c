"""Checks on one outcome: complete for its action, and using known codes."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

from server.domain import codes, vera
from server.domain.codes import TriageAction, Urgency
from server.triage.errors import Loc
from server.triage.model import Outcome
from server.triage.problems import Problem

# The seed's three classes each come with their own action; the other actions go with any.
URGENCY_OF_ACTION = {
    TriageAction.SPOEDOPDRACHT: Urgency.ACUUT,
    TriageAction.OPDRACHT_24U: Urgency.URGENT,
    TriageAction.HUURDER_BELT_KANTOOR: Urgency.NIET_URGENT,
}
ORDER_ACTIONS = frozenset({TriageAction.SPOEDOPDRACHT, TriageAction.OPDRACHT_24U})


@dataclass(frozen=True)
class OutcomeRules:
    order_types: Collection[str]
    trades: Collection[str]
    referral_kinds: Collection[str] = tuple(codes.REFERRAL_PARTY_LABELS)
    client_roles: Collection[str] = tuple(codes.CLIENT_ROLE_LABELS)


def check_outcome(outcome: Outcome, loc: Loc, rules: OutcomeRules) -> Iterator[Problem]:
    if outcome.urgency is None:
        yield Problem("missing_urgency", loc, f"uitkomst {outcome.id!r} heeft geen urgentie")
    if outcome.action is None:
        yield Problem("missing_action", loc, f"uitkomst {outcome.id!r} heeft geen actie")
    else:
        yield from _action_fits(outcome, outcome.action, loc)
    yield from _known_codes(outcome, loc, rules)


def _action_fits(outcome: Outcome, action: TriageAction, loc: Loc) -> Iterator[Problem]:
    expected = URGENCY_OF_ACTION.get(action)
    if expected is not None and outcome.urgency is not None and outcome.urgency != expected:
        yield Problem(
            "action_urgency_mismatch",
            loc + ("action",),
            f"actie {action.value!r} hoort bij urgentie {expected.value!r}, "
            f"niet {outcome.urgency.value!r}",
        )
    needed: dict[str, object] = {}
    if action in ORDER_ACTIONS:
        needed = {
            "trade": outcome.trade,
            "order_type": outcome.order_type,
            "labour_minutes": outcome.labour_minutes,
        }
    elif action is TriageAction.DOORVERWIJZEN:
        needed = {"refer_to": outcome.refer_to}
    elif action is TriageAction.OP_AFSTAND_OPLOSSEN:
        needed = {"knowledge": outcome.knowledge}
    elif action is TriageAction.ESCALEREN:
        needed = {"escalation": outcome.escalation}
    for name, value in needed.items():
        if value is None:
            yield Problem(
                "missing_field", loc, f"actie {action.value!r} vraagt om {name!r} in {outcome.id!r}"
            )


def _known_codes(outcome: Outcome, loc: Loc, rules: OutcomeRules) -> Iterator[Problem]:
    role = outcome.escalation.role if outcome.escalation else None
    lists = (
        ("trade", outcome.trade, rules.trades, "vakdiscipline"),
        ("order_type", outcome.order_type, rules.order_types, "ordersoort"),
        ("refer_to", outcome.refer_to, rules.referral_kinds, "soort partij"),
        ("escalation", role, rules.client_roles, "rol"),
        ("defect_kind", outcome.defect_kind, vera.DEFECT_KINDS, "DEFECTSOORT"),
        ("defect_location", outcome.defect_location, vera.DEFECT_LOCATIONS, "DEFECTLOCATIE"),
        ("defect_cause", outcome.defect_cause, vera.DEFECT_CAUSES, "DEFECTOORZAAK"),
        ("settlement", outcome.settlement, vera.SETTLEMENTS, "VERREKENINGSOORT"),
    )
    for name, value, known, what in lists:
        if value is not None and value not in known:
            yield Problem(
                "unknown_code",
                loc + (name,),
                f"onbekende {what} {value!r} (bekend: {', '.join(sorted(known))})",
            )
