"""What each message says, as typed values; the field names are the template variables.

The names are Dutch because clients see them when they edit a template ({{ ordernummer }}).
Times are aware datetimes; the templates show them in Europe/Amsterdam.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import ClassVar

from server.domain import dutch
from server.messaging.kinds import Kind

URGENCY_TEXT = {"acuut": "acuut", "urgent": "urgent", "niet_urgent": "niet urgent"}


@dataclass(frozen=True, kw_only=True)
class Message:
    kind: ClassVar[Kind]
    opdrachtgever: str

    def context(self) -> dict[str, object]:
        """The template variables."""
        return {item.name: getattr(self, item.name) for item in fields(self)}


@dataclass(frozen=True, kw_only=True)
class TenantMessage(Message):
    ordernummer: str
    volgen_url: str
    naam: str = ""


@dataclass(frozen=True, kw_only=True)
class MeldingOntvangen(TenantMessage):
    """The summary of the call: what was reported, how urgent, what happens next and when."""

    kind = Kind.MELDING_ONTVANGEN
    melding: str
    urgentie: str  # acuut, urgent or niet_urgent
    vervolg: str
    uiterlijk: datetime | None = None

    def __post_init__(self) -> None:
        if self.urgentie not in URGENCY_TEXT:
            raise ValueError(f"urgency {self.urgentie!r}: one of {', '.join(URGENCY_TEXT)}")

    def context(self) -> dict[str, object]:
        # Triage's description ends in a full stop, but the texts go on after it: "(acuut)."
        melding = dutch.clause(self.melding)
        return {**super().context(), "melding": melding, "urgentie": URGENCY_TEXT[self.urgentie]}


@dataclass(frozen=True, kw_only=True)
class AfspraakIngepland(TenantMessage):
    kind = Kind.AFSPRAAK_INGEPLAND
    van: datetime
    tot: datetime


@dataclass(frozen=True, kw_only=True)
class AfspraakGewijzigd(TenantMessage):
    kind = Kind.AFSPRAAK_GEWIJZIGD
    van: datetime
    tot: datetime
    oude_van: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class AfspraakGeannuleerd(TenantMessage):
    kind = Kind.AFSPRAAK_GEANNULEERD
    van: datetime
    tot: datetime
    reden: str = ""


@dataclass(frozen=True, kw_only=True)
class MonteurOnderweg(TenantMessage):
    kind = Kind.MONTEUR_ONDERWEG
    monteur: str  # first name only
    eta: datetime
    # He would arrive well before the appointment (booked for the next morning): `eta` is the
    # appointment, not a time today.
    op_afspraak: bool = False


@dataclass(frozen=True, kw_only=True)
class Afgerond(TenantMessage):
    kind = Kind.AFGEROND
    enquete_url: str


@dataclass(frozen=True, kw_only=True)
class Piket(Message):
    """To the client's on-call contact: an acute report with habitability in danger."""

    kind = Kind.PIKET
    ordernummer: str
    contactpersoon: str
    adres: str
    melder: str
    telefoon: str
    uitkomst: str
    omschrijving: str
    dossier_url: str
    gemeld_op: datetime


@dataclass(frozen=True, kw_only=True)
class Escalatie(Message):
    """To the client's projectleider (seed 003): a tenant's complaint about a referred party,
    with the moment by which the tenant must have been contacted."""

    kind = Kind.ESCALATIE
    ordernummer: str
    contactpersoon: str
    adres: str
    melder: str
    telefoon: str
    partij: str
    klacht: str
    contact_voor: datetime
    zaak_url: str


@dataclass(frozen=True, kw_only=True)
class ProtocolBevestiging(Message):
    """To the client: a new version of its triage protocol is in force."""

    kind = Kind.PROTOCOL_BEVESTIGING
    versie: int
    geldig_vanaf: datetime
    gepubliceerd_door: str
    reden: str
    wijzigingen: tuple[str, ...]
    url: str


@dataclass(frozen=True, kw_only=True)
class EnqueteGesprek(Message):
    """To a caller after a finished call or e-mail: the survey about that contact (not about
    a repair, which has its own survey when the dossier is closed)."""

    kind = Kind.ENQUETE_GESPREK
    naam: str = ""
    enquete_url: str
    gesprek_op: datetime
    soort: str  # how the caller reached us, as the text says it: "telefoongesprek", "e-mail"


@dataclass(frozen=True, kw_only=True)
class TelefonieRapport(Message):
    """To the client's report address: last month's telephony figures, the workbook attached."""

    kind = Kind.TELEFONIE_RAPPORT
    maand: str  # "november 2026"
    aangeboden: int
    aangenomen: int
    servicelevel: str  # "83,1%" or "—" without calls
    norm: int
    gehaald: bool
    verloren: int
    bijlage: str  # the attachment's file name


@dataclass(frozen=True, kw_only=True)
class Rapportage(Message):
    """To the client's report recipients: the weekly or monthly report, PDF and workbook
    attached (server/insight/client_report.py)."""

    kind = Kind.RAPPORTAGE
    soort: str  # "Weekrapportage", "Maandrapportage"
    periode: str  # "week 23 2026 (01-06-2026 t/m 07-06-2026)"
    meldingen: int
    meldingen_vorige: int
    signalen: tuple[str, ...]  # one line each, as the report's 'Signalen' counts them
    bijlagen: tuple[str, ...]  # the attachments' file names


@dataclass(frozen=True, kw_only=True)
class Verificatiecode(Message):
    """To a tenant reporting online: the one-time code that confirms their mobile number or
    e-mail address (server/selfservice/codes.py)."""

    kind = Kind.VERIFICATIECODE
    code: str
    minuten: int
