"""Code lists shared by every part of the product.

Codes are stable identifiers (stored in the database and used in the API); labels are the Dutch
text shown to people. Trade codes are VERA's ONDERHOUDSPECIALISME, channel codes map onto VERA's
COMMUNICATIEKANAAL, so corporations and contractors can connect without translation tables.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    TELEFOON = "telefoon"
    EMAIL = "email"
    WEB = "web"
    APP = "app"


CHANNEL_LABELS: dict[str, str] = {
    "telefoon": "Telefoon",
    "email": "E-mail",
    "web": "Web",
    "app": "App",
}

# VERA COMMUNICATIEKANAAL for each channel, for order messages to contractors.
CHANNEL_VERA: dict[str, str] = {"telefoon": "TEL", "email": "EMA", "web": "INT", "app": "APP"}


class Urgency(StrEnum):
    ACUUT = "acuut"
    URGENT = "urgent"
    NIET_URGENT = "niet_urgent"


URGENCY_LABELS: dict[str, str] = {
    "acuut": "Acuut",
    "urgent": "Urgent",
    "niet_urgent": "Niet urgent",
}


class TriageAction(StrEnum):
    """What happens after triage; the outcome of a protocol names one of these."""

    SPOEDOPDRACHT = "spoedopdracht"
    OPDRACHT_24U = "opdracht_24u"
    HUURDER_BELT_KANTOOR = "huurder_belt_kantoor"
    DOORVERWIJZEN = "doorverwijzen"
    OP_AFSTAND_OPLOSSEN = "op_afstand_oplossen"
    ESCALEREN = "escaleren"


TRIAGE_ACTION_LABELS: dict[str, str] = {
    "spoedopdracht": "Spoedopdracht voor directe uitvoering",
    "opdracht_24u": "Opdracht voor uitvoering binnen 24 uur",
    "huurder_belt_kantoor": "Huurder neemt eerstvolgende werkdag contact op met opdrachtgever",
    "doorverwijzen": "Doorverwijzen naar geregistreerde partij",
    "op_afstand_oplossen": "Op afstand oplossen (telefonisch of per e-mail)",
    "escaleren": "Escaleren naar opdrachtgever",
}

# Kinds of party a report is referred to; the party itself is registered per address or
# complex (AddressParty.kind).
REFERRAL_PARTY_LABELS: dict[str, str] = {
    "vve": "VvE-beheerder",
    "huismeester": "Huismeester",
    "lift": "Liftleverancier",
    "monitoring": "Leverancier monitoringsysteem",
    "netbeheerder": "Netbeheerder",
}

# Roles at the client that a report can be escalated to (seed 003: the projectleider).
CLIENT_ROLE_LABELS: dict[str, str] = {
    "projectleider": "Projectleider",
    "piket": "Piketdienst",
}

# Subjects (onderwerpen) of the triage protocol double as dossier categories. The default
# protocol (server/triage) has a decision tree for each of these ids.
CATEGORY_LABELS: dict[str, str] = {
    "cv_storing": "Cv-storing",
    "lekkage_woning": "Lekkage aan woning",
    "lekkage_waterleiding": "Lekkage aanvoerleiding water",
    "gaslek": "Lekkage aanvoerleiding gas",
    "lekkage_afvoer": "Lekkage afvoeren",
    "elektra": "Elektra",
    "inbraak": "Inbraak",
    "brand": "Calamiteit brand",
    "storm": "Calamiteit storm",
    "calamiteit_overig": "Calamiteit overig",
    "boiler": "Boiler",
    "buitensluiting": "Buitensluiting",
    "glasschade": "Glasschade",
    "lift": "Lift",
    "monitoring": "Monitoringsysteem",
    "overig": "Overig",
}

# Order types (ordersoort); a client may add its own in its settings.
ORDER_TYPE_LABELS: dict[str, str] = {
    "reparatieonderhoud": "Reparatieonderhoud",
    "serviceabonnement": "Serviceabonnement",
    "rekening_huurder": "Rekening huurder",
    "glasfonds": "Glasfonds",
}

# VERA ONDERHOUDSPECIALISME codes used in this product.
TRADE_LABELS: dict[str, str] = {
    "CVI": "Cv-installateur",
    "LOO": "Loodgieter",
    "ELE": "Elektriciën",
    "TIM": "Timmerman",
    "GLA": "Glaszetter",
    "DAK": "Dakdekker",
    "ONT": "Ontstopper",
    "SCH": "Schilder",
    "LIF": "Liftmonteur",
    "ALA": "Alarminstallaties",
    "OVE": "Overig",
}

# Result codes a dossier is closed with.
RESULT_LABELS: dict[str, str] = {
    "verholpen": "Storing verholpen",
    "tijdelijk_verholpen": "Tijdelijk verholpen, vervolg nodig",
    "niet_verholpen": "Niet verholpen",
    "telefonisch_opgelost": "Telefonisch opgelost",
    "per_email_opgelost": "Per e-mail opgelost",
    "doorverwezen": "Doorverwezen naar derde partij",
    "geen_actie_niet_urgent": "Niet urgent: huurder neemt zelf contact op",
    "geen_storing": "Geen storing gevonden",
    "rekening_huurder": "Uitgevoerd op rekening huurder",
    "dubbele_melding": "Dubbele melding",
    "ingetrokken": "Ingetrokken door huurder",
}
