"""Write a Protocol back to the document format that `load_protocol` reads."""

from __future__ import annotations

from typing import Any

import yaml

from server.triage.model import Branch, Option, Outcome, Protocol, Question, Subject, Target


def protocol_to_dict(protocol: Protocol) -> dict[str, Any]:
    """Plain data (JSON-ready) in the file format; empty and default fields are left out."""
    return {
        "client": protocol.client,
        "version": protocol.version,
        "subjects": {subject.id: _subject(subject) for subject in protocol.subjects},
    }


def dump_protocol(protocol: Protocol) -> str:
    """The protocol as YAML text, in the order of the document it came from."""
    return yaml.safe_dump(
        protocol_to_dict(protocol), sort_keys=False, allow_unicode=True, width=100
    )


def target_to_data(target: Target | None) -> Any:
    if isinstance(target, Branch):
        return _compact(
            {
                "when": target.when.value,
                "then": target_to_data(target.then),
                "else": target_to_data(target.otherwise),
            }
        )
    return target


def _subject(subject: Subject) -> dict[str, Any]:
    return _compact(
        {
            "label": subject.label,
            "help": subject.help,
            "start": target_to_data(subject.start),
            "questions": {q.id: _question(q) for q in subject.questions},
            "outcomes": {o.id: _outcome(o) for o in subject.outcomes},
        }
    )


def _question(question: Question) -> dict[str, Any]:
    return _compact(
        {
            "text": question.text,
            "help": question.help,
            "tenant_text": question.tenant_text,
            "options": [_option(option) for option in question.options],
        }
    )


def _option(option: Option) -> dict[str, Any]:
    return _compact(
        {
            "value": option.value,
            "label": option.label,
            "endangers_habitability": option.endangers_habitability,
            "next": target_to_data(option.next),
        }
    )


def _outcome(outcome: Outcome) -> dict[str, Any]:
    escalation = outcome.escalation
    return _compact(
        {
            "label": outcome.label,
            "urgency": outcome.urgency.value if outcome.urgency else None,
            "action": outcome.action.value if outcome.action else None,
            "order_type": outcome.order_type,
            "trade": outcome.trade,
            "labour_minutes": outcome.labour_minutes,
            "inform_client": outcome.inform_client,
            "endangers_habitability": outcome.endangers_habitability,
            "refer_to": outcome.refer_to,
            "escalation": (
                {"role": escalation.role, "deadline_hours": escalation.deadline_hours}
                if escalation
                else None
            ),
            "notices": list(outcome.notices),
            "knowledge": outcome.knowledge,
            "description": outcome.description,
            "tenant_advice": outcome.tenant_advice,
            **vera_codes(outcome),
        }
    )


def vera_codes(outcome: Outcome) -> dict[str, Any]:
    """The outcome's VERA codes (docs/chain.md), as the protocol file and the dossier keep them."""
    return {
        "defect_kind": outcome.defect_kind,
        "defect_location": outcome.defect_location,
        "defect_cause": outcome.defect_cause,
        "settlement": outcome.settlement,
        "glass_fund": outcome.glass_fund,
    }


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    # Leave out what reads back as the default: None, False, "" and empty collections (not 0).
    return {key: value for key, value in data.items() if not _is_default(value)}


def _is_default(value: object) -> bool:
    return value is None or value is False or (isinstance(value, str | list | dict) and not value)
