"""Names and Dutch texts for demo dossiers: tenants, what they report, what was done."""

from __future__ import annotations

FIRST_NAMES = (
    "Anouk", "Bram", "Daan", "Emma", "Fatima", "Gerrit", "Hanneke", "Ibrahim", "Jan",
    "Joyce", "Kevin", "Linda", "Mohamed", "Naima", "Olga", "Priya", "Ricardo", "Sanne",
    "Tom", "Wilma", "Yusuf", "Zeynep", "Ahmed", "Bernadette", "Cor", "Dewi", "Esra",
    "Frank", "Gülsen", "Henk", "Inge", "Jolanda", "Karim", "Lotte", "Marco", "Nora",
    "Patrick", "Rachida", "Sjoerd", "Tineke", "Vincent", "Wendy", "Aziz", "Marianne",
)  # fmt: skip
SURNAMES = (
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
    "El Amrani", "Yılmaz", "Öztürk", "Kaya", "Bouzid", "El Idrissi", "Pinas", "Doelwijt",
    "Mahabier", "Ramdin", "Nguyen", "Kowalski", "van Dijk", "Verhoef", "Kok", "Brouwer",
    "Hoekstra", "van der Linden", "Koster", "Bennani", "Ait Taleb", "Sahin", "Wijnands",
    "Schouten", "van Wijk", "Post", "Kuipers", "Veenstra",
)  # fmt: skip

DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "cv_storing": (
        "Verwarming blijft koud, ketel geeft foutcode F28.",
        "Geen warm water en de radiatoren worden niet warm.",
        "Waterdruk van de ketel staat onder de 1 bar, ketel valt steeds uit.",
        "Cv-ketel maakt een hard tikkend geluid en slaat af.",
        "Radiator in de slaapkamer wordt niet warm, de rest wel.",
        "Display van de ketel is zwart, geen verwarming.",
    ),
    "lekkage_woning": (
        "Water komt door het plafond van de badkamer, vermoedelijk van de bovenburen.",
        "Lekkage bij het dakraam in de slaapkamer na de regen.",
        "Vochtplek op het plafond in de woonkamer wordt groter.",
        "Water druppelt langs de lamp in de keuken.",
        "Lekkage langs het kozijn aan de achterzijde.",
    ),
    "lekkage_waterleiding": (
        "Waterleiding onder het aanrecht lekt, hoofdkraan is dichtgedraaid.",
        "Knellende koppeling bij de watermeter spuit water.",
        "Leiding naar het toilet lekt, water staat op de vloer.",
    ),
    "gaslek": (
        "Huurder ruikt gas in de meterkast.",
        "Sterke gaslucht in het trappenhuis.",
        "Gaslucht bij het fornuis, kranen staan dicht.",
    ),
    "lekkage_afvoer": (
        "Toilet is verstopt en loopt over.",
        "Afvoer van de douche loopt niet weg.",
        "Gootsteen in de keuken is verstopt, water blijft staan.",
        "Riool borrelt en stinkt, afvoer van de wasmachine loopt terug.",
    ),
    "elektra": (
        "Aardlekschakelaar slaat steeds af, halve woning zonder stroom.",
        "Stopcontact in de keuken is zwartgeblakerd en ruikt verbrand.",
        "Geen stroom in de badkamer en slaapkamer.",
        "Verlichting in de gezamenlijke gang is uitgevallen.",
    ),
    "inbraak": (
        "Ingebroken via de achterdeur, slot is geforceerd; politie is geweest.",
        "Voordeur opengebroken, deur sluit niet meer.",
        "Raam aan de achterkant ingeslagen bij een inbraakpoging.",
    ),
    "brand": (
        "Kleine keukenbrand geweest, brandweer heeft geblust; keuken onbruikbaar.",
        "Brand in de meterkast, brandweer is ter plaatse geweest.",
    ),
    "storm": (
        "Dakpannen van het dak gewaaid, regen komt binnen.",
        "Schutting en dakgoot losgeslagen door de storm.",
        "Dakbedekking van de berging is weggewaaid.",
    ),
    "calamiteit_overig": (
        "Boom is op de gevel gevallen, ruit gebarsten.",
        "Auto tegen de gevel gereden, voorgevel beschadigd.",
    ),
    "boiler": (
        "Boiler geeft geen warm water meer.",
        "Boiler lekt aan de onderkant, water in de keuken.",
        "Overstortventiel van de boiler blijft druppelen.",
    ),
    "buitensluiting": (
        "Huurder staat buiten, sleutel binnen laten liggen.",
        "Sleutel afgebroken in het slot van de voordeur.",
        "Deur in het slot gevallen, kind nog binnen.",
    ),
    "glasschade": (
        "Ruit van de voordeur is gebroken.",
        "Dubbel glas in de woonkamer is gesprongen.",
        "Ruit in de keuken gebarsten door een bal.",
    ),
    "lift": (
        "Lift staat stil tussen de verdiepingen, niemand in de lift.",
        "Lift doet het niet, oudere bewoners kunnen niet naar beneden.",
        "Liftdeur sluit niet goed, lift blijft op de begane grond staan.",
    ),
    "monitoring": (
        "Monitoringsysteem geeft een storingsmelding op het display.",
        "Alarm van de rookmelderbewaking blijft afgaan zonder rook.",
        "Ventilatiebewaking meldt een storing in de woning.",
    ),
    "overig": (
        "Voordeur sleept over de vloer en sluit slecht.",
        "Keukenkastje is losgekomen van de muur.",
        "Mechanische ventilatie maakt veel lawaai.",
        "Brievenbus in de hal is kapot.",
        "Tegels in de badkamer liggen los.",
    ),
}

