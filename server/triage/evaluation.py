"""Walk a subject's decision tree with the answers given so far, at the moment of the call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from server.domain.codes import TriageAction, Urgency
from server.triage.client_calendar import ClientCalendar
from server.triage.conditions import ConditionResult, evaluate_condition
from server.triage.errors import ProtocolError, TriageError
from server.triage.model import Branch, Condition, Outcome, Protocol, Question, Subject, Target
from server.triage.result import AnswerStep, ConditionStep, Evaluation, PathStep

# Actions that cannot stand when habitability is in danger: they become a spoedopdracht.
_NOT_ACUTE_ACTIONS = frozenset(
    {TriageAction.OPDRACHT_24U, TriageAction.HUURDER_BELT_KANTOOR, TriageAction.OP_AFSTAND_OPLOSSEN}
)


def evaluate(
    protocol: Protocol,
    subject_id: str,
    answers: Mapping[str, str],
    at: datetime,
    calendar: ClientCalendar,
) -> Evaluation:
    """The next unanswered question, or the outcome with the path that led to it.

    Deterministic: the same protocol, answers, moment and calendar give the same result.
    Raises TriageError for bad input; ProtocolError for a protocol with gaps (unchecked).
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise TriageError(f"tijdstip {at.isoformat()} heeft geen tijdzone", "at")
    subject = protocol.subject(subject_id)
    if subject is None:
        known = ", ".join(s.id for s in protocol.subjects)
        raise TriageError(f"onbekend onderwerp {subject_id!r} (bekend: {known})", "subject")
    _check_answers(subject, answers)
    return _Walk(protocol, subject, answers, at.astimezone(calendar.zone), calendar).run()


def _check_answers(subject: Subject, answers: Mapping[str, str]) -> None:
    for question_id, value in answers.items():
        question = subject.question(question_id)
        if question is None:
            raise TriageError(
                f"onbekende vraag {question_id!r} bij onderwerp {subject.id!r}",
                f"answers.{question_id}",
            )
        if not isinstance(value, str) or question.option(value) is None:
            allowed = ", ".join(option.value for option in question.options)
            raise TriageError(
                f"antwoord {value!r} past niet bij vraag {question_id!r} (kies uit: {allowed})",
                f"answers.{question_id}",
            )


@dataclass
class _Walk:
    protocol: Protocol
    subject: Subject
    answers: Mapping[str, str]
    at: datetime
    calendar: ClientCalendar
    path: list[PathStep] = field(default_factory=list)
    # One value per condition per call, so a condition cannot flip halfway through a walk.
    known: dict[Condition, ConditionResult] = field(default_factory=dict)
    habitability: bool = False
    visited: set[str] = field(default_factory=set)

    def run(self) -> Evaluation:
        node = self._resolve(self.subject.start, "start")
        while isinstance(node, Question):
            if node.id in self.visited:
                raise ProtocolError(f"kring in de vragen van {self.subject.id!r} bij {node.id!r}")
            self.visited.add(node.id)
            if node.id not in self.answers:
                return self._result(next_question=node)
            node = self._answer(node)
        return self._result(outcome=node)

    def _answer(self, question: Question) -> Question | Outcome:
        option = question.option(self.answers[question.id])
        assert option is not None  # _check_answers vetted every answer
        self.path.append(
            AnswerStep(
                question.id,
                question.text,
                option.value,
                option.label,
                option.endangers_habitability,
            )
        )
        self.habitability = self.habitability or option.endangers_habitability
        return self._resolve(option.next, f"{question.id}={option.value}")

    def _resolve(self, target: Target | None, origin: str) -> Question | Outcome:
        while isinstance(target, Branch):
            result = self._condition(target.when)
            target = target.then if result.value else target.otherwise
        if target is None:
            raise ProtocolError(f"geen vervolg na {origin} in onderwerp {self.subject.id!r}")
        node = self.subject.question(target) or self.subject.outcome(target)
        if node is None:
            raise ProtocolError(f"onbekend vervolg {target!r} na {origin} in {self.subject.id!r}")
        return node

    def _condition(self, condition: Condition) -> ConditionResult:
        if condition not in self.known:
            self.known[condition] = evaluate_condition(condition, self.at, self.calendar)
        result = self.known[condition]
        self.path.append(ConditionStep(condition, result.value, result.explanation))
        return result

    def _result(
        self, next_question: Question | None = None, outcome: Outcome | None = None
    ) -> Evaluation:
        ignored = tuple(sorted(qid for qid in self.answers if qid not in self.visited))
        notes = [
            f"antwoord op {qid!r} telt niet mee: die vraag ligt niet op deze weg" for qid in ignored
        ]
        # An answer on the way, or the outcome itself (a fire), can put habitability in danger.
        danger = self.habitability or (outcome is not None and outcome.endangers_habitability)
        if outcome is not None and danger:
            outcome, forced = _force_acute(outcome)
            if forced:
                notes.append(
                    "bewoonbaarheid in gevaar: uitkomst acuut gemaakt, opdrachtgever informeren"
                )
        return Evaluation(
            protocol_client=self.protocol.client,
            protocol_version=self.protocol.version,
            subject_id=self.subject.id,
            subject_label=self.subject.label,
            at=self.at,
            path=tuple(self.path),
            next_question=next_question,
            outcome=outcome,
            habitability_in_danger=danger,
            ignored_answers=ignored,
            notes=tuple(notes),
            deadline=_deadline(outcome, self.at),
        )


def _force_acute(outcome: Outcome) -> tuple[Outcome, bool]:
    """The seed's general rule: habitability in danger is always acuut and the client is told."""
    if outcome.urgency == Urgency.ACUUT and outcome.inform_client:
        return outcome, False
    action = outcome.action
    if action is None or action in _NOT_ACUTE_ACTIONS:
        action = TriageAction.SPOEDOPDRACHT
    return replace(outcome, urgency=Urgency.ACUUT, action=action, inform_client=True), True


def _deadline(outcome: Outcome | None, at: datetime) -> datetime | None:
    if outcome is None:
        return None
    if outcome.action == TriageAction.OPDRACHT_24U:
        hours = 24
    elif outcome.action == TriageAction.ESCALEREN and outcome.escalation is not None:
        hours = outcome.escalation.deadline_hours
    else:
        return None
    # Elapsed hours, not wall-clock hours: add in UTC so a DST change is counted right.
    return (at.astimezone(UTC) + timedelta(hours=hours)).astimezone(at.tzinfo)
