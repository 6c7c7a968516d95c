"""Enumerating every way through a subject finds each outcome the protocol can give."""

from __future__ import annotations

from server.domain.codes import Urgency
from server.triage import ClientCalendar, Protocol
from server.triage.evaluation import evaluate
from server.triage.graph import reachable
from server.triage.paths import complete_evaluations
from tests.triage.moments import MOMENTS


def test_every_reachable_outcome_is_found_at_some_moment(
    protocol: Protocol, calendar: ClientCalendar
) -> None:
    for subject in protocol.subjects:
        found = {
            evaluation.outcome.id
            for moment in MOMENTS
            for _, evaluation in complete_evaluations(protocol, subject.id, moment.at, calendar)
            if evaluation.outcome is not None
        }
        outcomes = {outcome.id for outcome in subject.outcomes}

        assert found == reachable(subject) & outcomes, subject.id


def test_each_answer_set_is_distinct_and_gives_its_outcome_again(
    protocol: Protocol, calendar: ClientCalendar
) -> None:
    at = MOMENTS[0].at
    paths = list(complete_evaluations(protocol, "cv_storing", at, calendar))

    assert len({tuple(sorted(answers.items())) for answers, _ in paths}) == len(paths) > 3
    for answers, evaluation in paths:
        again = evaluate(protocol, "cv_storing", answers, at, calendar)
        assert again.outcome == evaluation.outcome
        assert not again.ignored_answers


def test_a_gas_leak_is_acuut_on_every_path(protocol: Protocol, calendar: ClientCalendar) -> None:
    for moment in MOMENTS:
        paths = list(complete_evaluations(protocol, "gaslek", moment.at, calendar))

        assert paths
        assert all(e.outcome and e.outcome.urgency is Urgency.ACUUT for _, e in paths)
