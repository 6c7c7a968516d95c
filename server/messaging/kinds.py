"""The kinds of message, who receives them and on which channels.

The two client kinds use the codes of `server.communication.notifications` (piket,
protocol_bevestiging), so a recorded client notification names its template directly.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    MELDING_ONTVANGEN = "melding_ontvangen"
    AFSPRAAK_INGEPLAND = "afspraak_ingepland"
    AFSPRAAK_GEWIJZIGD = "afspraak_gewijzigd"
    AFSPRAAK_GEANNULEERD = "afspraak_geannuleerd"
    MONTEUR_ONDERWEG = "monteur_onderweg"
    AFGEROND = "afgerond"
    PIKET = "piket"
    PROTOCOL_BEVESTIGING = "protocol_bevestiging"
    ENQUETE_GESPREK = "enquete_gesprek"
    TELEFONIE_RAPPORT = "telefonie_rapport"


class Channel(StrEnum):
    SMS = "sms"
    EMAIL = "email"
    PUSH = "push"


KIND_LABELS: dict[str, str] = {
    "melding_ontvangen": "Melding ontvangen",
    "afspraak_ingepland": "Afspraak ingepland",
    "afspraak_gewijzigd": "Afspraak gewijzigd",
    "afspraak_geannuleerd": "Afspraak geannuleerd",
    "monteur_onderweg": "Monteur onderweg",
    "afgerond": "Melding afgerond (met enquête)",
    "piket": "Acuut, bewoonbaarheid in gevaar (piket opdrachtgever)",
    "protocol_bevestiging": "Bevestiging protocolwijziging (opdrachtgever)",
    # A reply the desk wrote to a tenant's e-mail (server/contacts/mail_replies.py).
    "email_antwoord": "Antwoord op e-mail",
    "enquete_gesprek": "Enquête na een gesprek of e-mail met de meldkamer",
    "telefonie_rapport": "Maandelijks telefonierapport (opdrachtgever)",
    # Push notifications to technicians (server.domain.job_alerts), not tenant kinds.
    "opdracht_nieuw": "Nieuwe opdracht (pushbericht aan monteur)",
    "opdracht_gewijzigd": "Afspraak gewijzigd (pushbericht aan monteur)",
    "opdracht_ingetrokken": "Opdracht ingetrokken (pushbericht aan monteur)",
}

# How the timeline says a message's channel and status ("per e-mail …: niet verzonden").
CHANNEL_LABELS = {"sms": "sms", "email": "e-mail", "push": "pushbericht"}
STATUS_LABELS = {
    "wachtrij": "in de wachtrij",
    "verzonden": "verzonden",
    "afgeleverd": "afgeleverd",
    "mislukt": "mislukt",
    "niet_verzonden": "niet verzonden",
}

TO_CLIENT = frozenset({Kind.PIKET, Kind.PROTOCOL_BEVESTIGING, Kind.TELEFONIE_RAPPORT})
_TENANT = (Channel.SMS, Channel.EMAIL, Channel.PUSH)
CHANNELS: dict[Kind, tuple[Channel, ...]] = {
    **{kind: _TENANT for kind in Kind if kind not in TO_CLIENT},
    Kind.PIKET: (Channel.SMS, Channel.EMAIL),
    Kind.PROTOCOL_BEVESTIGING: (Channel.EMAIL,),
    # To the caller's own number or address, about a contact: no dossier, so no push.
    Kind.ENQUETE_GESPREK: (Channel.SMS, Channel.EMAIL),
    Kind.TELEFONIE_RAPPORT: (Channel.EMAIL,),
}
# The template files per channel; a client overrides one by its name, `kind/file`.
FILES: dict[Channel, tuple[str, ...]] = {
    Channel.SMS: ("sms.txt",),
    Channel.EMAIL: ("onderwerp.txt", "email.txt", "email.html"),
    Channel.PUSH: ("push_titel.txt", "push_tekst.txt"),
}


def template_names(kind: Kind) -> list[str]:
    """`melding_ontvangen/sms.txt`, … for every channel of the kind."""
    return [f"{kind}/{file}" for channel in CHANNELS[kind] for file in FILES[channel]]
