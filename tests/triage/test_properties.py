"""Property tests: any answers give a known next question or a complete outcome, the same way."""

from __future__ import annotations

from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.triage import ClientCalendar, TriageError, default_protocol, evaluate
from server.triage.model import Subject

from .conftest import WEEKDAYS_8_TO_5
from .moments import AMSTERDAM

PROTOCOL = default_protocol()
CALENDAR = ClientCalendar.from_settings(WEEKDAYS_8_TO_5)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

moments = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2028, 12, 31),
    timezones=st.just(AMSTERDAM),
    allow_imaginary=False,
)
subjects = st.sampled_from(PROTOCOL.subjects)


def _subject(subject_id: str) -> Subject:
    subject = PROTOCOL.subject(subject_id)
    assert subject is not None
    return subject


@st.composite
def valid_answers(draw: st.DrawFn, subject: Subject) -> dict[str, str]:
    """Some of the subject's questions, each answered with one of its options."""
    chosen = (
        draw(st.lists(st.sampled_from(subject.questions), unique_by=lambda q: q.id))
        if subject.questions
        else []
    )
    return {q.id: draw(st.sampled_from([o.value for o in q.options])) for q in chosen}


@SETTINGS
@given(data=st.data(), subject=subjects, at=moments)
def test_any_answers_ask_a_known_question_or_give_a_complete_outcome(
    data: st.DataObject, subject: Subject, at: datetime
) -> None:
    answers = data.draw(valid_answers(subject))

    evaluation = evaluate(PROTOCOL, subject.id, answers, at, CALENDAR)

    if evaluation.outcome is None:
        question = evaluation.next_question
        assert question is not None
        assert subject.question(question.id) == question
        assert question.id not in answers
    else:
        assert evaluation.next_question is None
        assert evaluation.outcome.urgency is not None
        assert evaluation.outcome.action is not None
    on_path = {step.question_id for step in evaluation.answers}
    assert on_path | set(evaluation.ignored_answers) == set(answers)
    assert not on_path & set(evaluation.ignored_answers)


@SETTINGS
@given(data=st.data(), subject=subjects, at=moments)
def test_evaluation_is_deterministic(data: st.DataObject, subject: Subject, at: datetime) -> None:
    answers = data.draw(valid_answers(subject))

    first = evaluate(PROTOCOL, subject.id, answers, at, CALENDAR)
    second = evaluate(PROTOCOL, subject.id, dict(reversed(list(answers.items()))), at, CALENDAR)

    assert first == second


@SETTINGS
@given(data=st.data(), subject=subjects, at=moments)
def test_habitability_in_danger_is_always_acuut(
    data: st.DataObject, subject: Subject, at: datetime
) -> None:
    answers = data.draw(valid_answers(subject))

    evaluation = evaluate(PROTOCOL, subject.id, answers, at, CALENDAR)

    if evaluation.outcome is not None and evaluation.habitability_in_danger:
        assert evaluation.outcome.urgency == "acuut"
        assert evaluation.outcome.inform_client


@SETTINGS
@given(answers=valid_answers(_subject("gaslek")), at=moments)
def test_a_gas_leak_is_never_anything_but_acuut(answers: dict[str, str], at: datetime) -> None:
    evaluation = evaluate(PROTOCOL, "gaslek", answers, at, CALENDAR)

    assert evaluation.outcome is None or evaluation.outcome.urgency == "acuut"


@SETTINGS
@given(
    subject=subjects,
    answers=st.dictionaries(st.text(max_size=12), st.text(max_size=12), max_size=4),
    at=moments,
)
def test_arbitrary_input_is_answered_or_refused_with_a_triage_error(
    subject: Subject, answers: dict[str, str], at: datetime
) -> None:
    try:
        evaluation = evaluate(PROTOCOL, subject.id, answers, at, CALENDAR)
    except TriageError as error:
        assert error.field.startswith("answers.")
        assert repr(error.field.removeprefix("answers.")) in error.message
    else:
        assert evaluation.complete or evaluation.next_question is not None
