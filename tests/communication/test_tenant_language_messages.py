"""A tenant's messages come in their dossier's language: an English dossier's built-in texts are
English (dates too), a Dutch one's are as they were; a client's own texts are Dutch and reach
only Dutch tenants, unless the client also has its own English text."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from server.communication import communication
from server.messaging.templates import TemplateProblem, validate_template
from server.models import Client, Dossier, OutboundMessage
from tests.support import world
from tests.support.channels import new_dossier, plan

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=AMS)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def planned(w: world.World, language: str | None) -> Dossier:
    d = await new_dossier(w)
    await Dossier.filter(id=d.id).update(language=language)
    d = await Dossier.get(id=d.id)
    return await plan(w, d)


async def texts(d: Dossier, kind: str) -> dict[str, str]:
    rows = await OutboundMessage.filter(dossier_id=d.id, kind=kind)
    return {r.channel: f"{r.subject}\n{r.body}" for r in rows}


async def test_an_english_dossiers_messages_are_english_and_a_dutch_ones_unchanged(
    w: world.World,
) -> None:
    with time_machine.travel(MONDAY_10, tick=False):
        english = await planned(w, "en")
        dutch = await planned(w, None)
        for d in (english, dutch):
            await communication.technician_on_the_way(d, MONDAY_10 + timedelta(minutes=20))
    en, nl = await texts(english, "afspraak_ingepland"), await texts(dutch, "afspraak_ingepland")
    assert "there is an appointment for your report" in en["sms"]
    assert "on Tuesday 24 November between 10:00 and 12:00" in en["sms"]
    assert "Appointment Tuesday 24 November between 10:00 and 12:00" in en["email"]
    assert "Dear Fatima el Amrani" in en["email"] and "Kind regards" in en["email"]
    assert "er is een afspraak voor uw melding" in nl["sms"]
    assert "op dinsdag 24 november tussen 10:00 en 12:00" in nl["sms"]
    assert "Beste Fatima el Amrani" in nl["email"]
    # One e-mail layout for every language (with the client's logo and colour), naming it.
    html = {
        r.dossier_id: r.html
        for r in await OutboundMessage.filter(kind="afspraak_ingepland", channel="email")
    }
    assert '<html lang="en">' in html[english.id] and '<html lang="nl">' in html[dutch.id]
    for word in ("afspraak", "Beste", "dinsdag"):
        assert word not in en["sms"] + en["email"], word
    # The next morning's job: the appointment time, in the tenant's language.
    on_the_way = await texts(english, "monteur_onderweg")
    assert "comes for your report" in on_the_way["sms"]
    assert "at the agreed time: Tuesday 24 November at 10:00" in on_the_way["sms"]
    assert (
        "op de afgesproken tijd: dinsdag 24 november om 10:00"
        in (await texts(dutch, "monteur_onderweg"))["sms"]
    )


async def test_a_clients_own_dutch_text_is_not_sent_to_an_english_tenant(
    w: world.World,
) -> None:
    client = await Client.get(code="WST")
    own = {"afspraak_ingepland/sms.txt": "Eigen tekst {{ ordernummer }}"}
    await Client.filter(id=client.id).update(settings={**client.settings, "message_templates": own})
    english, dutch = await planned(w, "en"), await planned(w, "nl")
    assert (await texts(dutch, "afspraak_ingepland"))["sms"].endswith(
        f"Eigen tekst {dutch.order_number}"
    )
    assert "there is an appointment" in (await texts(english, "afspraak_ingepland"))["sms"]
    # With its own English text too, the English tenant gets that one.
    own["en/afspraak_ingepland/sms.txt"] = "Own text {{ ordernummer }}"
    await Client.filter(id=client.id).update(settings={**client.settings, "message_templates": own})
    again = await planned(w, "en")
    assert (await texts(again, "afspraak_ingepland"))["sms"].endswith(
        f"Own text {again.order_number}"
    )


def test_a_clients_own_english_text_is_checked_like_a_dutch_one() -> None:
    name = "en/afspraak_ingepland/sms.txt"
    validate_template("Appointment {{ van|moment }} ({{ ordernummer }})", name)
    with pytest.raises(TemplateProblem, match="Onbekende variabele in sjabloon: datum_tijd"):
        validate_template("{{ datum_tijd }}", name)
    with pytest.raises(TemplateProblem, match="Onbekend sjabloon"):
        validate_template("x", "en/piket/sms.txt")  # client messages have no English
