"""The demo's knowledge base: shared articles for the faults tenants call about most (the
seed's triage table), two of them linked to the default protocol's op_afstand_oplossen
outcomes, and one article of Woonstad's own; the demo's remotely solved calls are marked as
solved with the article their subject finds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from server.knowledge import articles
from server.knowledge.articles import ArticleInput
from server.models import Client, Contact, ContactArticle, KnowledgeArticle, User


@dataclass(frozen=True)
class Article:
    title: str
    body: str
    keywords: str = ""
    subject: str = ""
    outcome: str = ""
    client: str = ""  # a demo client's code; empty: shared


ARTICLES = (
    Article(
        "Cv-ketel: waterdruk te laag, zelf bijvullen",
        "Staat de drukmeter op de cv-ketel onder 1 bar, dan kan de huurder de installatie meestal "
        "zelf bijvullen.\n\n"
        "1. Zet de ketel uit of in de stand-by.\n"
        "2. Sluit de vulslang aan op de kraan en op het vulkraantje van de ketel.\n"
        "3. Draai beide langzaam open tot de drukmeter tussen 1,5 en 2 bar staat.\n"
        "4. Draai ze dicht, haal de slang weg en zet de ketel weer aan.\n\n"
        "Zakt de druk binnen een paar dagen weer, of geeft de ketel nog een storing? Dan maken "
        "wij een melding voor de cv-monteur.",
        "ketel druk bar bijvullen verwarming doet het niet radiator koud",
        "cv_storing",
        "cv_bijvullen",
    ),
    Article(
        "Stroom uitgevallen in een deel van de woning",
        "Eerst de stekkers eruit van de apparaten in de ruimte zonder stroom. Zet daarna in de "
        "meterkast de groep of de aardlekschakelaar die omlaag staat weer omhoog.\n\n"
        "Steek de stekkers één voor één terug. Slaat de schakelaar weer uit, dan is dat apparaat "
        "defect: laat het uit en gebruik het niet meer.\n\n"
        "Blijft de stroom uit, of slaat de schakelaar ook zonder apparaten uit? Dan maken wij "
        "een melding voor de elektricien. Heeft de hele straat geen stroom, bel dan de "
        "netbeheerder: 0800-9009.",
        "groep aardlekschakelaar kortsluiting meterkast licht doet het niet stopcontact",
        "elektra",
        "elektra_groepenkast",
    ),
    Article(
        "Gaslucht in of bij de woning",
        "Ruikt de huurder gas? Dit is altijd acuut.\n\n"
        "Zeg de huurder: gebruik geen schakelaars, deurbel of open vuur, draai de gaskraan bij de "
        "meter dicht, zet ramen en deuren open en ga naar buiten. Bel bij direct gevaar 112.\n\n"
        "Buiten de woning of op straat: het landelijk storingsnummer gas en stroom is 0800-9009. "
        "In de woning maken wij direct een spoedmelding.",
        "gas ruiken gaslek gaskraan",
        "gaslek",
    ),
    Article(
        "Druppelende kraan",
        "Een druppelende kraan is niet urgent. Draai de kraan stevig dicht; druppelt hij door, "
        "draai dan het stopkraantje onder het aanrecht of de wastafel dicht.\n\n"
        "Spuit er water uit een leiding of kraan en kan het water niet worden afgesloten, draai "
        "dan de hoofdkraan bij de watermeter dicht: dan is het acuut en maken wij direct een "
        "melding.\n\n"
        "Een nieuw leertje of kraanrubber is huurdersonderhoud; de huurder meldt een defecte "
        "kraan de eerstvolgende werkdag bij de verhuurder.",
        "kraan lekt druppelt mengkraan stopkraan leertje",
        "lekkage_waterleiding",
    ),
    Article(
        "Wc of afvoer verstopt",
        "Eerst zelf proberen: een ontstopper (plopper) op de afvoer van het toilet, de gootsteen "
        "of de douche, of een emmer heet water met soda. Geen agressieve ontstopper gebruiken.\n\n"
        "Loopt het toilet over, is het de enige wc in huis, of komt het water bij de buren "
        "omhoog? Dan is het urgent en maken wij een melding voor de loodgieter.\n\n"
        "Komt de verstopping door wat erin gegooid is (doekjes, luiers, vet), dan kunnen de "
        "kosten voor de huurder zijn.",
        "toilet verstopping afvoer loopt niet door gootsteen douche riool",
        "lekkage_afvoer",
    ),
    Article(
        "Buitengesloten: sleutel kwijt of vergeten",
        "Is de huurder buitengesloten, dan sturen wij direct een slotenmaker.\n\n"
        "Lees voor: de kosten worden doorberekend als de buitensluiting verwijtbaar is, "
        "bijvoorbeeld sleutels vergeten of verloren. In de avond en het weekend zijn de kosten "
        "voor eigen rekening.\n\n"
        "Is het slot kapot (het slot draait niet, de sleutel is afgebroken in het slot), dan is "
        "het reparatieonderhoud.",
        "sleutels buitensluiting slot deur dicht slotenmaker",
        "buitensluiting",
    ),
    Article(
        "Lekkage door het plafond",
        "Zet emmers of bakken neer, leg handdoeken of plastic folie over wat nat kan worden en "
        "zet de stroom uit in de ruimte als er water bij lampen of stopcontacten komt.\n\n"
        "Komt het water van de bovenburen, vraag hen dan hun hoofdkraan dicht te draaien. Is er "
        "groot gevolgschade risico, dan is het acuut.",
        "lekkage plafond water van boven bovenburen vocht nat",
        "lekkage_woning",
    ),
    Article(
        "Woonstad: reservesleutel bij de huismeester",
        "Huurders van Woonstad Utrecht in een complex met huismeester kunnen op werkdagen van "
        "8.00 tot 16.30 uur een reservesleutel ophalen bij de huismeester, als zij die daar in "
        "bewaring hebben gegeven.\n\n"
        "Buiten die tijden: buitensluiting volgens het protocol.",
        "sleutel reservesleutel huismeester buitengesloten",
        "buitensluiting",
        client="WST",
    ),
)


async def write_knowledge(
    clients: dict[str, Client], supervisor: User, now: datetime
) -> list[KnowledgeArticle]:
    """The articles, written a month ago by the demo's supervisor; and the calls solved
    remotely linked to the article their subject finds."""
    written = []
    for spec in ARTICLES:
        data = ArticleInput(
            spec.title,
            spec.body,
            spec.client,
            spec.keywords,
            spec.subject,
            spec.outcome,
            "Eerste versie",
        )
        written.append(await articles.create(supervisor, data, now - timedelta(days=30)))
    for contact in await Contact.filter(
        client_id__in=[c.id for c in clients.values()], result_code="op_afstand_opgelost"
    ):
        client = next(c for c in clients.values() if c.id == contact.client_id)
        found = await articles.find(supervisor, contact.subject, client.code, limit=1)
        if found.items:
            article = found.items[0]
            await ContactArticle.create(
                contact=contact,
                article=article,
                article_version=article.version,
                at=contact.closed_at or now,
            )
    return written
