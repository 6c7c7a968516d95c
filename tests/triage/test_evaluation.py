"""Evaluating a subject: next question, outcome, path, bad input."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from server.triage import (
    AnswerStep,
    ClientCalendar,
    ConditionStep,
    Protocol,
    ProtocolError,
    TriageError,
    evaluate,
    evaluation_to_dict,
    load_protocol,
)
from server.triage.model import Condition

from .moments import local

SATURDAY = local(2026, 4, 4, 12)
TUESDAY = local(2026, 1, 13, 10)


def test_no_answers_asks_the_first_question(protocol: Protocol, calendar: ClientCalendar) -> None:
    evaluation = evaluate(protocol, "cv_storing", {}, TUESDAY, calendar)

    assert not evaluation.complete
    question = evaluation.next_question
    assert question is not None
    assert question.id == "bewoonbaarheid"
    assert [option.value for option in question.options] == ["ja", "nee"]
    assert evaluation.path == ()


def test_partial_answers_ask_the_next_question(
    protocol: Protocol, calendar: ClientCalendar
) -> None:
    answers = {"bewoonbaarheid": "nee", "waterdruk": "in_orde"}

    evaluation = evaluate(protocol, "cv_storing", answers, TUESDAY, calendar)

    assert evaluation.next_question is not None
    assert evaluation.next_question.id == "wat"
    assert [step.question_id for step in evaluation.answers] == ["bewoonbaarheid", "waterdruk"]


def test_path_records_answers_and_conditions(protocol: Protocol, calendar: ClientCalendar) -> None:
    answers = {"bewoonbaarheid": "nee", "gevolgschade": "beperkt", "afdekken": "nee"}

    evaluation = evaluate(protocol, "lekkage_woning", answers, SATURDAY, calendar)

    assert evaluation.path[2] == AnswerStep(
        "afdekken",
        "Kan de huurder de lekkage beperken door af te dekken of op te vangen?",
        "nee",
        "Nee",
    )
    assert evaluation.path[3] == ConditionStep(
        Condition.KANTOOR_NIET_BINNEN_24U_BEREIKBAAR,
        True,
        "kantoor niet binnen 24 uur bereikbaar: ja (zaterdag 4 april 12:00, volgende opening "
        "dinsdag 7 april 08:00; feestdag: Eerste paasdag, Tweede paasdag)",
    )
    assert evaluation.outcome is not None
    assert evaluation.outcome.id == "lekkage_woning_urgent"
    assert evaluation.deadline == local(2026, 4, 5, 12)
    assert (evaluation.protocol_client, evaluation.protocol_version) == (None, 1)


def test_unknown_subject(protocol: Protocol, calendar: ClientCalendar) -> None:
    with pytest.raises(TriageError) as caught:
        evaluate(protocol, "schimmel", {}, TUESDAY, calendar)

    assert caught.value.field == "subject"
    assert caught.value.message.startswith("onbekend onderwerp 'schimmel' (bekend: cv_storing, ")


def test_unknown_question(protocol: Protocol, calendar: ClientCalendar) -> None:
    with pytest.raises(TriageError) as caught:
        evaluate(protocol, "cv_storing", {"kleur": "rood"}, TUESDAY, calendar)

    assert (caught.value.message, caught.value.field) == (
        "onbekende vraag 'kleur' bij onderwerp 'cv_storing'",
        "answers.kleur",
    )


def test_answer_that_is_not_an_option(protocol: Protocol, calendar: ClientCalendar) -> None:
    answers = {"bewoonbaarheid": "nee", "waterdruk": "in_orde", "wat": "misschien"}

    with pytest.raises(TriageError) as caught:
        evaluate(protocol, "cv_storing", answers, TUESDAY, calendar)

    assert (caught.value.message, caught.value.field) == (
        "antwoord 'misschien' past niet bij vraag 'wat' "
        "(kies uit: geen_warm_water, geen_verwarming, geen_warm_water_en_verwarming)",
        "answers.wat",
    )


def test_an_off_path_answer_is_still_checked(protocol: Protocol, calendar: ClientCalendar) -> None:
    with pytest.raises(TriageError, match="antwoord 'ja!' past niet bij vraag 'medische_noodzaak'"):
        evaluate(protocol, "cv_storing", {"medische_noodzaak": "ja!"}, TUESDAY, calendar)


def test_a_time_without_zone(protocol: Protocol, calendar: ClientCalendar) -> None:
    with pytest.raises(TriageError) as caught:
        evaluate(protocol, "brand", {}, datetime(2026, 1, 13, 10), calendar)

    assert (caught.value.message, caught.value.field) == (
        "tijdstip 2026-01-13T10:00:00 heeft geen tijdzone",
        "at",
    )


def test_answers_off_the_path_are_ignored_and_recorded(
    protocol: Protocol, calendar: ClientCalendar
) -> None:
    # The agent first said "beperkt" and "nee", then went back and chose "zeer_groot".
    answers = {"bewoonbaarheid": "nee", "gevolgschade": "zeer_groot", "afdekken": "nee"}

    evaluation = evaluate(protocol, "lekkage_woning", answers, SATURDAY, calendar)

    assert evaluation.outcome is not None
    assert evaluation.outcome.id == "lekkage_woning_acuut"
    assert evaluation.ignored_answers == ("afdekken",)
    assert evaluation.notes == (
        "antwoord op 'afdekken' telt niet mee: die vraag ligt niet op deze weg",
    )
    assert evaluation.conditions == ()


HABITABILITY_GAP = """\
version: 1
subjects:
  s:
    label: Onderwerp
    start: q
    questions:
      q:
        text: Bewoonbaarheid in gevaar?
        options:
          - value: ja
            label: Ja
            endangers_habitability: true
            next: later
          - value: nee
            label: Nee
            next: later
    outcomes:
      later:
        label: Later
        urgency: niet_urgent
        action: huurder_belt_kantoor
        order_type: reparatieonderhoud
        trade: OVE
        labour_minutes: 30
