"""The kinds of message, who receives them and on which channels.

The client kinds use the codes of `server.communication.notifications` (piket,
protocol_bevestiging, escalatie), so a recorded client notification names its template
directly.
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
    RAPPORTAGE = "rapportage"
    ESCALATIE = "escalatie"
    VERIFICATIECODE = "verificatiecode"


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
    "rapportage": "Week- en maandrapportage (opdrachtgever)",
    "escalatie": "Escalatie naar de projectleider (opdrachtgever)",
    "verificatiecode": "Code bij online melden",
    # Push notifications to technicians (server.domain.job_alerts), not tenant kinds.
    "opdracht_nieuw": "Nieuwe opdracht (pushbericht aan monteur)",
    "opdracht_gewijzigd": "Afspraak gewijzigd (pushbericht aan monteur)",
    "opdracht_ingetrokken": "Opdracht ingetrokken (pushbericht aan monteur)",
}

# What each message is for, as the client reads it on /sjablonen: when it goes, and to whom.
PURPOSES: dict[str, str] = {
    "melding_ontvangen": "Gaat naar de huurder zodra de triage is vastgelegd: wat er gemeld is, "
    "hoe urgent het is en wat er nu gebeurt.",
    "afspraak_ingepland": "Gaat naar de huurder zodra de meldkamer een afspraak met een monteur "
    "heeft ingepland, met de dag en de tijden.",
    "afspraak_gewijzigd": "Gaat naar de huurder als de afspraak naar een andere tijd is verzet.",
    "afspraak_geannuleerd": "Gaat naar de huurder als de afspraak vervalt, met de reden als de "
    "meldkamer die opgaf.",
    "monteur_onderweg": "Gaat naar de huurder zodra de monteur in zijn app meldt dat hij "
    "onderweg is, met zijn voornaam en de verwachte aankomsttijd.",
    "afgerond": "Gaat naar de huurder als de melding is afgerond, met de link naar een korte "
    "enquête.",
    "piket": "Gaat meteen, op elk uur, naar de piketdienst van de opdrachtgever bij een acute "
    "melding waarbij de bewoonbaarheid van de woning in gevaar is.",
    "protocol_bevestiging": "Gaat naar de opdrachtgever zodra een nieuwe versie van zijn "
    "triageprotocol is gepubliceerd, ter bevestiging.",
    "enquete_gesprek": "Gaat naar de beller of afzender zodra een gesprek of e-mail met de "
    "meldkamer is afgerond, met de link naar een korte enquête; hoogstens één per dag, niet bij "
    "'geen actie / verkeerd verbonden'.",
    "telefonie_rapport": "Gaat op de eerste werkdag van de maand naar het rapportadres van de "
    "opdrachtgever, met de telefoniecijfers van de vorige maand als Excel-bestand.",
    "rapportage": "Gaat op maandag (weekrapportage) en op de eerste werkdag van de maand "
    "(maandrapportage) naar de rapportageontvangers van de opdrachtgever, met de cijfers van de "
    "vorige week of maand en de signalen als PDF en Excel-bestand.",
    "escalatie": "Gaat meteen naar de projectleider van de opdrachtgever als een huurder "
    "klaagt over de afhandeling door een doorverwezen partij (leverancier monitoring, VvE, "
    "liftbedrijf): de zaak, en binnen hoeveel uur contact met de huurder moet zijn opgenomen.",
    "verificatiecode": "Gaat meteen, op elk uur, naar de huurder die online een melding doet: de "
    "code van zes cijfers die het mobiele nummer of e-mailadres bevestigt (tien minuten geldig).",
}
# By which channels, in words.
CHANNEL_TEXT: dict[str, str] = {
    "tenant": "Per sms (naar een mobiel nummer), per e-mail (als het adres bekend is) en als "
    "pushbericht (als de huurder dat op de volgpagina aanzette). Niet-urgente berichten wachten "
    "'s nachts tot het einde van de stille uren.",
    "piket": "Per sms en per e-mail, naar het nummer en adres van de piketdienst.",
    "protocol_bevestiging": "Per e-mail.",
    "telefonie_rapport": "Per e-mail, met het Excel-bestand als bijlage.",
    "rapportage": "Per e-mail, met de PDF en het Excel-bestand als bijlagen.",
    "escalatie": "Per sms en per e-mail, naar het nummer en adres van de projectleider.",
}
# The template files in words.
FILE_LABELS: dict[str, str] = {
    "sms.txt": "Sms",
    "onderwerp.txt": "E-mail: onderwerp",
    "email.txt": "E-mail: tekst",
    "email.html": "E-mail: opgemaakte versie (HTML)",
    "push_titel.txt": "Pushbericht: titel",
    "push_tekst.txt": "Pushbericht: tekst",
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

TO_CLIENT = frozenset(
    {Kind.PIKET, Kind.PROTOCOL_BEVESTIGING, Kind.TELEFONIE_RAPPORT, Kind.RAPPORTAGE, Kind.ESCALATIE}
)
_TENANT = (Channel.SMS, Channel.EMAIL, Channel.PUSH)
CHANNELS: dict[Kind, tuple[Channel, ...]] = {
    **{kind: _TENANT for kind in Kind if kind not in TO_CLIENT},
    Kind.PIKET: (Channel.SMS, Channel.EMAIL),
    Kind.PROTOCOL_BEVESTIGING: (Channel.EMAIL,),
    # To the caller's own number or address, about a contact: no dossier, so no push.
    Kind.ENQUETE_GESPREK: (Channel.SMS, Channel.EMAIL),
    Kind.TELEFONIE_RAPPORT: (Channel.EMAIL,),
    Kind.RAPPORTAGE: (Channel.EMAIL,),
    Kind.ESCALATIE: (Channel.SMS, Channel.EMAIL),
    # To the number or address the tenant typed online, before there is a dossier.
    Kind.VERIFICATIECODE: (Channel.SMS, Channel.EMAIL),
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


def channel_text(kind: Kind) -> str:
    if kind == Kind.ENQUETE_GESPREK:
        return "Per sms (naar een mobiel nummer) of per e-mail, naar wie belde of mailde."
    if kind == Kind.VERIFICATIECODE:
        return "Per sms of per e-mail, naar het mobiele nummer of e-mailadres dat de huurder opgaf."
    if kind in TO_CLIENT:
        return CHANNEL_TEXT[kind.value]
    return CHANNEL_TEXT["tenant"]
