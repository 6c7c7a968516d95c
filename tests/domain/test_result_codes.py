"""Result codes: the default list, a client's own, and mistakes named."""

from __future__ import annotations

from datetime import datetime

import pytest

from server.domain import greeting, result_codes
from server.domain.errors import Unprocessable


def test_default_list_follows_the_seed() -> None:
    assert [c.label for c in result_codes.DEFAULT] == [
        "Leidt tot opdracht",
        "Op afstand opgelost",
        "Doorverwezen naar partij (VvE, huismeester, lift, monitoring)",
        "Algemene vraag beantwoord",
        "Doorverbonden met opdrachtgever",
        "Geen actie / verkeerd verbonden",
        "Herhaalmelding",
    ]
    assert result_codes.from_settings(None) == result_codes.DEFAULT
    assert {c.code for c in result_codes.DEFAULT if c.dossier} == {"opdracht", "herhaalmelding"}


def test_a_clients_list_round_trips_through_the_page_text() -> None:
    text = "opdracht | Leidt tot opdracht | dossier\nklacht | Klacht doorgezet naar corporatie\n"
    codes = result_codes.parse_lines(text)
    assert [c.as_json() for c in codes] == [
        {"code": "opdracht", "label": "Leidt tot opdracht", "dossier": True},
        {"code": "klacht", "label": "Klacht doorgezet naar corporatie", "dossier": False},
    ]
    assert result_codes.parse_lines(result_codes.as_lines(codes)) == codes
    assert result_codes.from_settings([c.as_json() for c in codes]) == tuple(codes)


NEEDED = (
    "Resultaatcode 'opdracht' is nodig: een dossier dat de meldkamer maakt, geeft zijn contact "
    "die code."
)
INVALID = (
    "Resultaatcode 'Op Dracht' is ongeldig: kleine letters, cijfers en _, 2 tot 40 tekens, "
    "beginnend met een letter."
)


@pytest.mark.parametrize(
    ("items", "message", "field"),
    [
        (
            [{"code": "klacht", "label": "Klacht"}],
            NEEDED,
            "result_codes",
        ),
        (
            [{"code": "Op Dracht", "label": "x"}],
            INVALID,
            "result_codes[0].code",
        ),
        (
            [{"code": "opdracht", "label": ""}],
            "Resultaatcode 'opdracht' heeft een omschrijving van 1 tot 200 tekens nodig.",
            "result_codes[0].label",
        ),
        (
            [{"code": "opdracht", "label": "a"}, {"code": "opdracht", "label": "b"}],
            "Resultaatcode 'opdracht' staat er twee keer in.",
            "result_codes[1].code",
        ),
    ],
)
def test_mistakes_name_the_item(items: list[dict[str, str]], message: str, field: str) -> None:
    with pytest.raises(Unprocessable) as caught:
        result_codes.checked(items)
    assert (caught.value.message, caught.value.field) == (message, field)


def test_greeting_by_time_of_day_and_placeholders_checked() -> None:
    morning = datetime(2026, 11, 17, 9, 5)
    said = greeting.render(greeting.DEFAULT, "Woonstad Utrecht", "Anna Visser", morning)
    assert said == "Goedemorgen, Woonstad Utrecht, u spreekt met Anna. Waarmee kan ik u helpen?"
    assert greeting.daypart(datetime(2026, 11, 17, 2, 0)) == "Goedenacht"
    assert greeting.daypart(datetime(2026, 11, 17, 19, 0)) == "Goedenavond"
    with pytest.raises(Unprocessable) as caught:
        greeting.checked("Hallo {naam}")
    assert caught.value.message == (
        "Onbekend veld {naam} in de begroeting; mogelijk zijn {dagdeel}, {opdrachtgever}, "
        "{medewerker}."
    )
