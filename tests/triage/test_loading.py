"""Reading protocol files: errors name the path and the line; writing reads back the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.triage import (
    Protocol,
    ProtocolFormatError,
    default_protocol_text,
    dump_protocol,
    load_protocol,
    locate,
    protocol_to_dict,
)
from server.triage.model import Branch, Condition

SMALL = """\
version: 3
client: WSN
subjects:
  cv_storing:
    label: Cv-storing
    start: wat
    questions:
      wat:
        text: Wat doet het niet?
        options:
          - value: geen_warm_water
            label: Geen warm water
            next: acuut
          - value: geen_verwarming
            label: Geen verwarming
            next:
              when: winter
              then: acuut
              else: acuut
    outcomes:
      acuut:
        label: Acuut
        urgency: acuut
        action: spoedopdracht
        order_type: reparatieonderhoud
        trade: CVI
        labour_minutes: 0
"""


def _broken(old: str, new: str) -> str:
    assert old in SMALL
    return SMALL.replace(old, new, 1)


def _error(text: str) -> ProtocolFormatError:
    with pytest.raises(ProtocolFormatError) as caught:
        load_protocol(text)
    return caught.value


def test_load_small_protocol() -> None:
    protocol = load_protocol(SMALL)

    assert (protocol.client, protocol.version) == ("WSN", 3)
    subject = protocol.subjects[0]
    assert subject.start == "wat"
    question = subject.question("wat")
    assert question is not None
    assert question.options[1].next == Branch(Condition.WINTER, "acuut", "acuut")
    assert subject.outcomes[0].labour_minutes == 0


def test_unknown_key_names_path_and_line() -> None:
    error = _error(_broken("            next: acuut\n", "            nxt: acuut\n"))

    assert str(error) == (
        "regel 13, subjects.cv_storing.questions.wat.options[0].nxt: onbekend veld 'nxt' "
        "(toegestaan: value, label, next, endangers_habitability)"
    )
    assert (error.path, error.line) == ("subjects.cv_storing.questions.wat.options[0].nxt", 13)


def test_unknown_condition_in_a_branch() -> None:
    error = _error(_broken("when: winter", "when: herfst"))

    assert str(error) == (
        "regel 17, subjects.cv_storing.questions.wat.options[1].next.when: onbekende waarde "
        "'herfst' (kies uit: winter, zomer, kantoor_niet_binnen_24u_bereikbaar, buiten_kantoortijd)"
    )


def test_unknown_urgency() -> None:
    error = _error(_broken("urgency: acuut", "urgency: spoed"))

    assert str(error) == (
        "regel 23, subjects.cv_storing.outcomes.acuut.urgency: onbekende waarde 'spoed' "
        "(kies uit: acuut, urgent, niet_urgent)"
    )


def test_yes_no_words_become_booleans_in_yaml_and_the_error_says_so() -> None:
    error = _error(_broken("value: geen_warm_water", "value: no"))

    assert str(error) == (
        "regel 11, subjects.cv_storing.questions.wat.options[0].value: verwacht een id, niet de "
        "ja/nee-waarde false (zet tekst tussen aanhalingstekens)"
    )


def test_missing_required_field_points_at_its_mapping() -> None:
    error = _error(_broken("        text: Wat doet het niet?\n", ""))

    assert (
        str(error) == "regel 9, subjects.cv_storing.questions.wat: verplicht veld 'text' ontbreekt"
    )


def test_duplicate_question_id_is_an_error_not_silently_dropped() -> None:
    text = _broken("    outcomes:\n", "      wat:\n        text: Nog eens?\n    outcomes:\n")

    error = _error(text)

    assert str(error) == "regel 20, subjects.cv_storing.questions.wat: dubbele sleutel 'wat'"


def test_yaml_syntax_error_gives_the_line() -> None:
    error = _error(_broken("        label: Acuut\n", "        label: [Acuut\n"))

    assert error.line == 23
    assert str(error).startswith("regel 23: ongeldige YAML: ")


def test_negative_labour_minutes() -> None:
    error = _error(_broken("labour_minutes: 0", "labour_minutes: -5"))

    assert str(error) == (
        "regel 27, subjects.cv_storing.outcomes.acuut.labour_minutes: verwacht een geheel getal "
        "van minstens 0, niet -5"
    )


def test_bad_id() -> None:
    error = _error(_broken("value: geen_warm_water", "value: Geen-Warm-Water"))

    assert str(error) == (
        "regel 11, subjects.cv_storing.questions.wat.options[0].value: ongeldige id "
        "'Geen-Warm-Water': alleen kleine letters, cijfers en _, beginnend met een letter"
    )


def test_empty_document() -> None:
    assert str(_error("")) == "verwacht een mapping (sleutel: waarde), niet niets"


def test_errors_from_parsed_data_have_a_path_but_no_line() -> None:
    data = protocol_to_dict(load_protocol(SMALL))
    data["subjects"]["cv_storing"]["label"] = 12

    with pytest.raises(ProtocolFormatError) as caught:
        load_protocol(data)

    assert str(caught.value) == "subjects.cv_storing.label: verwacht tekst, niet 12"
    assert caught.value.line is None


def test_json_text_loads_like_yaml() -> None:
    data = protocol_to_dict(load_protocol(SMALL))

    assert load_protocol(json.dumps(data, indent=2)) == load_protocol(SMALL)


def test_json_indented_with_tabs(protocol: Protocol) -> None:
    text = json.dumps(protocol_to_dict(protocol), indent="\t")

    assert load_protocol(text) == protocol


def test_json_error_names_the_line() -> None:
    data = protocol_to_dict(load_protocol(SMALL))
    data["subjects"]["cv_storing"]["outcomes"]["acuut"]["action"] = "bellen"
    text = json.dumps(data, indent=2)

    error = _error(text)

    line = next(i for i, row in enumerate(text.splitlines(), 1) if '"bellen"' in row)
    assert error.line == line
    assert error.path == "subjects.cv_storing.outcomes.acuut.action"


def test_round_trip_of_every_shipped_protocol(shipped: Path) -> None:
    protocol = load_protocol(shipped.read_text(encoding="utf-8"))

    text = dump_protocol(protocol)

    assert load_protocol(text) == protocol
    assert dump_protocol(load_protocol(text)) == text


def test_locate_finds_the_line_of_a_path() -> None:
    loc = ("subjects", "cv_storing", "questions", "wat", "options", 1, "next", "else")

    assert locate(SMALL, loc) == 19
    assert locate("not: [valid", loc) is None


def test_default_protocol_text_is_the_shipped_file(protocol: Protocol) -> None:
    assert load_protocol(default_protocol_text()) == protocol


def test_tenant_advice_is_read_and_must_be_text() -> None:
    advice = "labour_minutes: 0\n        tenant_advice: Draai de hoofdkraan dicht."
    loaded = load_protocol(_broken("labour_minutes: 0", advice))
    assert loaded.subjects[0].outcomes[0].tenant_advice == "Draai de hoofdkraan dicht."
    assert load_protocol(SMALL).subjects[0].outcomes[0].tenant_advice == ""
    error = _error(_broken("labour_minutes: 0", "labour_minutes: 0\n        tenant_advice: [a]"))
    assert "subjects.cv_storing.outcomes.acuut.tenant_advice" in str(error)
