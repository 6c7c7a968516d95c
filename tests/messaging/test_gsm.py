"""SMS length by the GSM 03.38 rules."""

from __future__ import annotations

import pytest

from server.messaging import gsm


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("", 0),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # extension characters take two places
        ("€" * 81, 2),
        ("ë" * 70, 1),  # outside GSM: UCS-2
        ("ë" * 71, 2),
        ("ë" * 134, 2),
        ("ë" * 135, 3),
    ],
)
def test_parts(text: str, parts: int) -> None:
    assert gsm.parts(text) == parts


def test_dutch_is_gsm_after_folding() -> None:
    text = "Geïnformeerd: Daniëlle’s “reële” afspraak – om 08:00…"
    assert not gsm.is_gsm(text)
    folded = gsm.fold(text)
    assert gsm.is_gsm(folded)
    assert folded == 'Geinformeerd: Danielle\'s "reele" afspraak - om 08:00...'


def test_gsm_letters_stay() -> None:
    assert gsm.fold("café à Ünïcode") == "café à Ünicode"
    assert gsm.is_gsm("café à Ü")
    assert gsm.length("[€]") == 6
