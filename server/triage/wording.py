"""Texts made from an evaluation: the uniform description and the read-back summary."""

from __future__ import annotations

from server.domain.codes import (
    CLIENT_ROLE_LABELS,
    REFERRAL_PARTY_LABELS,
    TriageAction,
)
from server.triage import dutch
from server.triage.client_calendar import ClientCalendar
from server.triage.errors import TriageError
from server.triage.model import Outcome
from server.triage.office import next_opening, open_until
from server.triage.result import Evaluation
from server.triage.templates import in_sentence, render

# Who comes, per trade, as the caller hears it: a trade's label names the trade ("Overig",
# "Alarminstallaties"), not always a person. A trade not listed (a client's own) gets "monteur".
WORKERS = {
    "CVI": "cv-monteur",
    "LOO": "loodgieter",
    "ELE": "elektricien",
    "TIM": "timmerman",
    "GLA": "glaszetter",
    "DAK": "dakdekker",
    "ONT": "ontstopper",
    "SCH": "schilder",
    "LIF": "liftmonteur",
    "ALA": "monteur voor alarminstallaties",
    "OVE": "monteur",
}
WORKER = "monteur"


def worker(trade: str | None) -> str:
    """The person the caller can expect, for a sentence: "Wij sturen direct een loodgieter"."""
    return WORKERS.get(trade or "", WORKER)


COSTS = {
    "reparatieonderhoud": "Aan de reparatie zijn voor u geen kosten verbonden.",
    "rekening_huurder": "Let op: de kosten van deze opdracht zijn voor uw eigen rekening.",
    "glasfonds": "De kosten vallen onder het glasfonds.",
    "serviceabonnement": "De kosten vallen onder het serviceabonnement.",
}


def render_description(evaluation: Evaluation, note: str = "") -> str:
    """The outcome's description template filled in with the answers on the path.

    `note` is the agent's own addition, appended as "Toelichting: ...".
    """
    outcome = _outcome(evaluation)
    values = {step.question_id: in_sentence(step.answer_label) for step in evaluation.answers}
    values["onderwerp"] = evaluation.subject_label
    text = render(outcome.description or "{onderwerp}: " + outcome.label, values).strip()
    return f"{text} Toelichting: {note.strip()}" if note.strip() else text


def read_back(
    evaluation: Evaluation,
    calendar: ClientCalendar,
    *,
    client_name: str = "uw verhuurder",
    party_name: str | None = None,
) -> str:
    """What the agent reads to the caller: what happens next, when, and what it costs."""
    outcome = _outcome(evaluation)
    sentences = [_what_happens(evaluation, outcome, calendar, client_name, party_name)]
    sentences += list(outcome.notices)
    cost = COSTS.get(outcome.order_type or "")
    if cost and outcome.action in (TriageAction.SPOEDOPDRACHT, TriageAction.OPDRACHT_24U):
        sentences.append(cost)
    if outcome.inform_client:
        sentences.append(f"Wij informeren {client_name} hier direct over.")
    return " ".join(sentences)


def _outcome(evaluation: Evaluation) -> Outcome:
    if evaluation.outcome is None:
        question = evaluation.next_question.id if evaluation.next_question else "?"
        raise TriageError(f"de triage is nog niet klaar: vraag {question!r} is open", "answers")
    return evaluation.outcome


def _what_happens(
    evaluation: Evaluation,
    outcome: Outcome,
    calendar: ClientCalendar,
    client_name: str,
    party_name: str | None,
) -> str:
    who = worker(outcome.trade)
    deadline = dutch.moment(evaluation.deadline) if evaluation.deadline else ""
    match outcome.action:
        case TriageAction.SPOEDOPDRACHT:
            return f"Wij sturen direct een {who} naar u toe; die komt zo snel mogelijk."
        case TriageAction.OPDRACHT_24U:
            return (
                f"Wij geven een {who} opdracht om dit binnen 24 uur te verhelpen, uiterlijk "
                f"{deadline}. U wordt gebeld voor een afspraak."
            )
        case TriageAction.HUURDER_BELT_KANTOOR:
            return _call_office(evaluation, calendar, client_name)
        case TriageAction.DOORVERWIJZEN:
            kind = REFERRAL_PARTY_LABELS.get(outcome.refer_to or "", "beheerder")
            party = party_name or f"de {in_sentence(kind)}"
            return f"Voor deze melding verwijzen wij u door naar {party}."
        case TriageAction.OP_AFSTAND_OPLOSSEN:
            return f"Dit kunt u waarschijnlijk zelf verhelpen. {outcome.knowledge or ''}".strip()
        case TriageAction.ESCALEREN:
            role = outcome.escalation.role if outcome.escalation else ""
            who = CLIENT_ROLE_LABELS.get(role, "een medewerker").lower()
            return (
                f"Wij zetten uw melding door naar de {who} van {client_name}. "
                f"Die neemt uiterlijk {deadline} contact met u op."
            )
    return outcome.label


def _call_office(evaluation: Evaluation, calendar: ClientCalendar, client_name: str) -> str:
    first = "Dit is geen spoedeisende melding; wij geven geen opdracht."
    closes = open_until(calendar, evaluation.at)
    if closes is not None:
        return (
            f"{first} Wilt u zelf contact opnemen met {client_name}? "
            f"Het kantoor is vandaag open tot {closes:%H:%M}."
        )
    opening = next_opening(calendar, evaluation.at)
    when = f", vanaf {dutch.moment(opening)}" if opening else ""
    return (
        f"{first} Wilt u zelf op de eerstvolgende werkdag contact opnemen met {client_name}{when}?"
    )
