"""Structural checks: what keeps a protocol from being published."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server.triage import (
    ClientCalendar,
    Evaluation,
    Problem,
    Protocol,
    check_protocol,
    evaluate,
    load_protocol,
    render_description,
)
from server.triage.graph import find_cycle

from .moments import MOMENTS

BASE: dict[str, Any] = {
    "version": 1,
    "subjects": {
        "s": {
            "label": "Onderwerp",
            "start": "q1",
            "questions": {
                "q1": {
                    "text": "Eerste vraag?",
                    "options": [
                        {"value": "a", "label": "A", "next": "q2"},
                        {"value": "b", "label": "B", "next": "o1"},
                    ],
                },
                "q2": {
                    "text": "Tweede vraag?",
                    "options": [{"value": "c", "label": "C", "next": "o1"}],
                },
            },
            "outcomes": {
                "o1": {
                    "label": "Uitkomst",
                    "urgency": "acuut",
                    "action": "spoedopdracht",
                    "order_type": "reparatieonderhoud",
                    "trade": "CVI",
                    "labour_minutes": 30,
                    "description": "{onderwerp}: {q1}",
                }
            },
        }
    },
}


_DELETE = object()


def _with(change: dict[str, Any]) -> dict[str, Any]:
    """BASE with changes: {"questions.q1.options.0.next": None, "outcomes.o1.trade": _DELETE}."""
    data = copy.deepcopy(BASE)
    for dotted, value in change.items():
        *parents, last = dotted.split(".")
        node: Any = data["subjects"]["s"]
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        key: Any = int(last) if isinstance(node, list) else last
        if value is _DELETE:
            del node[key]
        else:
            node[key] = value
    return data


def _problems(change: dict[str, Any] | None = None, **kwargs: Any) -> list[tuple[str, str]]:
    return [(p.code, p.path) for p in check_protocol(load_protocol(_with(change or {})), **kwargs)]


Q1 = "subjects.s.questions.q1"
O1 = "subjects.s.outcomes.o1"


def test_base_is_clean() -> None:
    assert _problems() == []


def test_question_without_answers_has_no_way_out() -> None:
    assert _problems({"questions.q2.options": []}) == [("no_way_out", "subjects.s.questions.q2")]


def test_answer_without_target() -> None:
    assert _problems({"questions.q1.options.0.next": None}) == [
        ("missing_target", f"{Q1}.options[0].next"),
        ("unreachable", "subjects.s.questions.q2"),
    ]


def test_answer_with_unknown_target() -> None:
    problems = check_protocol(load_protocol(_with({"questions.q1.options.1.next": "o9"})))

    assert [str(p) for p in problems] == [
        f"{Q1}.options[1].next: onbekende vraag of uitkomst 'o9'",
    ]


def test_branch_without_else() -> None:
    branch = {"when": "winter", "then": "o1"}

    assert _problems({"questions.q1.options.1.next": branch}) == [
        ("missing_target", f"{Q1}.options[1].next.else")
    ]


def test_outcome_without_urgency_or_action() -> None:
    problems = _problems({"outcomes.o1.urgency": _DELETE, "outcomes.o1.action": _DELETE})

    assert problems == [("missing_urgency", O1), ("missing_action", O1)]


def test_action_must_fit_urgency() -> None:
    assert _problems({"outcomes.o1.urgency": "niet_urgent"}) == [
        ("action_urgency_mismatch", f"{O1}.action")
    ]


def test_an_order_needs_trade_order_type_and_labour() -> None:
    assert _problems({"outcomes.o1.trade": _DELETE}) == [("missing_field", O1)]


def test_a_referral_needs_a_party_kind() -> None:
    change = {
        "outcomes.o1.action": "doorverwijzen",
        "outcomes.o1.refer_to": "buurman",
    }
    problems = check_protocol(load_protocol(_with(change)))

    assert [str(p) for p in problems] == [
        f"{O1}.refer_to: onbekende soort partij 'buurman' "
        "(bekend: huismeester, lift, monitoring, netbeheerder, vve)"
    ]


def test_unknown_trade_and_a_client_order_type() -> None:
    change = {"outcomes.o1.trade": "XYZ", "outcomes.o1.order_type": "eigen_budget"}

    assert _problems(change) == [
        ("unknown_code", f"{O1}.trade"),
        ("unknown_code", f"{O1}.order_type"),
    ]
    assert _problems(change, trades=["XYZ"], order_types=["eigen_budget"]) == []


def test_cycle() -> None:
    problems = check_protocol(load_protocol(_with({"questions.q2.options.0.next": "q1"})))

    assert [str(p) for p in problems] == ["subjects.s: de vragen vormen een kring: q1 -> q2 -> q1"]


def test_unreachable_outcome() -> None:
    extra = dict(BASE["subjects"]["s"]["outcomes"]["o1"], label="Los")

    assert _problems({"outcomes.o2": extra}) == [("unreachable", "subjects.s.outcomes.o2")]


def test_question_and_outcome_with_the_same_id() -> None:
    outcome = dict(BASE["subjects"]["s"]["outcomes"]["o1"])
    del outcome["description"]

    assert ("duplicate_id", "subjects.s") in _problems({"outcomes.q2": outcome})


def test_duplicate_answer_values() -> None:
    option = {"value": "a", "label": "Nog eens A", "next": "o1"}
    options = [*BASE["subjects"]["s"]["questions"]["q1"]["options"], option]

    assert _problems({"questions.q1.options": options}) == [("duplicate_id", f"{Q1}.options")]


def test_duplicate_subjects_and_no_subjects() -> None:
    protocol = load_protocol(BASE)
    twice = Protocol(None, 1, protocol.subjects * 2)

    assert [(p.code, p.path) for p in check_protocol(twice)] == [("duplicate_id", "subjects.s")]
    assert [p.code for p in check_protocol(Protocol(None, 1))] == ["no_subjects"]


def test_habitability_answer_must_lead_to_acuut_that_informs() -> None:
    change = {"questions.q1.options.1.endangers_habitability": True}

    problems = check_protocol(load_protocol(_with(change)))

    assert [str(p) for p in problems] == [
        f"{Q1}.options[1].next: bewoonbaarheid in gevaar moet leiden tot een acute uitkomst die "
        "de opdrachtgever informeert; 'o1' doet dat niet"
    ]
    # Informing now, but q1=a -> q2 -> o1 reaches it with habitability not in danger.
    informs = {**change, "outcomes.o1.inform_client": True}
    assert _problems(informs) == [("inform_without_habitability", f"{O1}.inform_client")]
    both = {**informs, "questions.q1.options.0.endangers_habitability": True}
    assert _problems(both) == []


def test_an_outcome_that_informs_needs_habitability_in_danger_on_every_way() -> None:
    """The seed ties them: the client is told at once because habitability is in danger. A
    fire says so itself (the outcome's flag), other outcomes through the answers on the way."""
    informs = {"outcomes.o1.inform_client": True}

    problems = check_protocol(load_protocol(_with(informs)))

    assert [str(p) for p in problems] == [
        f"{O1}.inform_client: uitkomst 'o1' informeert de opdrachtgever direct, maar is te "
        "bereiken zonder dat de bewoonbaarheid in gevaar is; markeer het antwoord of de "
        "uitkomst met endangers_habitability, of informeer niet"
    ]
    assert _problems({**informs, "outcomes.o1.endangers_habitability": True}) == []


def test_an_outcome_that_endangers_habitability_must_be_acuut_and_inform() -> None:
    flagged = {"outcomes.o1.endangers_habitability": True}

    assert _problems(flagged) == [("habitability_not_acuut", O1)]
    urgent = {
        **flagged,
        "outcomes.o1.inform_client": True,
        "outcomes.o1.urgency": "urgent",
        "outcomes.o1.action": "opdracht_24u",
    }
    assert _problems(urgent) == [("habitability_not_acuut", O1)]


def test_the_default_protocol_informs_exactly_when_habitability_is_in_danger(
    protocol: Protocol, calendar: ClientCalendar
) -> None:
    """No path of the default protocol records "client informed" beside "habitability not in
    danger", or the other way round (brand, gaslek, glass breakage and lift used to)."""
    for subject in protocol.subjects:
        for evaluation in _every_path(protocol, subject.id, calendar):
            assert evaluation.outcome is not None
            assert evaluation.outcome.inform_client == evaluation.habitability_in_danger, (
                subject.id,
                evaluation.outcome.id,
            )


def test_description_placeholders() -> None:
    assert _problems({"outcomes.o1.description": "{zz}"}) == [
        ("unknown_placeholder", f"{O1}.description")
    ]
    # q2 is skipped on the way q1=b -> o1, so its answer is not always there.
    assert _problems({"outcomes.o1.description": "{q2}"}) == [
        ("placeholder_not_on_path", f"{O1}.description")
    ]


def test_problem_text() -> None:
    problem = Problem("no_way_out", ("subjects", "s", "questions", "q2"), "geen antwoorden")

    assert str(problem) == "subjects.s.questions.q2: geen antwoorden"


# Every shipped protocol -------------------------------------------------------------------


def test_shipped_protocol_has_no_problems(shipped: Path) -> None:
    assert check_protocol(load_protocol(shipped.read_text(encoding="utf-8"))) == []


def _every_path(
    protocol: Protocol, subject_id: str, calendar: ClientCalendar
) -> Iterator[Evaluation]:
    """Answer every question every possible way, at every test moment."""
    for moment in MOMENTS:
        todo: list[dict[str, str]] = [{}]
        while todo:
            answers = todo.pop()
            evaluation = evaluate(protocol, subject_id, answers, moment.at, calendar)
            if evaluation.next_question is None:
                yield evaluation
                continue
            assert evaluation.next_question.id not in answers
            todo.extend(
                {**answers, evaluation.next_question.id: option.value}
                for option in evaluation.next_question.options
            )


def test_every_path_ends_in_a_complete_outcome(shipped: Path, calendar: ClientCalendar) -> None:
    protocol = load_protocol(shipped.read_text(encoding="utf-8"))

    for subject in protocol.subjects:
        assert find_cycle(subject) is None
        for evaluation in _every_path(protocol, subject.id, calendar):
            outcome = evaluation.outcome
            assert outcome is not None
            assert outcome.urgency is not None and outcome.action is not None
            if outcome.action in ("spoedopdracht", "opdracht_24u"):
                assert outcome.trade and outcome.order_type and outcome.labour_minutes
            assert "{" not in render_description(evaluation)


def test_every_non_acute_path_asked_about_habitability(
    protocol: Protocol, calendar: ClientCalendar
) -> None:
    """The seed's general rule is a question on every way to a non-acute outcome."""
    for subject in protocol.subjects:
        for evaluation in _every_path(protocol, subject.id, calendar):
            assert evaluation.outcome is not None
            if evaluation.outcome.urgency != "acuut":
                asked = {step.question_id: step.answer_value for step in evaluation.answers}
                assert asked.get("bewoonbaarheid") == "nee", (subject.id, evaluation.outcome.id)


@pytest.mark.parametrize("subject_id", ["brand", "gaslek", "buitensluiting"])
def test_subjects_that_are_always_acuut(
    protocol: Protocol, calendar: ClientCalendar, subject_id: str
) -> None:
    for evaluation in _every_path(protocol, subject_id, calendar):
        assert evaluation.outcome is not None
        assert evaluation.outcome.urgency == "acuut"
