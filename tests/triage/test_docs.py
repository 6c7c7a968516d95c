"""docs/protocol.md must stay true: every id of the default protocol, condition and code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from server.domain.codes import REFERRAL_PARTY_LABELS, TriageAction
from server.triage import Protocol
from server.triage.model import Condition, Subject

DOC = (Path(__file__).parents[2] / "docs" / "protocol.md").read_text(encoding="utf-8")
SHIPPED_PROBLEM_CODES = re.findall(
    r'Problem\(\s*"([a-z_]+)"',
    "".join(
        path.read_text(encoding="utf-8")
        for path in (Path(__file__).parents[2] / "server" / "triage").glob("*.py")
    ),
)


def _section(subject: Subject) -> str:
    heading = f"### `{subject.id}` — {subject.label}\n"
    assert heading in DOC, f"docs/protocol.md has no section for subject {subject.id!r}"
    section = DOC.split(heading, 1)[1]
    return section.split("\n### ", 1)[0]


def _documented_answers(section: str) -> dict[str, list[str]]:
    """The question table of a section: question id -> answer values, in order."""
    answers: dict[str, list[str]] = {}
    current = ""
    for line in section.splitlines():
        cells = [cell.strip().strip("`") for cell in line.strip("|").split("|")]
        if len(cells) != 3 or not cells[1] or cells[1].startswith(("-", "answer")):
            continue
        current = cells[0] or current
        answers.setdefault(current, []).append(cells[1].split("`")[0].split(" ")[0])
    return answers


def test_every_subject_question_and_answer_is_documented(protocol: Protocol) -> None:
    for subject in protocol.subjects:
        documented = _documented_answers(_section(subject))
        expected = {q.id: [o.value for o in q.options] for q in subject.questions}
        assert documented == expected, subject.id


def test_every_outcome_is_documented_with_urgency_and_action(protocol: Protocol) -> None:
    for subject in protocol.subjects:
        section = _section(subject)
        for outcome in subject.outcomes:
            assert outcome.urgency and outcome.action
            row = f"| `{outcome.id}` | {outcome.urgency.value} | {outcome.action.value}"
            assert row in section, f"{subject.id}.{outcome.id}: expected a row '{row} ...'"


@pytest.mark.parametrize(
    "name",
    [c.value for c in Condition]
    + [a.value for a in TriageAction]
    + list(REFERRAL_PARTY_LABELS)
    + SHIPPED_PROBLEM_CODES,
)
def test_conditions_actions_parties_and_problem_codes_are_documented(name: str) -> None:
    assert f"`{name}`" in DOC


def test_problem_codes_were_found() -> None:
    assert {"cycle", "no_way_out", "missing_urgency"} <= set(SHIPPED_PROBLEM_CODES)
