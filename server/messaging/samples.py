"""One example of every kind: for checking a client's template before it is saved, and for
showing a preview in the template editor.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from server.messaging.kinds import Kind
from server.messaging.messages import (
    Afgerond,
    AfspraakGeannuleerd,
    AfspraakGewijzigd,
    AfspraakIngepland,
    EnqueteGesprek,
    Escalatie,
    MeldingOntvangen,
    Message,
    MonteurOnderweg,
    Piket,
    ProtocolBevestiging,
    Rapportage,
    TelefonieRapport,
    Verificatiecode,
)

_AMS = ZoneInfo("Europe/Amsterdam")
_CLIENT = "Woonstichting De Linde"
_ORDER = "DL-2025-000123"
_TRACK = "https://meldkamer.example.nl/volg/voorbeeld"
_FROM = datetime(2025, 3, 4, 8, 0, tzinfo=_AMS)
_TO = datetime(2025, 3, 4, 12, 0, tzinfo=_AMS)
_TENANT = {
    "opdrachtgever": _CLIENT,
    "ordernummer": _ORDER,
    "volgen_url": _TRACK,
    "naam": "mevrouw Jansen",
}

SAMPLES: dict[Kind, Message] = {
    Kind.MELDING_ONTVANGEN: MeldingOntvangen(
        **_TENANT,
        melding="Lekkage aan de afvoer onder het aanrecht",
        urgentie="urgent",
        vervolg="Een loodgieter neemt binnen 24 uur contact met u op voor een afspraak.",
        uiterlijk=datetime(2025, 3, 4, 16, 30, tzinfo=_AMS),
    ),
    Kind.AFSPRAAK_INGEPLAND: AfspraakIngepland(**_TENANT, van=_FROM, tot=_TO),
    Kind.AFSPRAAK_GEWIJZIGD: AfspraakGewijzigd(
        **_TENANT, van=_FROM, tot=_TO, oude_van=datetime(2025, 3, 3, 13, 0, tzinfo=_AMS)
    ),
    Kind.AFSPRAAK_GEANNULEERD: AfspraakGeannuleerd(
        **_TENANT, van=_FROM, tot=_TO, reden="De storing is op afstand verholpen."
    ),
    Kind.MONTEUR_ONDERWEG: MonteurOnderweg(
        opdrachtgever=_CLIENT,
        ordernummer=_ORDER,
        volgen_url=_TRACK,
        naam=_TENANT["naam"],
        monteur="Ahmed",
        eta=datetime(2025, 3, 4, 9, 40, tzinfo=_AMS),
    ),
    Kind.AFGEROND: Afgerond(
        **_TENANT, enquete_url="https://meldkamer.example.nl/enquete/voorbeeld"
    ),
    Kind.ESCALATIE: Escalatie(
        opdrachtgever=_CLIENT,
        ordernummer=_ORDER,
        contactpersoon="Projectleider Wonen",
        adres="Lindelaan 12, 1234 AB Lindedorp",
        melder="mevrouw Jansen",
        telefoon="06 12345678",
        partij="Leverancier monitoringsysteem",
        klacht="De leverancier neemt de klacht over het monitoringsysteem niet in behandeling.",
        contact_voor=datetime(2025, 3, 5, 9, 0, tzinfo=_AMS),
        zaak_url="https://meldkamer.example.nl/escalaties/1",
    ),
    Kind.PIKET: Piket(
        opdrachtgever=_CLIENT,
        ordernummer=_ORDER,
        contactpersoon="Piketdienst De Linde",
        adres="Lindelaan 12, 1234 AB Utrecht",
        melder="J. Jansen",
        telefoon="+31612345678",
        uitkomst="Wateroverlast uit plafond",
        omschrijving="Water loopt door het plafond van de woonkamer; stroom uitgeschakeld.",
        dossier_url="https://meldkamer.example.nl/dossiers/DL-2025-000123",
        gemeld_op=datetime(2025, 3, 4, 2, 14, tzinfo=_AMS),
    ),
    Kind.PROTOCOL_BEVESTIGING: ProtocolBevestiging(
        opdrachtgever=_CLIENT,
        versie=7,
        geldig_vanaf=datetime(2025, 3, 1, 9, 0, tzinfo=_AMS),
        gepubliceerd_door="M. de Vries (supervisie)",
        reden="Cv-storing in de winter voortaan urgent",
        wijzigingen=("- cv_storing.winter: niet urgent", "+ cv_storing.winter: urgent"),
        url="https://meldkamer.example.nl/protocollen/DL/versies/7",
    ),
    Kind.ENQUETE_GESPREK: EnqueteGesprek(
        opdrachtgever=_CLIENT,
        naam="mevrouw Jansen",
        enquete_url="https://meldkamer.example.nl/enquete-gesprek/voorbeeld",
        gesprek_op=datetime(2025, 3, 4, 21, 40, tzinfo=_AMS),
        soort="telefoongesprek",
    ),
    Kind.TELEFONIE_RAPPORT: TelefonieRapport(
        opdrachtgever=_CLIENT,
        maand="november 2026",
        aangeboden=4210,
        aangenomen=4105,
        servicelevel="83,1%",
        norm=80,
        gehaald=True,
        verloren=105,
        bijlage="telefonierapport-DL-2026-11.xlsx",
    ),
    Kind.RAPPORTAGE: Rapportage(
        opdrachtgever=_CLIENT,
        soort="Weekrapportage",
        periode="week 23 2026 (01-06-2026 t/m 07-06-2026)",
        meldingen=312,
        meldingen_vorige=287,
        signalen=(
            "2 complexen met meer storingen",
            "3 herhaalmeldingen",
            "1 dossier over de deadline",
        ),
        bijlagen=("weekrapportage-DL-2026-W23.pdf", "weekrapportage-DL-2026-W23.xlsx"),
    ),
    Kind.VERIFICATIECODE: Verificatiecode(opdrachtgever=_CLIENT, code="482913", minuten=10),
}
