"""SMS length: the GSM 03.38 alphabet, and how many parts a text needs.

A text in the GSM alphabet fits 160 characters in one SMS and 153 per part when it is split
(the rest of each part holds the header that joins them again); characters of the extension
table (€, [, ], …) take two places. Anything else makes the whole text UCS-2: 70 characters,
67 per part. Dutch texts are GSM except for a few letters (ë, ï) and typographic quotes, which
`fold` replaces so one stray character does not halve the room.
"""

from __future__ import annotations

import math

BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = frozenset("\f^{}\\[~]|€")

# Letters and signs outside the GSM alphabet with a plain equivalent that reads the same.
_FOLD = str.maketrans(
    {
        "ë": "e",
        "ï": "i",
        "ê": "e",
        "ô": "o",
        "û": "u",
        "â": "a",
        "î": "i",
        "á": "a",
        "í": "i",
        "ó": "o",
        "ú": "u",
        "ç": "c",
        "Ë": "E",
        "Ï": "I",
        "È": "E",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)


def fold(text: str) -> str:
    """Replace characters that would force UCS-2 by their nearest GSM equivalent."""
    return text.translate(_FOLD)


def is_gsm(text: str) -> bool:
    return all(char in BASIC or char in EXTENSION for char in text)


def length(text: str) -> int:
    """Places the text takes: GSM septets, or UTF-16 code units for UCS-2."""
    if is_gsm(text):
        return sum(2 if char in EXTENSION else 1 for char in text)
    return len(text.encode("utf-16-le")) // 2


def parts(text: str) -> int:
    """How many SMS parts the text is sent in (0 for an empty text)."""
    size = length(text)
    single, per_part = (160, 153) if is_gsm(text) else (70, 67)
    if size <= single:
        return 1 if size else 0
    return math.ceil(size / per_part)
