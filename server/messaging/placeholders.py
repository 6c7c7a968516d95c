"""Message texts without template syntax: "[naam huurder]" instead of `{{ naam }}`.

A client edits its texts with labelled fields in square brackets, offered as buttons; this
module turns a template into that form and back. Each field stands for one exact piece of
template (`[begin afspraak (dag)]` is `{{ van|datum }}`), so turning a text there and back
gives the same template. A template with anything else in it (a loop, blocks of the HTML
e-mail) has no such form: it is edited as it is. What comes back is checked as before
(`templates.validate_template`), so an unknown variable is still refused.
"""

from __future__ import annotations

import re
from dataclasses import MISSING, dataclass
from dataclasses import fields as dataclass_fields
from datetime import datetime

from server.domain import dutch
from server.messaging.kinds import Kind
from server.messaging.samples import SAMPLES
from server.messaging.templates import TemplateProblem

LABELS: dict[str, str] = {
    "opdrachtgever": "naam opdrachtgever",
    "ordernummer": "ordernummer",
    "volgen_url": "volglink",
    "naam": "naam huurder",
    "melding": "melding",
    "urgentie": "urgentie",
    "vervolg": "wat er nu gebeurt",
    "uiterlijk": "uiterlijk",
    "van": "begin afspraak",
    "tot": "eind afspraak",
    "oude_van": "oude afspraak",
    "reden": "reden",
    "monteur": "voornaam monteur",
    "eta": "verwachte aankomst",
    "enquete_url": "enquêtelink",
    "contactpersoon": "contactpersoon",
    "adres": "adres",
    "melder": "naam melder",
    "telefoon": "telefoon melder",
    "uitkomst": "uitkomst triage",
    "omschrijving": "omschrijving",
    "dossier_url": "link naar het dossier",
    "gemeld_op": "gemeld op",
    "versie": "protocolversie",
    "geldig_vanaf": "geldig vanaf",
    "gepubliceerd_door": "gepubliceerd door",
    "url": "link naar de wijziging",
}
# The date filters of the sandbox, in words.
DATE_FORMS = {"datum": "dag", "tijd": "tijd", "moment": "dag en tijd"}
# Pieces of the built-in texts that are more than a variable.
SPECIAL: dict[str, tuple[str, str]] = {
    'naam or "bewoner"': ("naam huurder, anders ‘bewoner’", "naam"),
    "melding|truncate(60)": ("melding, ingekort", "melding"),
}
END_IF = "einde als"
_TAG = re.compile(r"{{\s*(.*?)\s*}}|{%-?\s*(.*?)\s*-?%}", re.S)
_FIELD = re.compile(r"\[([^\[\]\n]+)\]")


@dataclass(frozen=True)
class Field:
    """A button under the text: its label (inserted as [label]), and what the preview puts
    there."""

    label: str
    code: str  # the template it stands for
    example: str

    @property
    def condition(self) -> bool:
        """[als … bekend] and [einde als]: a part shown only when something is known."""
        return self.code.startswith("{%")


def fields(kind: Kind) -> list[Field]:
    """The fields a text of this kind may use, in the order of the message's variables; then
    "[als … bekend]" for each that may be missing, and "[einde als]"."""
    message = SAMPLES[kind]
    context = message.context()
    found: list[Field] = []
    for name, value in context.items():
        label = LABELS.get(name, name.replace("_", " "))
        if isinstance(value, datetime):
            for code, words in DATE_FORMS.items():
                found.append(
                    Field(f"{label} ({words})", f"{{{{ {name}|{code} }}}}", _when(value, code))
                )
        elif isinstance(value, str | int):
            found.append(Field(label, f"{{{{ {name} }}}}", str(value)))
        for expression, (special, variable) in SPECIAL.items():
            if variable == name:
                found.append(Field(special, f"{{{{ {expression} }}}}", ""))
    optional = [f.name for f in dataclass_fields(message) if f.default is not MISSING]
    for name in optional:
        label = LABELS.get(name, name.replace("_", " "))
        found.append(Field(f"als {label} bekend", f"{{% if {name} %}}", ""))
    if optional:
        found.append(Field(END_IF, "{% endif %}", ""))
    return found


def _when(value: datetime, form: str) -> str:
    if form == "datum":
        return dutch.long_day(value)
    if form == "tijd":
        return dutch.clock(value)
    return f"{dutch.long_day(value)} om {dutch.clock(value)}"


def to_fields(source: str, kind: Kind) -> str | None:
    """`source` with every piece of template as its [field]; None when a piece has no field
    (or the text itself has square brackets): then it is edited as a template."""
    by_code = {_normal(f.code): f.label for f in fields(kind)}
    out: list[str] = []
    last = 0
    for match in _TAG.finditer(source):
        text = source[last : match.start()]
        if "[" in text or "]" in text:
            return None
        label = by_code.get(_normal(match.group(0)))
        if label is None:
            return None
        out.extend([text, f"[{label}]"])
        last = match.end()
    rest = source[last:]
    if "[" in rest or "]" in rest:
        return None
    return "".join([*out, rest])


def from_fields(text: str, kind: Kind) -> str:
    """The template a text with [fields] stands for; an unknown field is refused by name."""
    by_label = {f.label.lower(): f.code for f in fields(kind)}

    def code(match: re.Match[str]) -> str:
        label = " ".join(match.group(1).split()).lower()
        if label not in by_label:
            known = ", ".join(f"[{f.label}]" for f in fields(kind) if not f.code.startswith("{%"))
            raise TemplateProblem(
                f"Onbekend invulveld [{match.group(1)}]. Kies een invulveld met de knoppen onder "
                f"de tekst: {known}."
            )
        return by_label[label]

    return _FIELD.sub(code, text)


def _normal(tag: str) -> str:
    """A tag with its spacing made uniform: `{{van|datum}}` is `{{ van|datum }}`."""
    match = _TAG.fullmatch(tag.strip())
    if match is None:
        return tag
    if match.group(1) is not None:
        return "{{ " + " ".join(match.group(1).split()) + " }}"
    return "{% " + " ".join(match.group(2).split()) + " %}"
