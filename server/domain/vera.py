"""VERA code lists (Aedes Referentiedata, CC0) that the chain sends and accepts.

Copied from the sector's Referentiedata.csv (docs/chain.md): the codes stand as VERA has them,
with VERA's own names, so a contractor's ERP reads them without a translation table. Plain
Python.
"""

from __future__ import annotations

# DEFECTSOORT
DEFECT_KINDS: dict[str, str] = {
    "BEK": "Beklad",
    "BET": "Betonrot",
    "BEV": "Bevroren",
    "BIJ": "Bijen",
    "BLI": "Blijft branden",
    "BOK": "Boktorren",
    "BRE": "Breuk / scheur",
    "BS0": "Beschadigd (omvang onbenoemd)",
    "BS1": "Beschadigd < 1m2",
    "BS2": "Beschadigd 1-5 m2",
    "BS3": "Beschadigd >5 m2",
    "DEF": "Defect / onderdeel defect",
    "DOO": "Doorboord",
    "DRP": "Druppelt",
    "DRU": "Waterdruk te laag",
    "GAS": "Gaslucht/gaslek",
    "GEL": "Maakt vreemd geluid",
    "GEZ": "Gezwollen",
    "GLA": "Glasbreuk",
    "HOR": "Houtrot",
    "HOW": "Houtwormen",
    "INB": "Inbraakschade",
    "KAL": "Verkalkt",
    "KEV": "Kevers",
    "KKL": "Kakkerlakken",
    "KLE": "Klemt / opent niet",
    "KNI": "Knippert",
    "LEK": "Lekt",
    "LOO": "Loopt door",
    "LOS": "Zit los / onderdeel zit los",
    "MIE": "Mieren",
    "MUI": "Muizen",
    "ONA": "Onvoldoende afzuiging",
    "ONK": "Onvoldoende kracht",
    "ONT": "Ontbreekt / onderdeel ontbreekt",
    "ONZ": "Ontzet",
    "OVE": "Overig",
    "PER": "Personen ingesloten",
    "RAT": "Ratten",
    "ROE": "Roest",
    "SAF": "Sleutel afgebroken",
    "SCH": "Schimmel",
    "SDE": "Slot defect",
    "SKW": "Sleutel kwijt",
    "SLU": "Sluit niet",
    "SPR": "Spraak/video slecht",
    "STA": "Staat stil",
    "STI": "Stinkt",
    "STO": "Storing",
    "TEM": "Onjuiste temperatuur",
    "TIJ": "Tijdschakelklok werkt niet",
    "TOC": "Tocht",
    "VBI": "Verf laat los (binnen)",
    "VBU": "Verf laat los (buiten)",
    "VLO": "Vlooien",
    "VOC": "Vochtig / nat",
    "VOG": "Vogelnest",
    "VOL": "Is vol",
    "VS0": "Verstopt (hoogte onbenoemd)",
    "VS1": "Verstopt (lager dan 7,5 meter)",
    "VS2": "Verstopt (hoger dan 7,5 meter)",
    "VSC": "Verschoven",
    "VWE": "Verlichting werkt niet",
    "VZT": "Verzakt",
    "WAN": "Wandluizen",
    "WES": "Wespen",
    "ZIL": "Zilvervisjes",
}

# DEFECTLOCATIE
DEFECT_LOCATIONS: dict[str, str] = {
    "AIR": "Airco/koelinstallatie",
    "BAD": "Badkamer / doucheruimte",
    "BAL": "Balkon",
    "BER": "Bergingsruimte",
    "BIJ": "Bijkeuken",
    "BUI": "Buitengevel",
    "CON": "Containerruimte",
    "DAK": "Dak",
    "DTE": "Dakterras",
    "ENT": "Entreehal / Ingang",
    "FIE": "Fietsenstalling",
    "GAL": "Galerij / galerijgang",
    "GAN": "Gangkast / trapkast",
    "GAR": "Garage (perceelgebonden) / carport",
    "HAL": "Hal / gang individueel",
    "KEL": "Kelder",
    "KEU": "Keuken",
    "KRU": "Kruipruimte",
    "LIF": "Lift",
    "OVE": "Overige ruimte",
    "OVL": "Overloop",
    "PAD": "Pad / brandgang",
    "PAN": "Pantry",
    "PAR": "Parkeerplaats",
    "POR": "Trappenhuis / Portiek",
    "SCH": "Schuur",
    "SCO": "Scootmobielruimte",
    "SLA": "Slaapkamer",
    "TOI": "Toiletruimte",
    "TRA": "Trap",
    "TRC": "Technische ruimte (collectief)",
    "TRI": "Technische ruimte (individueel)",
    "TUI": "Tuin",
    "VOE": "Voertuigingang",
    "WOO": "Woonkamer",
    "WRC": "Wasruimte collectief",
    "WRI": "Wasruimte individueel",
    "ZOL": "Zolder / vliering",
}

# DEFECTOORZAAK
DEFECT_CAUSES: dict[str, str] = {
    "BEW": "Bewonersopdracht/gedrag",
    "BRA": "Schade door brand",
    "OUD": "Ouderdom",
    "SLT": "Normale slijtage",
    "SOP": "Slecht opgeleverd",
    "STO": "Schade door storm",
    "VAN": "Schade door vandalisme",
    "VGE": "Verzoek van de vastgoedeigenaar",
    "WAT": "Schade door water",
}

