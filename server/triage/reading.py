"""Turn a parsed protocol document (dicts and lists) into a Protocol, or say where it is wrong.

This checks the *format* only. Whether every answer leads somewhere and every outcome is
complete is for `check_protocol`, so an editor can show all such gaps together.
"""

from __future__ import annotations

from typing import Any

from server.domain.codes import TriageAction, Urgency
from server.triage import fields as f
from server.triage.errors import Loc, ProtocolFormatError
from server.triage.model import (
    Branch,
    Condition,
    Escalation,
    Option,
    Outcome,
    Protocol,
    Question,
    Subject,
    Target,
)

OUTCOME_KEYS = (
    "label",
    "urgency",
    "action",
    "order_type",
    "trade",
    "labour_minutes",
    "notices",
    "description",
    "inform_client",
    "endangers_habitability",
    "refer_to",
    "knowledge",
    "escalation",
    "tenant_advice",
    "defect_kind",
    "defect_location",
    "defect_cause",
    "settlement",
    "glass_fund",
)


def read_protocol(raw: object) -> Protocol:
    doc = f.mapping(raw, (), required=("version", "subjects"), optional=("client",))
    client = doc.get("client")
    if client is not None:
        client = f.text(client, ("client",))
    subjects = f.entries(doc["subjects"], ("subjects",))
    return Protocol(
        client=client,
        version=f.whole_number(doc["version"], ("version",), minimum=1),
        subjects=tuple(
            _subject(sid, body, ("subjects", str(sid))) for sid, body in subjects.items()
        ),
    )


def _subject(subject_id: object, raw: object, loc: Loc) -> Subject:
    doc = f.mapping(
        raw, loc, required=("label",), optional=("help", "start", "questions", "outcomes")
    )
    questions = f.entries(doc.get("questions") or {}, loc + ("questions",))
    outcomes = f.entries(doc.get("outcomes") or {}, loc + ("outcomes",))
    return Subject(
        id=f.identifier(subject_id, loc),
        label=f.text(doc["label"], loc + ("label",)),
        help=f.optional_text(doc.get("help"), loc + ("help",)),
        start=_target(doc.get("start"), loc + ("start",)),
        questions=tuple(
            _question(qid, body, loc + ("questions", str(qid))) for qid, body in questions.items()
        ),
        outcomes=tuple(
            _outcome(oid, body, loc + ("outcomes", str(oid))) for oid, body in outcomes.items()
        ),
    )


def _question(question_id: object, raw: object, loc: Loc) -> Question:
    doc = f.mapping(raw, loc, required=("text",), optional=("help", "tenant_text", "options"))
    options = doc.get("options") or []
    if not isinstance(options, list):
        raise ProtocolFormatError(
            loc + ("options",), f"verwacht een lijst van antwoorden, niet {f.describe(options)}"
        )
    return Question(
        id=f.identifier(question_id, loc),
        text=f.text(doc["text"], loc + ("text",)),
        help=f.optional_text(doc.get("help"), loc + ("help",)),
        tenant_text=f.optional_text(doc.get("tenant_text"), loc + ("tenant_text",)),
        options=tuple(_option(item, loc + ("options", i)) for i, item in enumerate(options)),
    )


def _option(raw: object, loc: Loc) -> Option:
    doc = f.mapping(
        raw, loc, required=("value", "label"), optional=("next", "endangers_habitability")
    )
    return Option(
        value=f.identifier(doc["value"], loc + ("value",)),
        label=f.text(doc["label"], loc + ("label",)),
        next=_target(doc.get("next"), loc + ("next",)),
        endangers_habitability=f.flag(
            doc.get("endangers_habitability"), loc + ("endangers_habitability",)
        ),
    )


def _target(raw: object, loc: Loc) -> Target | None:
    if raw is None or isinstance(raw, str):
        return None if raw is None else f.identifier(raw, loc)
    doc = f.mapping(raw, loc, required=("when",), optional=("then", "else"))
    return Branch(
        when=f.must(f.choice(doc["when"], loc + ("when",), Condition), loc + ("when",)),
        then=_target(doc.get("then"), loc + ("then",)),
        otherwise=_target(doc.get("else"), loc + ("else",)),
    )


def _outcome(outcome_id: object, raw: object, loc: Loc) -> Outcome:
    doc = f.mapping(raw, loc, required=("label",), optional=OUTCOME_KEYS)
    return Outcome(
        id=f.identifier(outcome_id, loc),
        label=f.text(doc["label"], loc + ("label",)),
        urgency=f.choice(doc.get("urgency"), loc + ("urgency",), Urgency),
        action=f.choice(doc.get("action"), loc + ("action",), TriageAction),
        order_type=f.code(doc.get("order_type"), loc + ("order_type",)),
        trade=f.code(doc.get("trade"), loc + ("trade",)),
        labour_minutes=f.optional_number(
            doc.get("labour_minutes"), loc + ("labour_minutes",), minimum=0
        ),
        notices=f.texts(doc.get("notices"), loc + ("notices",)),
        description=f.optional_text(doc.get("description"), loc + ("description",)) or "",
        inform_client=f.flag(doc.get("inform_client"), loc + ("inform_client",)),
        endangers_habitability=f.flag(
            doc.get("endangers_habitability"), loc + ("endangers_habitability",)
        ),
        refer_to=f.code(doc.get("refer_to"), loc + ("refer_to",)),
        knowledge=f.optional_text(doc.get("knowledge"), loc + ("knowledge",)),
        escalation=_escalation(doc.get("escalation"), loc + ("escalation",)),
        tenant_advice=f.optional_text(doc.get("tenant_advice"), loc + ("tenant_advice",)) or "",
        defect_kind=f.code(doc.get("defect_kind"), loc + ("defect_kind",)),
        defect_location=f.code(doc.get("defect_location"), loc + ("defect_location",)),
        defect_cause=f.code(doc.get("defect_cause"), loc + ("defect_cause",)),
        settlement=f.code(doc.get("settlement"), loc + ("settlement",)),
        glass_fund=f.flag(doc.get("glass_fund"), loc + ("glass_fund",)),
    )


def _escalation(raw: Any, loc: Loc) -> Escalation | None:
    if raw is None:
        return None
    doc = f.mapping(raw, loc, required=("role", "deadline_hours"))
    return Escalation(
        role=f.must(f.code(doc["role"], loc + ("role",)), loc + ("role",)),
        deadline_hours=f.whole_number(doc["deadline_hours"], loc + ("deadline_hours",), 1),
    )
