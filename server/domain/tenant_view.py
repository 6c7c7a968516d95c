"""What a tenant is told about a dossier, in plain Dutch: next steps and where things stand.

Plain Python: the tracking page and the messages use these texts; no names of staff, no
internal codes.
"""

from __future__ import annotations

NEXT_STEP: dict[str, str] = {
    "spoedopdracht": "Er komt zo snel mogelijk een monteur naar u toe.",
    "opdracht_24u": "Een monteur komt binnen 24 uur; u hoort wanneer.",
    "huurder_belt_kantoor": "Neem op de eerstvolgende werkdag contact op met {client}.",
    "doorverwijzen": "Uw melding is doorgegeven aan de partij die hierover gaat.",
    "op_afstand_oplossen": "We helpen u telefonisch of per e-mail verder.",
    "escaleren": "{client} is op de hoogte gebracht en neemt de melding over.",
}
_DEFAULT_STEP = "We nemen contact met u op over het vervolg."

STATUS: dict[str, str] = {
    "nieuw": "Uw melding is ontvangen.",
    "analyseren": "We bekijken uw melding.",
    "contact_opnemen": "We nemen contact met u op.",
    "doorgezet_naar_monteur": "Uw melding is doorgegeven aan een monteur; u hoort wanneer.",
    "afspraak_ingepland": "Er is een afspraak met de monteur.",
    "in_uitvoering": "De monteur is met de reparatie bezig.",
    "afgerond": "De reparatie is afgerond.",
    "gearchiveerd": "Uw melding is afgehandeld.",
    "op_afstand_opgelost": "Uw melding is opgelost.",
    "doorverwezen": "Uw melding is doorgegeven aan de partij die hierover gaat.",
    "geannuleerd": "Uw melding is geannuleerd.",
}

# Phases in which the survey makes sense: the work was done, by a visit or remotely.
SURVEY_PHASES = frozenset({"afgerond", "op_afstand_opgelost", "gearchiveerd"})


def next_step(action: str | None, client_name: str) -> str:
    return NEXT_STEP.get(action or "", _DEFAULT_STEP).format(client=client_name)


def status_text(phase: str) -> str:
    return STATUS.get(phase, "Uw melding is in behandeling.")


def first_name(full_name: str) -> str:
    """Only the first name of a technician is shown to a tenant."""
    parts = full_name.split()
    return parts[0] if parts else ""