"""


def test_habitability_forces_acuut_even_in_an_unchecked_protocol(
    calendar: ClientCalendar,
) -> None:
    protocol = load_protocol(HABITABILITY_GAP)

    evaluation = evaluate(protocol, "s", {"q": "ja"}, TUESDAY, calendar)

    outcome = evaluation.outcome
    assert outcome is not None
    assert (outcome.urgency, outcome.action, outcome.inform_client) == (
        "acuut",
        "spoedopdracht",
        True,
    )
    assert evaluation.habitability_in_danger
    assert evaluation.notes == (
        "bewoonbaarheid in gevaar: uitkomst acuut gemaakt, opdrachtgever informeren",
    )
    not_flagged = evaluate(protocol, "s", {"q": "nee"}, TUESDAY, calendar)
    assert not_flagged.outcome is not None
    assert not_flagged.outcome.urgency == "niet_urgent"


def test_an_incomplete_protocol_raises_protocol_error(calendar: ClientCalendar) -> None:
    protocol = load_protocol(HABITABILITY_GAP.replace("            next: later\n", "", 1))

    with pytest.raises(ProtocolError, match="geen vervolg na q=ja in onderwerp 's'"):
        evaluate(protocol, "s", {"q": "ja"}, TUESDAY, calendar)


def test_a_condition_is_evaluated_once_per_call(calendar: ClientCalendar) -> None:
    text = HABITABILITY_GAP.replace(
        "            next: later\n          - value: nee",
        "            next: {when: winter, then: q2, else: later}\n          - value: nee",
    ).replace(
        "    outcomes:",
        "      q2:\n        text: Nog een?\n        options:\n"
        "          - {value: ok, label: Ok, next: {when: winter, then: later, else: q}}\n"
        "    outcomes:",
    )
    protocol = load_protocol(text)

    evaluation = evaluate(protocol, "s", {"q": "ja", "q2": "ok"}, TUESDAY, calendar)

    assert [step.value for step in evaluation.conditions] == [True, True]
    assert evaluation.outcome is not None


def test_deadline_counts_elapsed_hours_across_daylight_saving(
    protocol: Protocol, calendar: ClientCalendar
) -> None:
    answers = {"bewoonbaarheid": "nee", "lekkage": "gesprongen", "afsluitbaar": "ja"}
    # Saturday 28 March 2026 20:00 CET; the clocks go forward that night.
    evaluation = evaluate(
        protocol, "lekkage_waterleiding", answers, local(2026, 3, 28, 20), calendar
    )

    assert evaluation.deadline is not None
    assert evaluation.deadline.isoformat() == "2026-03-29T21:00:00+02:00"


def test_escalation_deadline(protocol: Protocol, calendar: ClientCalendar) -> None:
    answers = {"bewoonbaarheid": "nee", "soort": "afhandeling"}

    evaluation = evaluate(protocol, "monitoring", answers, TUESDAY, calendar)

    assert evaluation.outcome is not None
    assert evaluation.outcome.escalation is not None
    assert evaluation.outcome.escalation.role == "projectleider"
    assert evaluation.deadline == local(2026, 1, 14, 10)


def test_evaluation_as_json(protocol: Protocol, calendar: ClientCalendar) -> None:
    answers = {"oorzaak": "verwijtbaar"}
    evaluation = evaluate(protocol, "buitensluiting", answers, SATURDAY, calendar)

    data = json.loads(json.dumps(evaluation_to_dict(evaluation)))

    assert data["complete"] is True
    assert data["outcome"]["id"] == "buitensluiting_verwijtbaar_avond"
    assert data["outcome"]["order_type"] == "rekening_huurder"
    assert data["outcome"]["urgency_label"] == "Acuut"
    assert data["description"] == (
        "Buitensluiting buiten kantoortijd: sleutels vergeten, verloren of binnen gelaten "
        "(verwijtbaar)."
    )
    assert [step["kind"] for step in data["path"]] == ["answer", "condition"]
    assert data["path"][1]["explanation"] == (
        "buiten kantoortijd: ja (zaterdag 4 april 12:00, kantoor gesloten)"
    )
    assert data["at"] == "2026-04-04T12:00:00+02:00"


def test_next_question_as_json(protocol: Protocol, calendar: ClientCalendar) -> None:
    data = evaluation_to_dict(evaluate(protocol, "gaslek", {}, TUESDAY, calendar))

    assert data["complete"] is False
    assert data["outcome"] is None
    assert data["next_question"]["id"] == "waar"
    assert data["next_question"]["options"][0] == {"value": "woning", "label": "In de woning"}
