"""The greeting the agent reads when taking a call in a client's name."""

from __future__ import annotations

import re
from datetime import datetime

from server.domain.errors import Unprocessable

DEFAULT = "{dagdeel}, {opdrachtgever}, u spreekt met {medewerker}. Waarmee kan ik u helpen?"
PLACEHOLDERS = ("dagdeel", "opdrachtgever", "medewerker")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
MAX_LENGTH = 500


def daypart(local: datetime) -> str:
    if 6 <= local.hour < 12:
        return "Goedemorgen"
    if 12 <= local.hour < 18:
        return "Goedemiddag"
    if local.hour >= 18:
        return "Goedenavond"
    return "Goedenacht"


def checked(template: str, field: str = "greeting") -> str:
    template = " ".join(template.split())
    if len(template) > MAX_LENGTH:
        raise Unprocessable(f"De begroeting is langer dan {MAX_LENGTH} tekens.", field)
    for name in _PLACEHOLDER.findall(template):
        if name not in PLACEHOLDERS:
            raise Unprocessable(
                f"Onbekend veld {{{name}}} in de begroeting; mogelijk zijn "
                + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
                + ".",
                field,
            )
    return template


def render(template: str, client: str, agent: str, local: datetime) -> str:
    """The greeting for this call; the agent by first name, as said on the phone."""
    values = {
        "dagdeel": daypart(local),
        "opdrachtgever": client,
        "medewerker": agent.split()[0] if agent.split() else agent,
    }
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template or DEFAULT)
