"""Where the demo housing stock stands: districts of Utrecht, Nieuwegein, Houten and Zeist.

Street names are real streets of those districts; postcode ranges and BAG municipality codes
are the real ones, so the data looks right to someone who knows the region. House numbers,
postcodes per street and coordinates are made up around each district's centre.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class District:
    town: str
    name: str
    centre: tuple[float, float]  # latitude, longitude
    spread_km: float
    postcodes: tuple[int, int]  # first and last four-digit postcode
    municipality: str  # BAG gemeentecode, the first four digits of a BAG id
    streets: tuple[str, ...]


UTRECHT, NIEUWEGEIN, HOUTEN, ZEIST = "0344", "0356", "0321", "0355"

OVERVECHT = District(
    "Utrecht",
    "Overvecht",
    (52.1170, 5.1135),
    0.9,
    (3561, 3564),
    UTRECHT,
    (
        "Zamenhofdreef",
        "Neckardreef",
        "Tigrisdreef",
        "Donaudreef",
        "Gangesdreef",
        "Wolgadreef",
        "Moezeldreef",
        "Vechtdreef",
        "Camera Obscuradreef",
        "Marsdreef",
    ),
)
KANALENEILAND = District(
    "Utrecht",
    "Kanaleneiland",
    (52.0745, 5.0960),
    0.7,
    (3525, 3527),
    UTRECHT,
    (
        "Marshalllaan",
        "Churchilllaan",
        "Rooseveltlaan",
        "Trumanlaan",
        "Aziëlaan",
        "Columbuslaan",
        "Bernadottelaan",
        "Auriollaan",
    ),
)
LOMBOK = District(
    "Utrecht",
    "Lombok",
    (52.0925, 5.1005),
    0.35,
    (3531, 3532),
    UTRECHT,
    (
        "Kanaalstraat",
        "Damstraat",
        "Bankastraat",
        "Javastraat",
        "Sumatrastraat",
        "Balistraat",
        "Riouwstraat",
        "Billitonkade",
    ),
)
ZUILEN = District(
    "Utrecht",
    "Zuilen",
    (52.1080, 5.0955),
    0.5,
    (3553, 3555),
    UTRECHT,
    (
        "Prinses Margrietstraat",
        "Prinses Irenestraat",
        "Marnixlaan",
        "Bessemerstraat",
        "Burgemeester Norbruislaan",
        "Julianaweg",
        "Queeckhovenplein",
    ),
)
HOOGRAVEN = District(
    "Utrecht",
    "Hoograven",
    (52.0755, 5.1255),
    0.5,
    (3523, 3524),
    UTRECHT,
    (
        "Hooft Graaflandstraat",
        "Van Zijstweg",
        "Verlengde Hoogravenseweg",
        "Duurstedestraat",
        "Antonius Matthaeuslaan",
        "Linnaeusstraat",
    ),
)
LEIDSCHE_RIJN = District(
    "Utrecht",
    "Leidsche Rijn",
    (52.0990, 5.0560),
    0.9,
    (3541, 3546),
    UTRECHT,
    (
        "Langerakbaan",
        "Grauwaartsingel",
        "Terwijdelaan",
        "Vleutensebaan",
        "Veldhuizerweg",
        "Parkzichtlaan",
    ),
)
NIEUWEGEIN_NOORD = District(
    "Nieuwegein",
    "Zuilenstein en Batau",
    (52.0400, 5.0880),
    0.8,
    (3431, 3435),
    NIEUWEGEIN,
    (
        "Zuilenstein",
        "Dukatenburg",
        "Batauplein",
        "Wiersdijk",
        "Fokkesteeg",
        "Galecopperlaan",
        "Wijkersloot",
    ),
)
NIEUWEGEIN_ZUID = District(
    "Nieuwegein",
    "Vreeswijk en Doorslag",
    (52.0185, 5.0900),
    0.7,
    (3436, 3439),
    NIEUWEGEIN,
    (
        "Vreeswijksestraatweg",
        "Dorpsstraat",
        "Lekboulevard",
        "Hollandse IJsselkade",
        "Muntplein",
        "Herenstraat",
    ),
)
HOUTEN_DISTRICT = District(
    "Houten",
    "Houten",
    (52.0290, 5.1680),
    1.1,
    (3991, 3995),
    HOUTEN,
    (
        "Onderdoor",
        "Lobbendijk",
        "Spoorhaag",
        "Burgemeester Wallerweg",
        "Loerikseweg",
        "Schonauwensingel",
        "Oude Dijk",
        "Vogelmeent",
    ),
)
ZEIST_DISTRICT = District(
    "Zeist",
    "Zeist",
    (52.0890, 5.2330),
    1.0,
    (3701, 3709),
    ZEIST,
    (
        "Slotlaan",
        "Laan van Vollenhove",
        "Huis ter Heideweg",
        "Steynlaan",
        "Utrechtseweg",
        "Kroostweg",
        "Griffensteijnselaan",
        "Antonlaan",
    ),
)

# Where technicians live: town, latitude, longitude, postcode.
HOME_BASES: tuple[tuple[str, float, float, str], ...] = (
    ("Nieuwegein", 52.0301, 5.0812, "3433BR"),
    ("Utrecht", 52.1152, 5.1101, "3562CH"),
    ("Houten", 52.0251, 5.1702, "3992LM"),
    ("Zeist", 52.0868, 5.2410, "3703BK"),
    ("Utrecht", 52.0712, 5.1239, "3524EA"),
    ("IJsselstein", 52.0203, 5.0423, "3401HD"),
    ("Maarssen", 52.1355, 5.0351, "3603AT"),
    ("Utrecht", 52.1063, 5.0917, "3554GD"),
    ("Bunnik", 52.0671, 5.1982, "3981CP"),
    ("De Bilt", 52.1102, 5.1803, "3731GK"),
    ("Utrecht", 52.0762, 5.0982, "3526KL"),
    ("Nieuwegein", 52.0152, 5.0954, "3437JP"),
    ("Vleuten", 52.1060, 5.0150, "3451CE"),
)
