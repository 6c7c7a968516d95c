"""The uniform description and the summary read back to the caller."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from server.domain.codes import TRADE_LABELS, TriageAction
from server.triage import (
    ClientCalendar,
    Evaluation,
    Protocol,
    TriageError,
    evaluate,
    read_back,
    render_description,
)
from server.triage.paths import complete_evaluations
from server.triage.wording import WORKERS

from .moments import local

SATURDAY = local(2026, 4, 4, 12)
TUESDAY = local(2026, 1, 13, 10)
NO = {"bewoonbaarheid": "nee"}


def _evaluate(
    protocol: Protocol,
    calendar: ClientCalendar,
    subject: str,
    answers: dict[str, str],
    at: datetime = TUESDAY,
) -> Evaluation:
    return evaluate(protocol, subject, answers, at, calendar)


def test_description_fills_in_answer_labels(protocol: Protocol, calendar: ClientCalendar) -> None:
    answers = {**NO, "waterdruk": "in_orde", "wat": "geen_warm_water", "medische_noodzaak": "ja"}
    evaluation = _evaluate(protocol, calendar, "cv_storing", answers)

    assert render_description(evaluation) == "Cv-storing: geen warm water; medische noodzaak."
    assert render_description(evaluation, " bewoner met thuiszorg ") == (
        "Cv-storing: geen warm water; medische noodzaak. Toelichting: bewoner met thuiszorg"
    )


def test_read_back_of_a_spoedopdracht(protocol: Protocol, calendar: ClientCalendar) -> None:
    evaluation = _evaluate(protocol, calendar, "gaslek", {"waar": "woning"})

    text = read_back(evaluation, calendar, client_name="Woonstad")

    assert text.startswith("Wij sturen direct een cv-monteur naar u toe")
    assert "0800-9009" in text
    assert "Aan de reparatie zijn voor u geen kosten verbonden." in text
    assert text.endswith("Wij informeren Woonstad hier direct over.")


def test_read_back_of_an_order_within_24_hours(
    protocol: Protocol, calendar: ClientCalendar
) -> None:
    answers = {**NO, "lekkage": "gesprongen", "afsluitbaar": "ja"}
    evaluation = _evaluate(protocol, calendar, "lekkage_waterleiding", answers, SATURDAY)

    assert read_back(evaluation, calendar) == (
        "Wij geven een loodgieter opdracht om dit binnen 24 uur te verhelpen, uiterlijk "
        "zondag 5 april 12:00. U wordt gebeld voor een afspraak. Houd de hoofdkraan of "
        "stopkraan dicht tot de loodgieter er is. Aan de reparatie zijn voor u geen kosten "
        "verbonden."
    )


def test_read_back_when_the_tenant_calls_the_office(
    protocol: Protocol, calendar: ClientCalendar
) -> None:
    answers = {**NO, "gevaar": "nee", "soort": "zonneboiler"}
    saturday = _evaluate(protocol, calendar, "boiler", answers, SATURDAY)
    tuesday = _evaluate(protocol, calendar, "boiler", answers, TUESDAY)

    assert read_back(saturday, calendar, client_name="Woonstad").startswith(
        "Dit is geen spoedeisende melding; wij geven geen opdracht. Wilt u zelf op de "
        "eerstvolgende werkdag contact opnemen met Woonstad, vanaf dinsdag 7 april 08:00? "
        "Een storing aan een zonneboiler is nooit urgent."
    )
    assert "Het kantoor is vandaag open tot 17:00." in read_back(tuesday, calendar)


def test_read_back_of_a_lockout_names_the_costs(
    protocol: Protocol, calendar: ClientCalendar
) -> None:
    evaluation = _evaluate(
        protocol, calendar, "buitensluiting", {"oorzaak": "verwijtbaar"}, SATURDAY
    )

    text = read_back(evaluation, calendar)

    assert "de kosten in de avond en het weekend zijn voor uw eigen rekening" in text
    assert text.endswith("Let op: de kosten van deze opdracht zijn voor uw eigen rekening.")


def test_read_back_of_a_referral(protocol: Protocol, calendar: ClientCalendar) -> None:
    evaluation = _evaluate(
        protocol, calendar, "lift", {"opgesloten": "nee", **NO, "buiten_werking": "ja"}
    )

    assert read_back(evaluation, calendar) == (
        "Voor deze melding verwijzen wij u door naar de liftleverancier."
    )
    assert read_back(evaluation, calendar, party_name="Kone Liften, 088-1234567") == (
        "Voor deze melding verwijzen wij u door naar Kone Liften, 088-1234567."
    )


def test_read_back_of_remote_solving(protocol: Protocol, calendar: ClientCalendar) -> None:
    evaluation = _evaluate(protocol, calendar, "cv_storing", {**NO, "waterdruk": "onder_1_bar"})

    text = read_back(evaluation, calendar)

    assert text.startswith("Dit kunt u waarschijnlijk zelf verhelpen. Zet de ketel uit")
    assert "kosten" not in text


def test_read_back_of_an_escalation(protocol: Protocol, calendar: ClientCalendar) -> None:
    evaluation = _evaluate(protocol, calendar, "monitoring", {**NO, "soort": "afhandeling"})

    assert read_back(evaluation, calendar, client_name="Woonstad").startswith(
        "Wij zetten uw melding door naar de projectleider van Woonstad. Die neemt uiterlijk "
        "woensdag 14 januari 10:00 contact met u op."
    )


def test_texts_need_a_complete_evaluation(protocol: Protocol, calendar: ClientCalendar) -> None:
    evaluation = _evaluate(protocol, calendar, "cv_storing", NO)

    with pytest.raises(TriageError, match="de triage is nog niet klaar: vraag 'waterdruk' is open"):
        read_back(evaluation, calendar)
    with pytest.raises(TriageError):
        render_description(evaluation)


def test_an_acute_calamity_overig_sends_a_person_not_a_trade(
    protocol: Protocol, calendar: ClientCalendar
) -> None:
    evaluation = _evaluate(protocol, calendar, "calamiteit_overig", {"bewoonbaarheid": "ja"})

    text = read_back(evaluation, calendar)

    assert text.startswith("Wij sturen direct een monteur naar u toe; die komt zo snel mogelijk.")
    assert "een overig" not in text


ORDERS = (TriageAction.SPOEDOPDRACHT, TriageAction.OPDRACHT_24U)


def test_every_order_of_the_default_protocol_names_who_comes(
    protocol: Protocol, calendar: ClientCalendar
) -> None:
    """Every trade an order of the default protocol goes to reads as a person in the sentence
    the agent reads out, on every path at a weekday and a weekend moment."""
    trades_seen = set()
    for subject in protocol.subjects:
        for at in (TUESDAY, SATURDAY):
            for _, evaluation in complete_evaluations(protocol, subject.id, at, calendar):
                outcome = evaluation.outcome
                assert outcome is not None
                if outcome.action not in ORDERS:
                    continue
                trades_seen.add(outcome.trade)
                first = read_back(evaluation, calendar).split(";")[0].split(" opdracht ")[0]
                who = WORKERS[outcome.trade or ""]
                assert first in (
                    f"Wij sturen direct een {who} naar u toe",
                    f"Wij geven een {who}",
                ), (subject.id, outcome.id, first)
    assert trades_seen == {"CVI", "LOO", "ELE", "TIM", "GLA", "DAK", "OVE"}


@pytest.mark.parametrize("trade", [*TRADE_LABELS, "XYZ", None])
def test_every_trade_code_has_a_person_to_send(
    protocol: Protocol, calendar: ClientCalendar, trade: str | None
) -> None:
    """Also trades the default protocol does not use, and a client's own code: "monteur"."""
    evaluation = _evaluate(protocol, calendar, "calamiteit_overig", {"bewoonbaarheid": "ja"})
    assert evaluation.outcome is not None
    changed = replace(evaluation, outcome=replace(evaluation.outcome, trade=trade))

    text = read_back(changed, calendar)

    who = WORKERS.get(trade or "", "monteur")
    assert text.startswith(f"Wij sturen direct een {who} naar u toe;")
    assert who not in ("overig", "alarminstallaties")
