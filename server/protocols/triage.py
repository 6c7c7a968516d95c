"""Triage of a report by the client's current protocol, and recording it on a dossier.

The decision itself is server.triage (plain Python); this module supplies the client's
protocol version and calendar, and stores the outcome, the path and the version that decided.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from tortoise.transactions import in_transaction

from server import scoping
from server.communication import notifications
from server.domain import kpis
from server.domain.codes import (
    ORDER_TYPE_LABELS,
    TRADE_LABELS,
    URGENCY_LABELS,
    TriageAction,
    Urgency,
)
from server.domain.errors import Forbidden, Unprocessable
from server.domain.lifecycle import FINAL_PHASES
from server.domain.roles import DESK_ROLES, Role
from server.dossiers import dossiers
from server.escalations import cases as escalation_cases
from server.housing import housing
from server.knowledge import articles
from server.models import Address, Client, Dossier, KnowledgeArticle, ProtocolVersion, User
from server.protocols import protocols
from server.triage import (
    AnswerStep,
    ClientCalendar,
    Evaluation,
    Outcome,
    TriageError,
    evaluate,
    evaluation_to_dict,
    read_back,
    render_description,
)

# Who may run the questions: the desk, and a client's own staff taking a report themselves.
EVALUATE_ROLES = DESK_ROLES | {Role.CLIENT}


@dataclass(frozen=True)
class TriageInput:
    subject: str
    answers: dict[str, str] = field(default_factory=dict)
    # The moment the conditions are judged at; default: now.
    at: datetime | None = None


@dataclass(frozen=True)
class Decision:
    """An evaluation with what it was made from: the client, its protocol version, calendar."""

    client: Client
    version: ProtocolVersion
    evaluation: Evaluation
    read_back: str | None
    # The knowledge-base article an op_afstand_oplossen outcome shows, if one is linked.
    article: KnowledgeArticle | None = None

    def to_dict(self) -> dict[str, Any]:
        out = evaluation_to_dict(self.evaluation)
        out["protocol"] = {
            "client": self.client.code,
            "version": self.version.version,
            "id": self.version.id,
        }
        out["read_back"] = self.read_back
        out["article"] = _article(self.article)
        if out["outcome"] is not None:
            outcome = out["outcome"]
            outcome["order_type"] = order_type_for(self.client, outcome["order_type"])
            outcome["trade_label"] = TRADE_LABELS.get(outcome["trade"] or "")
            outcome["order_type_label"] = ORDER_TYPE_LABELS.get(outcome["order_type"] or "")
        return out


def _article(article: KnowledgeArticle | None) -> dict[str, Any] | None:
    if article is None:
        return None
    return {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "version": article.version,
        "shared": article.client_id is None,
    }


def now() -> datetime:
    return datetime.now(UTC)


def calendar_for(client: Client) -> ClientCalendar:
    raw = (
        client.office_hours,
        client.settings.get("heating_season"),
        client.settings.get("closure_days"),
    )
    try:
        # Kept per content of the settings (every intake reads the client afresh: a change is
        # a new key, seen at once in every process); parsing them was a fiftieth of an intake.
        return _calendar(json.dumps(raw, sort_keys=True))
    except TriageError as error:
        raise Unprocessable(
            f"De instellingen van {client.name} kloppen niet: {error.message}.", error.field
        ) from None


@lru_cache(maxsize=256)
def _calendar(settings: str) -> ClientCalendar:
    return ClientCalendar.from_settings(*json.loads(settings))


async def evaluate_for(
    user: User, code: str, data: TriageInput, address_id: int | None = None
) -> Decision:
    """The next question or the outcome, as the desk sees it during a call."""
    if user.role not in EVALUATE_ROLES:
        raise Forbidden("Uw rol mag geen triage uitvoeren.")
    client = await scoping.client(user, code)
    address = None
    if address_id is not None:
        address = await Address.get_or_none(id=address_id, client_id=client.id)
        if address is None:
            raise Unprocessable(
                f"Adres {address_id} hoort niet bij opdrachtgever {client.code}.", "address"
            )
    return await decide(client, data, address)


async def decide(
    client: Client,
    data: TriageInput,
    address: Address | None = None,
    newest: tuple[int, str] | None = None,
) -> Decision:
    """`newest`: the id and checksum of the client's newest protocol version, if just read."""
    version = await protocols.current(client, newest)
    calendar = calendar_for(client)
    try:
        evaluation = evaluate(
            protocols.protocol(client, version),
            data.subject,
            data.answers,
            data.at or now(),
            calendar,
        )
    except TriageError as error:
        raise Unprocessable(_sentence(error.message), error.field) from None
    told = None
    article = None
    if evaluation.outcome is not None:
        party = await _party_name(address, evaluation)
        told = read_back(evaluation, calendar, client_name=client.name, party_name=party)
        if evaluation.outcome.action is TriageAction.OP_AFSTAND_OPLOSSEN:
            article = await articles.for_outcome(
                client, evaluation.subject_id, evaluation.outcome.id
            )
    return Decision(client, version, evaluation, told, article)


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


