"""Every cell of the seed's triage table, as answers and the expected result per moment.

`seed` quotes the cell; decisions about the seed are explained in docs/protocol.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .moments import Moment

# (urgency, action, order type, trade)
Expected = tuple[str, str, str | None, str | None]


@dataclass(frozen=True)
class Cell:
    subject: str
    seed: str
    answers: dict[str, str]
    expect: Callable[[Moment], Expected]


def always(*expected: str | None) -> Callable[[Moment], Expected]:
    result: Expected = (str(expected[0]), str(expected[1]), expected[2], expected[3])
    return lambda moment: result


def winter_or_summer(winter: Expected, summer: Expected) -> Callable[[Moment], Expected]:
    return lambda moment: winter if moment.winter else summer


def office_unreachable_or_not(
    unreachable: Expected, reachable: Expected
) -> Callable[[Moment], Expected]:
    return lambda moment: unreachable if moment.office_unreachable else reachable


NO = {"bewoonbaarheid": "nee"}
CV = {**NO, "waterdruk": "in_orde"}
REP = "reparatieonderhoud"

CV_ACUUT: Expected = ("acuut", "spoedopdracht", REP, "CVI")
CV_URGENT: Expected = ("urgent", "opdracht_24u", REP, "CVI")
CV_NIET_URGENT: Expected = ("niet_urgent", "huurder_belt_kantoor", REP, "CVI")


def urgent_if_office_unreachable(trade: str) -> Callable[[Moment], Expected]:
    return office_unreachable_or_not(
        ("urgent", "opdracht_24u", REP, trade), ("niet_urgent", "huurder_belt_kantoor", REP, trade)
    )


CELLS = [
    # cv-storing zomer en winter
    Cell(
        "cv_storing",
        "Geen warm water en medische noodzaak",
        {**CV, "wat": "geen_warm_water", "medische_noodzaak": "ja"},
        always(*CV_ACUUT),
    ),
    Cell(
        "cv_storing",
        "Geen warm water en geen verwarming, medische noodzaak",
        {**CV, "wat": "geen_warm_water_en_verwarming", "medische_noodzaak": "ja"},
        always(*CV_ACUUT),
    ),
    Cell(
        "cv_storing",
        "Geen warm water zonder medische noodzaak",
        {**CV, "wat": "geen_warm_water", "medische_noodzaak": "nee"},
        always(*CV_URGENT),
    ),
    Cell(
        "cv_storing",
        "Geen warm water en geen verwarming, zonder medische noodzaak",
        {**CV, "wat": "geen_warm_water_en_verwarming", "medische_noodzaak": "nee"},
        always(*CV_URGENT),
    ),
    Cell(
        "cv_storing",
        "Geen verwarming: winter urgent, zomer niet urgent",
        {**CV, "wat": "geen_verwarming"},
        winter_or_summer(CV_URGENT, CV_NIET_URGENT),
    ),
    Cell(
        "cv_storing",
        "Drukmeter weet niet: gewoon verder met de tabel",
        {**NO, "waterdruk": "onbekend", "wat": "geen_warm_water", "medische_noodzaak": "nee"},
        always(*CV_URGENT),
    ),
    Cell(
        "cv_storing",
        "(besluit) druk onder 1 bar: op afstand oplossen",
        {**NO, "waterdruk": "onder_1_bar"},
        always("niet_urgent", "op_afstand_oplossen", None, "CVI"),
    ),
    # Lekkage aan woning
    Cell(
        "lekkage_woning",
        "Bij zeer groot gevolgschade risico",
        {**NO, "gevolgschade": "zeer_groot"},
        always("acuut", "spoedopdracht", REP, "DAK"),
    ),
    Cell(
        "lekkage_woning",
        "Indien kantoor niet binnen 24 uur bereikbaar is, dan behandelen als urgent",
        {**NO, "gevolgschade": "beperkt", "afdekken": "nee"},
        urgent_if_office_unreachable("DAK"),
    ),
    Cell(
        "lekkage_woning",
        "Bij beperkt gevolgschade risico; indien te beperken door afdekken of opvangen",
        {**NO, "gevolgschade": "beperkt", "afdekken": "ja"},
        always("niet_urgent", "huurder_belt_kantoor", REP, "DAK"),
    ),
    # Lekkage aanvoerleidingen water
    Cell(
        "lekkage_waterleiding",
        "Gesprongen (spuitende) niet afsluitbare leiding",
        {**NO, "lekkage": "gesprongen", "afsluitbaar": "nee"},
        always("acuut", "spoedopdracht", REP, "LOO"),
    ),
    Cell(
        "lekkage_waterleiding",
        "Gesprongen leiding wel afsluitbaar",
        {**NO, "lekkage": "gesprongen", "afsluitbaar": "ja"},
        always("urgent", "opdracht_24u", REP, "LOO"),
    ),
    Cell(
        "lekkage_waterleiding",
        "Druppelende waterleiding (in 001 in de gasrij)",
        {**NO, "lekkage": "druppelend"},
        always("niet_urgent", "huurder_belt_kantoor", REP, "LOO"),
    ),
    # Lekkage aanvoerleidingen gas
    *(
        Cell(
            "gaslek",
            f"Gaslek (of vermoeden tot): {where}",
            {"waar": where},
            always("acuut", "spoedopdracht", REP, "CVI"),
        )
        for where in ("woning", "meterkast", "buiten")
    ),
    # Lekkage afvoeren
    Cell(
        "lekkage_afvoer",
        "Indien ernstige belemmering voor bewoning",
        {**NO, "belemmering": "ja"},
        always("urgent", "opdracht_24u", REP, "LOO"),
    ),
    Cell(
        "lekkage_afvoer",
        "Indien groot gevolgschade risico",
        {**NO, "belemmering": "nee", "gevolgschade": "groot"},
        always("urgent", "opdracht_24u", REP, "LOO"),
    ),
    Cell(
        "lekkage_afvoer",
        "Indien te beperken door afdekken of opvangen",
        {**NO, "belemmering": "nee", "gevolgschade": "te_beperken"},
        always("niet_urgent", "huurder_belt_kantoor", REP, "LOO"),
    ),
    # Elektra
    Cell(
        "elektra",
        "Algehele stroomuitval",
        {**NO, "omvang": "algeheel", "buren": "ja"},
        always("acuut", "spoedopdracht", REP, "ELE"),
    ),
    Cell(
        "elektra",
        "(besluit) algehele stroomuitval in de hele buurt: netbeheerder",
        {**NO, "omvang": "algeheel", "buren": "nee"},
        always("acuut", "doorverwijzen", None, "ELE"),
    ),
    Cell(
        "elektra",
        "Gedeeltelijke stroomuitval incl. uitval cv-installatie",
        {**NO, "omvang": "gedeeltelijk", "groepenkast": "helpt_niet", "cv_uitval": "ja"},
        always("urgent", "opdracht_24u", REP, "ELE"),
    ),
    Cell(
        "elektra",
        "Indien kantoor niet binnen 24 uur bereikbaar is en de stroomuitval belemmering vormt",
        {
            **NO,
            "omvang": "gedeeltelijk",
            "groepenkast": "helpt_niet",
            "cv_uitval": "nee",
            "belemmering": "ja",
        },
        urgent_if_office_unreachable("ELE"),
    ),
    Cell(
        "elektra",
        "Gedeeltelijke stroomuitval excl. cv-installatie",
        {
            **NO,
            "omvang": "gedeeltelijk",
            "groepenkast": "helpt_niet",
            "cv_uitval": "nee",
            "belemmering": "nee",
        },
        always("niet_urgent", "huurder_belt_kantoor", REP, "ELE"),
    ),
    Cell(
        "elektra",
        "(besluit) groep nog niet ingeschakeld: op afstand oplossen",
        {**NO, "omvang": "gedeeltelijk", "groepenkast": "nog_niet"},
        always("niet_urgent", "op_afstand_oplossen", None, "ELE"),
    ),
    # Inbraak
    Cell(
        "inbraak",
        "Indien woning niet meer afsluitbaar is",
        {**NO, "afsluitbaar": "nee"},
        always("acuut", "spoedopdracht", REP, "TIM"),
    ),
    Cell(
        "inbraak",
        "Indien woning afsluitbaar is (evt. met noodvoorziening)",
        {**NO, "afsluitbaar": "ja"},
        always("niet_urgent", "huurder_belt_kantoor", REP, "TIM"),
    ),
    # Calamiteit brand
    Cell("brand", "Altijd", {}, always("acuut", "spoedopdracht", REP, "TIM")),
    # Calamiteit storm
    Cell(
        "storm",
        "Bij groot gevolgschade risico",
        {**NO, "gevolgschade": "groot"},
        always("acuut", "spoedopdracht", REP, "DAK"),
    ),
    Cell(
        "storm",
        "Indien kantoor niet binnen 24 uur bereikbaar en huurder geen noodvoorziening kan treffen",
        {**NO, "gevolgschade": "beperkt", "noodvoorziening": "nee"},
        urgent_if_office_unreachable("DAK"),
    ),
    Cell(
        "storm",
        "Bij beperkt gevolgschade risico; indien te beperken door afdekken of opvangen",
        {**NO, "gevolgschade": "beperkt", "noodvoorziening": "ja"},
        always("niet_urgent", "huurder_belt_kantoor", REP, "DAK"),
    ),
    # Calamiteit overig
    Cell(
        "calamiteit_overig",
        "Bij risico bewoonbaarheid",
        {"bewoonbaarheid": "ja"},
        always("acuut", "spoedopdracht", REP, "OVE"),
    ),
    Cell(
        "calamiteit_overig",
        "(besluit) geen risico bewoonbaarheid: een calamiteit is ten minste urgent",
        NO,
        always("urgent", "opdracht_24u", REP, "OVE"),
    ),
    # Boiler
    Cell(
        "boiler",
        "Op basis van inschatting",
        {**NO, "gevaar": "ja"},
        always("acuut", "spoedopdracht", REP, "CVI"),
    ),
    Cell(
        "boiler",
        "Zonneboilers zijn nooit urgent",
        {**NO, "gevaar": "nee", "soort": "zonneboiler"},
        always("niet_urgent", "huurder_belt_kantoor", REP, "CVI"),
    ),
    Cell(
        "boiler",
        "Geen reguliere boilers in bezit",
        {**NO, "gevaar": "nee", "soort": "andere"},
        always("niet_urgent", "huurder_belt_kantoor", REP, "CVI"),
    ),
    # Buitensluiting
    Cell(
        "buitensluiting",
        "Altijd; kosten doorberekend indien verwijtbare buitensluiting",
        {"oorzaak": "verwijtbaar"},
        always("acuut", "spoedopdracht", "rekening_huurder", "TIM"),
    ),
    Cell(
        "buitensluiting",
        "Altijd (niet verwijtbaar)",
        {"oorzaak": "slot_defect"},
        always("acuut", "spoedopdracht", REP, "TIM"),
    ),
    # Glasschade
    Cell(
        "glasschade",
        "Bij volledige breuk, gat in ruit, woning is hierdoor niet meer dicht",
        {**NO, "schade": "breuk"},
        always("acuut", "spoedopdracht", "glasfonds", "GLA"),
    ),
    Cell(
        "glasschade",
        "(besluit) gebroken ruit met direct gevaar",
        {**NO, "schade": "gevaar"},
        always("acuut", "spoedopdracht", "glasfonds", "GLA"),
    ),
    Cell(
        "glasschade",
        "Scheur in ruit, ruit nog in sponning, geen direct gevaar",
        {**NO, "schade": "scheur"},
        always("niet_urgent", "huurder_belt_kantoor", "glasfonds", "GLA"),
    ),
    # Referral subjects (seed 003 and the design)
    Cell(
        "lift",
        "Iemand opgesloten in de lift",
        {"opgesloten": "ja"},
        always("acuut", "doorverwijzen", None, "LIF"),
    ),
    Cell(
        "lift",
        "Lift buiten werking",
        {"opgesloten": "nee", **NO, "buiten_werking": "ja"},
        always("urgent", "doorverwijzen", None, "LIF"),
    ),
    Cell(
        "lift",
        "Lift werkt, overige klacht",
        {"opgesloten": "nee", **NO, "buiten_werking": "nee"},
        always("niet_urgent", "doorverwijzen", None, "LIF"),
    ),
    Cell(
        "monitoring",
        "Stap 1: doorverwijzen naar de aanbieder van het adres",
        {**NO, "soort": "nieuwe_vraag"},
        always("niet_urgent", "doorverwijzen", None, None),
    ),
    Cell(
        "monitoring",
        "Stap 2-3: ontevreden over afhandeling, naar projectleider binnen 24 uur",
        {**NO, "soort": "afhandeling"},
        always("urgent", "escaleren", None, None),
    ),
    Cell(
        "overig",
        "Overig in de woning, binnen 24 uur",
        {**NO, "soort": "woning", "spoed": "ja"},
        always("urgent", "opdracht_24u", REP, "OVE"),
    ),
    Cell(
        "overig",
        "Overig in de woning, niet urgent",
        {**NO, "soort": "woning", "spoed": "nee"},
        always("niet_urgent", "huurder_belt_kantoor", REP, "OVE"),
    ),
    Cell(
        "overig",
        "Algemene ruimte: huismeester",
        {**NO, "soort": "algemene_ruimte"},
        always("niet_urgent", "doorverwijzen", None, None),
    ),
    Cell(
        "overig",
        "VvE: VvE-beheerder",
        {**NO, "soort": "vve"},
        always("niet_urgent", "doorverwijzen", None, None),
    ),
]
