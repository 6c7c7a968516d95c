"""What a tenant is told about a dossier, in plain words: next steps and where things stand.

Plain Python: the tracking page and the messages use these texts; no names of staff, no
internal codes. The texts are Dutch, marked for the message catalogues (server/i18n) and
translated when looked up, in the language being rendered.
"""

from __future__ import annotations

from server.i18n import N_, gettext

NEXT_STEP: dict[str, str] = {
    "spoedopdracht": N_("Er komt zo snel mogelijk een monteur naar u toe."),
    "opdracht_24u": N_("Een monteur komt binnen 24 uur; u hoort wanneer."),
    "huurder_belt_kantoor": N_("Neem op de eerstvolgende werkdag contact op met {client}."),
    "doorverwijzen": N_("Uw melding is doorgegeven aan de partij die hierover gaat."),
    "op_afstand_oplossen": N_("We helpen u telefonisch of per e-mail verder."),
    "escaleren": N_("{client} is op de hoogte gebracht en neemt de melding over."),
}
_DEFAULT_STEP = N_("We nemen contact met u op over het vervolg.")

STATUS: dict[str, str] = {
    "nieuw": N_("Uw melding is ontvangen."),
    "analyseren": N_("We bekijken uw melding."),
    "contact_opnemen": N_("We nemen contact met u op."),
    "doorgezet_naar_monteur": N_("Uw melding is doorgegeven aan een monteur; u hoort wanneer."),
    "afspraak_ingepland": N_("Er is een afspraak met de monteur."),
    "in_uitvoering": N_("De monteur is met de reparatie bezig."),
    "afgerond": N_("De reparatie is afgerond."),
    "gearchiveerd": N_("Uw melding is afgehandeld."),
    "op_afstand_opgelost": N_("Uw melding is opgelost."),
    "doorverwezen": N_("Uw melding is doorgegeven aan de partij die hierover gaat."),
    "geannuleerd": N_("Uw melding is geannuleerd."),
}

# Phases in which the survey makes sense: the work was done, by a visit or remotely.
SURVEY_PHASES = frozenset({"afgerond", "op_afstand_opgelost", "gearchiveerd"})


def next_step(action: str | None, client_name: str) -> str:
    return gettext(NEXT_STEP.get(action or "", _DEFAULT_STEP)).format(client=client_name)


def status_text(phase: str) -> str:
    return gettext(STATUS.get(phase, N_("Uw melding is in behandeling.")))


def first_name(full_name: str) -> str:
    """Only the first name of a technician is shown to a tenant."""
    parts = full_name.split()
    return parts[0] if parts else ""