async def _party_name(address: Address | None, evaluation: Evaluation) -> str | None:
    kind = evaluation.outcome.refer_to if evaluation.outcome else None
    if address is None or kind is None:
        return None
    for party in await housing.parties_for(address):
        if party.kind == kind:
            return f"{party.name}{f' ({party.phone})' if party.phone else ''}"
    return None


async def apply(
    user: User, dossier: Dossier, data: TriageInput, at: datetime | None = None
) -> Dossier:
    """Triage (or re-triage) a dossier; the previous triage stays in the timeline."""
    _may_apply(user, dossier)
    await dossier.fetch_related("client", "address")
    decision = await decide(dossier.client, data, dossier.address)
    await record(user, dossier, decision, at)
    if at is None:  # the summary for the tenant, once; the on-call alert if triage raised one
        from server.communication import communication

        await communication.safely(communication.dossier_received(dossier))
        await communication.safely(communication.send_client_notifications(dossier=dossier))
    return dossier


def _may_apply(user: User, dossier: Dossier) -> None:
    if user.role not in DESK_ROLES:
        raise Forbidden("Alleen de meldkamer legt de triage van een dossier vast.")
    if dossier.phase in FINAL_PHASES:
        raise Unprocessable(
            f"Dossier {dossier.order_number} is afgesloten; de triage kan niet meer wijzigen.",
            "phase",
        )


async def record(
    user: User, dossier: Dossier, decision: Decision, at: datetime | None = None
) -> None:
    """Store a complete decision on the dossier, with an event and, if needed, the alert."""
    at = at or now()
    outcome = require_complete(decision)
    found = recorded(user, decision, dossier, at)
    async with in_transaction() as conn:
        await dossiers._save(dossier, found.changes, user, at, "triage", found.event)
        # A re-triage to the same outcome (an answer corrected) does not alert a second time.
        if found.alert is not None and not await notifications.alerted(dossier, outcome.id, conn):
            await notifications.on_call(dossier, decision.client, found.alert, at, conn)
        # Seed 003: a complaint about a referred party becomes a case for the client's role.
        await escalation_cases.open_if_escalated(dossier, decision.client, at, conn)


@dataclass(frozen=True)
class Recorded:
    """What a complete decision writes: the dossier's columns, the timeline event's data and,
    when the client must hear of it at once, the on-call alert's summary."""

    changes: dict[str, Any]
    event: dict[str, Any]
    alert: dict[str, Any] | None


def recorded(user: User | None, decision: Decision, dossier: Dossier, at: datetime) -> Recorded:
    """The writes of `record`, for a dossier as it is (at intake: one not stored yet)."""
    evaluation = decision.evaluation
    outcome = require_complete(decision)
    triage = _stored(decision, dossier, user, at)
    changes = {
        "urgency": outcome.urgency.value if outcome.urgency else None,
        "order_type": order_type_for(decision.client, outcome.order_type),
        "trade": outcome.trade,
        "labour_minutes": outcome.labour_minutes,
        "deadline_at": deadline(dossier, decision.client, outcome, evaluation),
        "category": evaluation.subject_id,
        "triage": triage,
        "triage_outcome": kpis.triage_outcome(triage),  # the dashboard's column of it
    }
    alert = outcome.inform_client or evaluation.habitability_in_danger
    return Recorded(
        changes, _event(decision, dossier.triage or {}), _alert(triage) if alert else None
    )