INTAKE_NOTES = (
    "Huurder is slechthorend, graag sms'en voor de afspraak.",
    "Huurder werkt overdag; bellen na 16:00.",
    "Hond in huis, monteur graag even aanbellen en wachten.",
    "Sleutel ligt bij de buren op nummer hiernaast.",
    "Huurder spreekt beperkt Nederlands; dochter tolkt.",
)

WORK_NOTES: dict[str, tuple[str, ...]] = {
    "CVI": (
        "Installatie bijgevuld tot 1,8 bar en ontlucht, ketel gereset.",
        "Ontstekingselektrode vervangen, ketel brandt weer.",
        "Driewegklep vrijgemaakt, warm water werkt weer.",
        "Pomp vastgelopen, losgedraaid en getest.",
    ),
    "LOO": (
        "Knelkoppeling vervangen, leiding drukgetest.",
        "Sifon vervangen en afvoer doorgespoeld.",
        "Vlotter van het toilet vervangen.",
        "Lekkende leiding tijdelijk gedicht, definitief herstel ingepland.",
    ),
    "ELE": (
        "Defecte groep vervangen, aardlek getest.",
        "Stopcontact vervangen, bedrading in orde.",
        "Oorzaak: wasmachine met isolatiefout; huurder geadviseerd.",
    ),
    "TIM": (
        "Slot vervangen, huurder twee nieuwe sleutels gegeven.",
        "Deur afgeschaafd en scharnieren afgesteld.",
        "Deur dichtgezet met plaatmateriaal, definitief herstel ingepland.",
        "Woning geopend, cilinder vervangen.",
    ),
    "GLA": (
        "Noodbeglazing geplaatst, nieuw glas besteld.",
        "Dubbel glas vervangen en afgekit.",
    ),
    "DAK": (
        "Dakpannen teruggelegd en vastgezet.",
        "Lekkage bij de dakdoorvoer afgedicht.",
        "Dakgoot schoongemaakt en naad gedicht.",
    ),
    "ONT": (
        "Afvoer ontstopt met de veer, doorgespoeld.",
        "Riool ontstopt, camera-inspectie gedaan: geen schade.",
        "Verstopping in de standleiding verholpen.",
    ),
}

FOLLOW_UP_REASONS = (
    "Onderdeel besteld, vervolgafspraak nodig.",
    "Meer tijd nodig dan gepland, vervolgafspraak gemaakt.",
    "Huurder niet thuis bij de afspraak.",
    "Andere vakdiscipline nodig voor herstel.",
)

REMOTE_ADVICE: dict[str, str] = {
    "cv_storing": "Huurder geholpen de installatie bij te vullen en de ketel te resetten.",
    "elektra": "Huurder uitgelegd hoe de aardlekschakelaar terug te zetten; werkt weer.",
    "lekkage_afvoer": "Huurder geadviseerd de sifon schoon te maken; afvoer loopt weer.",
    "boiler": "Huurder de thermostaat van de boiler laten controleren; staat weer aan.",
}

CANCEL_REASONS = (
    "Huurder heeft de storing zelf verholpen.",
    "Dubbele melding, dossier loopt al.",
    "Huurder trekt de melding in.",
)

CONTACT_SUMMARIES = (
    "Huurder teruggebeld, melding doorgenomen.",
    "Huurder gebeld en de afspraak bevestigd.",
    "Huurder gesproken, situatie is stabiel.",
    "Voicemail ingesproken, daarna huurder alsnog bereikt.",
)

# What tenants write in the survey, by how it went.
SURVEY_REMARKS = {
    "good": (
        "Snel geholpen, de monteur legde goed uit wat er mis was.",
        "Vriendelijke monteur, netjes gewerkt.",
        "Prima, binnen een dag opgelost.",
        "",
        "",
    ),
    "bad": (
        "Het probleem is nog steeds niet opgelost.",
        "Lang moeten wachten voordat er iemand kwam.",
        "Monteur was op tijd, maar de storing kwam terug.",
        "",
    ),
}
