"""An evaluation as JSON-ready data: the API response and what a dossier stores."""

from __future__ import annotations

from typing import Any

from server.domain.codes import TRIAGE_ACTION_LABELS, URGENCY_LABELS
from server.triage.model import Outcome, Question
from server.triage.result import AnswerStep, Evaluation, PathStep
from server.triage.wording import render_description
from server.triage.writing import vera_codes


def evaluation_to_dict(evaluation: Evaluation) -> dict[str, Any]:
    question, outcome = evaluation.next_question, evaluation.outcome
    return {
        "complete": evaluation.complete,
        "protocol": {"client": evaluation.protocol_client, "version": evaluation.protocol_version},
        "subject": {"id": evaluation.subject_id, "label": evaluation.subject_label},
        "at": evaluation.at.isoformat(),
        "next_question": _question(question) if question else None,
        "outcome": _outcome(outcome) if outcome else None,
        "description": render_description(evaluation) if outcome else None,
        "deadline": evaluation.deadline.isoformat() if evaluation.deadline else None,
        "habitability_in_danger": evaluation.habitability_in_danger,
        "path": [_step(step) for step in evaluation.path],
        "ignored_answers": list(evaluation.ignored_answers),
        "notes": list(evaluation.notes),
    }


def _question(question: Question) -> dict[str, Any]:
    return {
        "id": question.id,
        "text": question.text,
        "help": question.help,
        "tenant_text": question.tenant_text,
        "options": [{"value": o.value, "label": o.label} for o in question.options],
    }


def _outcome(outcome: Outcome) -> dict[str, Any]:
    urgency = outcome.urgency.value if outcome.urgency else None
    action = outcome.action.value if outcome.action else None
    escalation = outcome.escalation
    return {
        "id": outcome.id,
        "label": outcome.label,
        "urgency": urgency,
        "urgency_label": URGENCY_LABELS.get(urgency or ""),
        "action": action,
        "action_label": TRIAGE_ACTION_LABELS.get(action or ""),
        "order_type": outcome.order_type,
        "trade": outcome.trade,
        "labour_minutes": outcome.labour_minutes,
        "notices": list(outcome.notices),
        "inform_client": outcome.inform_client,
        "endangers_habitability": outcome.endangers_habitability,
        "refer_to": outcome.refer_to,
        "knowledge": outcome.knowledge,
        "tenant_advice": outcome.tenant_advice,
        "escalation": (
            {"role": escalation.role, "deadline_hours": escalation.deadline_hours}
            if escalation
            else None
        ),
        **vera_codes(outcome),
    }


def _step(step: PathStep) -> dict[str, Any]:
    if isinstance(step, AnswerStep):
        return {
            "kind": "answer",
            "question_id": step.question_id,
            "question_text": step.question_text,
            "answer_value": step.answer_value,
            "answer_label": step.answer_label,
            "endangers_habitability": step.endangers_habitability,
        }
    return {
        "kind": "condition",
        "condition": step.condition.value,
        "value": step.value,
        "explanation": step.explanation,
    }
