"""What an evaluation returns: the next question or the outcome, and the path that led there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from server.triage.model import Condition, Outcome, Question


@dataclass(frozen=True)
class AnswerStep:
    question_id: str
    question_text: str
    answer_value: str
    answer_label: str
    endangers_habitability: bool = False


@dataclass(frozen=True)
class ConditionStep:
    condition: Condition
    value: bool
    # "kantoor niet binnen 24 uur bereikbaar: ja (zaterdag 4 april 12:00, ...)"
    explanation: str


PathStep = AnswerStep | ConditionStep


@dataclass(frozen=True)
class Evaluation:
    """Exactly one of `next_question` and `outcome` is set.

    `outcome` is the effective one: when an answer endangered habitability it has been made
    acuut with `inform_client` (`notes` says so). `deadline` is when an `opdracht_24u` must be
    done or an escalation answered; None for the other actions.
    """

    protocol_client: str | None
    protocol_version: int
    subject_id: str
    subject_label: str
    at: datetime
    path: tuple[PathStep, ...]
    next_question: Question | None
    outcome: Outcome | None
    habitability_in_danger: bool = False
    ignored_answers: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    deadline: datetime | None = None

    @property
    def complete(self) -> bool:
        return self.outcome is not None

    @property
    def answers(self) -> tuple[AnswerStep, ...]:
        return tuple(step for step in self.path if isinstance(step, AnswerStep))

    @property
    def conditions(self) -> tuple[ConditionStep, ...]:
        return tuple(step for step in self.path if isinstance(step, ConditionStep))