GLASS_FUND = "glasfonds"


def order_type_for(client: Client, order_type: str | None) -> str | None:
    """The protocol's order type for this client: glass damage goes through the glass fund only
    when the client has one (admin screen, settings["glass_fund"]; unset: it has)."""
    if order_type == GLASS_FUND and client.settings.get("glass_fund") is False:
        return "reparatieonderhoud"
    return order_type


def deadline(
    dossier: Dossier, client: Client, outcome: Outcome, evaluation: Evaluation
) -> datetime | None:
    """Acuut: on site within the client's norm after the report; otherwise triage's own
    deadline (a 24-hour order, an escalation), or none."""
    if outcome.urgency is Urgency.ACUUT:
        raw = (client.settings or {}).get("acuut_norm_minutes", kpis.ACUUT_NORM_MINUTES)
        minutes = raw if isinstance(raw, int) and raw > 0 else kpis.ACUUT_NORM_MINUTES
        return dossier.created_at + timedelta(minutes=minutes)
    return evaluation.deadline


def require_complete(decision: Decision) -> Outcome:
    outcome, question = decision.evaluation.outcome, decision.evaluation.next_question
    if outcome is None:
        assert question is not None  # an evaluation has an outcome or a next question
        raise Unprocessable(
            f"De triage is nog niet af: vraag '{question.id}' ({question.text}) is nog open.",
            f"answers.{question.id}",
        )
    return outcome


def _stored(
    decision: Decision, dossier: Dossier, user: User | None, at: datetime
) -> dict[str, Any]:
    """What the dossier keeps: enough to explain the decision without the protocol at hand."""
    data = decision.to_dict()
    evaluation = decision.evaluation
    return {
        "subject": data["subject"],
        "answers": {step.question_id: step.answer_value for step in evaluation.answers},
        "outcome": data["outcome"],
        "path": data["path"],
        "protocol": data["protocol"],
        "evaluated_at": data["at"],
        "recorded_at": at.isoformat(),
        # No user: the tenant answered the questions online (server/selfservice).
        "recorded_by": str(user) if user is not None else "huurder (online)",
        "deadline": data["deadline"],
        "habitability_in_danger": evaluation.habitability_in_danger,
        "notes": data["notes"],
        "read_back": decision.read_back,
        "description": render_description(evaluation, dossier.description),
        # The article read from, by id and version (its text stays in the knowledge base).
        "article": (
            {k: data["article"][k] for k in ("id", "title", "version")} if data["article"] else None
        ),
    }


def _event(decision: Decision, before: dict[str, Any]) -> dict[str, Any]:
    evaluation = decision.evaluation
    outcome = evaluation.outcome
    assert outcome is not None
    event: dict[str, Any] = {
        "subject": evaluation.subject_label,
        "outcome": outcome.id,
        "outcome_label": outcome.label,
        "urgency": outcome.urgency.value if outcome.urgency else None,
        "action": outcome.action.value if outcome.action else None,
        "protocol_version": decision.version.version,
        "protocol_version_id": decision.version.id,
        "habitability_in_danger": evaluation.habitability_in_danger,
        "inform_client": outcome.inform_client,
        "path": [_step_text(step) for step in evaluation.path],
    }
    if before.get("outcome"):
        event["previous"] = {
            "outcome_label": before["outcome"].get("label"),
            "urgency": before["outcome"].get("urgency"),
            "protocol_version": before.get("protocol", {}).get("version"),
        }
    return event


def _step_text(step: Any) -> str:
    if isinstance(step, AnswerStep):
        return f"{step.question_text} → {step.answer_label}"
    return str(step.explanation)


def _alert(triage: dict[str, Any]) -> dict[str, Any]:
    outcome = triage["outcome"]
    return {
        "outcome": outcome["id"],
        "outcome_label": outcome["label"],
        "urgency": outcome["urgency"],
        "urgency_label": URGENCY_LABELS.get(outcome["urgency"] or "", ""),
        "habitability": triage["habitability_in_danger"],
        "description": triage["description"],
        "protocol_version": triage["protocol"]["version"],
    }