# VERREKENINGSOORT
SETTLEMENTS: dict[str, str] = {
    "ACT": "Te activeren",
    "VER": "Te verhalen",
}

# ONDERHOUDSTAAKSTATUS
TASK_STATUSES: dict[str, str] = {
    "CON": "Concept  / aangemaakt",
    "GEP": "Gepland",
    "GER": "Gereed",
    "GES": "Gesloten",
    "OND": "Onderbroken",
    "PAU": "Gepauzeerd",
    "REI": "Onderweg",
    "UIT": "In uitvoering",
    "UWT": "Uitwerktijd",
}

# ONDERHOUDSTAAKDETAILSTATUS
TASK_DETAIL_STATUSES: dict[str, str] = {
    "AFW": "Klant niet aanwezig",
    "DIS": "Niet de juiste discipline",
    "INS": "Inspectie/beoordeling vereist",
    "MAT": "Materiaal bestellen",
    "OFF": "Offerte benodigd",
    "ONV": "Onvoldoende tijd",
}

# DAGDEEL
DAY_PARTS: dict[str, str] = {
    "AVO": "Avond",
    "MID": "Middag",
    "OCH": "Ochtend",
}

# AFSPRAAKSTATUS
APPOINTMENT_STATUSES: dict[str, str] = {
    "AAN": "Aangevraagd",
    "AFG": "Afgerond",
    "ANN": "Geannuleerd",
    "GEP": "Gepland",
}

# ONDERHOUDSBESTEDINGSOORT
SPENDING_KINDS: dict[str, str] = {
    "MAT": "Materiaal",
    "OND": "Onderbroken tijd",
    "OVE": "Overige kosten",
    "PAK": "Pakbonkosten",
    "REI": "Reistijd",
    "UIT": "Uitwerktijd",
    "VAS": "Vaste taakprijs",
    "WER": "Werktijd",
}

# MEETEENHEID
UNITS: dict[str, str] = {
    "CM": "Centimeter",
    "FTE": "Omvang personeelsbestand",
    "GRM": "Gram",
    "KGR": "Kilogram",
    "LTR": "Liter",
    "M2": "Vierkante meter, m2",
    "M3": "Kubieke meter, m3",
    "MIL": "Millimeter",
    "MIN": "Minuten",
    "MTR": "Meter",
    "STU": "Stuks",
    "UUR": "Uren",
    "EUR": "Euro",
}

# ONDERHOUDSORDERSTATUS
ORDER_STATUSES: dict[str, str] = {
    "AFG": "Afgehandeld",
    "FIN": "Financieel afwikkelen",
    "GEA": "Geannuleerd",
    "GUN": "Order gegund",
    "INB": "In behandeling",
    "OFF": "Offertetraject",
    "PLN": "Order gepland",
    "REG": "Geregistreerd",
    "STE": "Order in steekproef",
    "TEC": "Technisch gereed",
    "WOG": "Wacht op goedkeuring",
}

# ONDERHOUDSVERZOEKSTATUS
REQUEST_STATUSES: dict[str, str] = {
    "AFG": "Afgehandeld",
    "BEO": "Ter beoordeling",
    "FIN": "Financieel afwikkelen",
    "GEA": "Geannuleerd",
    "INB": "In behandeling",
    "REG": "Geregistreerd",
    "TEC": "Technisch gereed",
}

# ONDERHOUDSOORT
MAINTENANCE_KINDS: dict[str, str] = {
    "INS": "Inspectie",
    "MUT": "Mutatie",
    "PLN": "Planmatig",
    "PRJ": "Projectmatig",
    "REP": "Reparatie",
    "WMO": "WMO Aanpassing",
    "WOV": "Woningverbetering",
    "LEE": "Leefbaarheid",
}

# ONDERHOUDSPECIALISME
SPECIALISMS: dict[str, str] = {
    "ALA": "Specialist Alarminstallaties",
    "ASB": "Specialist Asbestsanering",
    "BLI": "Specialist Bliksemgeleider",
    "BLU": "Specialist Blusmiddelen",
    "BRA": "Specialist Brandmeldinstallatie",
    "CVI": "CV Installateur",
    "DAK": "Dakdekker",
    "DOM": "Specialist Domotica",
    "ELA": "Elektriciën allrounder",
    "ELE": "Elektriciën",
    "ELT": "Specialist Elektrische Toegangsdeuren",
    "GEI": "Specialist Geiser",
    "GLA": "Glaszetter",
    "HOV": "Hovenier",
    "HYD": "Specialist Hydrofoor",
    "INS": "Inspecteur",
    "LIF": "Specialist Lift",
    "LOA": "Loodgieter allrounder",
    "LOO": "Loodgieter",
    "ONG": "Ongediertebestrijder",
    "ONT": "Ontstopper",
    "OVE": "Overig",
    "SCH": "Schilder",
    "SCM": "Schoonmaker",
    "STU": "Stucadoor",
    "TAL": "Timmerman allrounder",
    "TEG": "Tegelzetter",
    "TIM": "Timmerman",
    "VOC": "Specialist Vochtwering",
    "WIT": "Specialist Witgoed",
    "WTW": "Specialist MV/WTW",
    "ZON": "Specialist Zonnepanelen",
    "ZWE": "Specialist Zonwering",
}
