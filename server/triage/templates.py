"""Description templates: `{question_id}` is the answer given, `{onderwerp}` the subject."""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def placeholders(template: str) -> list[str]:
    return PLACEHOLDER.findall(template)


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill in the placeholders; one without a value is left visible so the gap shows."""
    return PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), template)


def in_sentence(label: str) -> str:
    """An answer label as it reads mid-sentence: "Geen warm water" -> "geen warm water".

    Labels that start with an abbreviation ("VvE", "CV") keep their capitals.
    """
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label
