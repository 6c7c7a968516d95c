"""Every way through a subject at one moment: each complete set of answers and its outcome.

Used where answers must be chosen without a caller (the demo data, which triages its reports
through the real protocol so each dossier carries an explainable decision).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from server.triage.client_calendar import ClientCalendar
from server.triage.evaluation import evaluate
from server.triage.model import Protocol
from server.triage.result import Evaluation


def complete_evaluations(
    protocol: Protocol, subject_id: str, at: datetime, calendar: ClientCalendar
) -> Iterator[tuple[dict[str, str], Evaluation]]:
    """Depth first, in the protocol's option order; a checked protocol has no cycles."""
    todo: list[dict[str, str]] = [{}]
    while todo:
        answers = todo.pop()
        evaluation = evaluate(protocol, subject_id, answers, at, calendar)
        if evaluation.complete:
            yield answers, evaluation
            continue
        question = evaluation.next_question
        assert question is not None  # an incomplete evaluation asks something
        todo.extend({**answers, question.id: o.value} for o in reversed(question.options))
