"""The seed's triage table, cell by cell, at moments that make its conditions differ."""

from __future__ import annotations

import itertools

import pytest

from server.domain.codes import CATEGORY_LABELS
from server.triage import ClientCalendar, Protocol, evaluate, evaluate_condition
from server.triage.model import Condition

from .cells import CELLS, Cell
from .moments import MOMENTS, Moment


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: m.name)
@pytest.mark.parametrize("cell", CELLS, ids=lambda c: f"{c.subject}:{c.seed[:50]}")
def test_cell(protocol: Protocol, calendar: ClientCalendar, cell: Cell, moment: Moment) -> None:
    evaluation = evaluate(protocol, cell.subject, cell.answers, moment.at, calendar)

    outcome = evaluation.outcome
    assert outcome is not None, evaluation.next_question
    assert outcome.urgency and outcome.action
    found = (outcome.urgency.value, outcome.action.value, outcome.order_type, outcome.trade)
    assert found == cell.expect(moment)
    assert evaluation.ignored_answers == ()


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: m.name)
def test_moment_flags_agree_with_the_conditions(calendar: ClientCalendar, moment: Moment) -> None:
    def value(condition: Condition) -> bool:
        return evaluate_condition(condition, moment.at, calendar).value

    assert value(Condition.WINTER) is moment.winter
    assert value(Condition.ZOMER) is not moment.winter
    assert value(Condition.KANTOOR_NIET_BINNEN_24U_BEREIKBAAR) is moment.office_unreachable
    assert value(Condition.BUITEN_KANTOORTIJD) is moment.after_hours


def test_the_table_covers_every_subject(protocol: Protocol) -> None:
    assert {subject.id for subject in protocol.subjects} == set(CATEGORY_LABELS)
    assert {cell.subject for cell in CELLS} == set(CATEGORY_LABELS)


def test_the_table_reaches_every_outcome(protocol: Protocol, calendar: ClientCalendar) -> None:
    reached = {
        (cell.subject, evaluation.outcome.id)
        for cell, moment in itertools.product(CELLS, MOMENTS)
        if (evaluation := evaluate(protocol, cell.subject, cell.answers, moment.at, calendar))
        and evaluation.outcome
    }
    habitability = {
        (s.id, o.id)
        for s in protocol.subjects
        for o in s.outcomes
        if o.id.endswith("bewoonbaarheid")
    }
    every = {(s.id, o.id) for s in protocol.subjects for o in s.outcomes}
    assert every - habitability - reached == set()


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: m.name)
def test_lockout_cost_notice(protocol: Protocol, calendar: ClientCalendar, moment: Moment) -> None:
    evaluation = evaluate(
        protocol, "buitensluiting", {"oorzaak": "verwijtbaar"}, moment.at, calendar
    )

    assert evaluation.outcome is not None
    notices = " ".join(evaluation.outcome.notices)
    assert "kosten van het openen van de deur aan u doorberekend" in notices
    assert ("voor uw eigen rekening" in notices) is moment.after_hours


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: m.name)
def test_a_lockout_that_is_not_self_inflicted_still_warns_about_costs(
    protocol: Protocol, calendar: ClientCalendar, moment: Moment
) -> None:
    evaluation = evaluate(
        protocol, "buitensluiting", {"oorzaak": "slot_defect"}, moment.at, calendar
    )

    assert evaluation.outcome is not None
    assert "kosten aan u doorberekend" in " ".join(evaluation.outcome.notices)


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: m.name)
@pytest.mark.parametrize("where", ["woning", "meterkast", "buiten"])
def test_a_gas_leak_is_always_acuut(
    protocol: Protocol, calendar: ClientCalendar, moment: Moment, where: str
) -> None:
    evaluation = evaluate(protocol, "gaslek", {"waar": where}, moment.at, calendar)

    assert evaluation.outcome is not None
    assert evaluation.outcome.urgency == "acuut"
    assert evaluation.outcome.action == "spoedopdracht"
    assert evaluation.outcome.inform_client
    assert any("0800-9009" in notice for notice in evaluation.outcome.notices)


def _habitability_answers(protocol: Protocol) -> list[tuple[str, dict[str, str]]]:
    cases = []
    for subject in protocol.subjects:
        if subject.question("bewoonbaarheid") is None:
            continue
        answers = {"bewoonbaarheid": "ja"}
        if subject.id == "lift":
            answers["opgesloten"] = "nee"
        cases.append((subject.id, answers))
    return cases


@pytest.mark.parametrize("moment", MOMENTS[:3], ids=lambda m: m.name)
def test_habitability_in_danger_is_acuut_and_informs_the_client(
    protocol: Protocol, calendar: ClientCalendar, moment: Moment
) -> None:
    cases = _habitability_answers(protocol)
    assert len(cases) == len(protocol.subjects) - 3  # not brand, gaslek, buitensluiting

    for subject_id, answers in cases:
        evaluation = evaluate(protocol, subject_id, answers, moment.at, calendar)
        assert evaluation.outcome is not None
        assert evaluation.habitability_in_danger
        assert evaluation.outcome.urgency == "acuut", subject_id
        assert evaluation.outcome.inform_client, subject_id
        assert evaluation.notes == ()  # the protocol says so itself; nothing had to be forced
