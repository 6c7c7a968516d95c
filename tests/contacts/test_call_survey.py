"""The survey after a call or e-mail: who is invited, when, how often, and by which channel.

The clock is fixed (tests/contacts/conftest.py: Tuesday 17 November 2026, 14:00 in
Amsterdam) and moved by time_machine where a test needs another moment.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import time_machine

from server import settings
from server.communication import call_surveys, links, sending
from server.contacts import contacts, retention, setup
from server.contacts.contacts import Registration
from server.dossiers import dossiers
from server.messaging.cm import CmSmsProvider
from server.models import CallSurvey, Contact, Dossier, OutboundMessage
from tests.contacts.support import LVD_LINE, NOW, TENANT, event, post
from tests.messaging import fake_cm
from tests.messaging.servers import serve
from tests.support import world
from tests.support.pages import csrf, login
from tests.support.world import token_for

pytestmark = pytest.mark.usefixtures("clock")

OTHER = "+31687654321"
AMS = ZoneInfo("Europe/Amsterdam")


async def finished(
    w: world.World,
    caller: str = TENANT,
    *,
    client: str = "WST",
    result: str = "algemene_vraag",
    channel: str = "telefoon_in",
) -> Contact:
    """A contact the desk registers by hand, finished at once (now)."""
    return await contacts.register(
        w.agent,
        None,
        Registration(
            client=client,
            subject="Vraag over de huur",
            result_code=result,
            caller=caller,
            channel=channel,
        ),
    )


async def invitations() -> list[OutboundMessage]:
    return await OutboundMessage.filter(kind="enquete_gesprek").order_by("id")


def at_local(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026 in Amsterdam (UTC+1)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=AMS).astimezone(UTC)


async def test_a_finished_call_invites_its_caller_once_a_day_whichever_client(
    w: world.World,
) -> None:
    first = await finished(w)
    (sms,) = await invitations()
    assert (sms.channel, sms.recipient, sms.dossier_id, sms.client_id) == (  # type: ignore[attr-defined]
        "sms",
        TENANT,
        None,
        w.woonstad.id,
    )
    link = links.url(first.id, links.CALL_SURVEY, NOW).split("/enquete-gesprek/")[0]
    assert sms.body.startswith(
        "Woonstad Utrecht: bedankt voor uw telefoongesprek van dinsdag 17 november. "
        "Hoe bent u geholpen? Geef uw mening in een minuut: "
    )
    assert f"{link}/enquete-gesprek/" in sms.body
    # Without an SMS provider it is recorded as not sent, as every tenant message.
    assert (sms.status, sms.last_error) == ("niet_verzonden", "kanaal niet ingesteld")
    assert await CallSurvey.filter(contact_id=first.id).count() == 1

    # The same caller later that day, written another way, on another client's line: no more.
    with time_machine.travel(NOW + timedelta(hours=5), tick=True):
        again = await finished(w, "06-12 34 56 78", client="LVD")
    assert again.caller == TENANT and again.state == "afgerond"
    assert len(await invitations()) == 1
    assert not await CallSurvey.exists(contact_id=again.id)

    # Another caller the same day has his own.
    await finished(w, OTHER)
    assert [m.recipient for m in await invitations()] == [TENANT, OTHER]

    # The next day the first caller is asked again.
    with time_machine.travel(at_local(18, 9), tick=True):
        await finished(w)
    assert [m.recipient for m in await invitations()] == [TENANT, OTHER, TENANT]


async def test_the_day_is_the_local_calendar_day_and_the_night_waits_for_the_morning(
    w: world.World,
) -> None:
    # 23:50 and 00:10 in Amsterdam: both on 17 November in UTC, two days here.
    with time_machine.travel(at_local(17, 23, 50), tick=True):
        await finished(w, OTHER)
    with time_machine.travel(at_local(18, 0, 10), tick=True):
        await finished(w, OTHER)
    late, after_midnight = await invitations()
    surveys = await CallSurvey.all().order_by("id")
    assert [s.day.isoformat() for s in surveys] == ["2026-11-17", "2026-11-18"]
    # Never urgent: held by quiet hours (21:00-08:00) until eight in the morning.
    eight = at_local(18, 8)
    assert late.deliver_after == eight and after_midnight.deliver_after == eight


async def test_no_invitation_for_geen_actie_outbound_calls_landlines_or_a_client_that_said_no(
    w: world.World,
) -> None:
    await finished(w, result="geen_actie")
    await finished(w, channel="telefoon_uit")
    await finished(w, "030 234 5678")  # a landline cannot take an SMS
    await finished(w, "huurder@example.org", channel="web")  # not a call or e-mail to us
    assert await invitations() == []
    # A client switches it off in its contact set-up (on by default).
    current = await setup.as_json(w.woonstad)
    assert current["call_survey"] is True
    await setup.replace(
        w.supervisor,
        w.woonstad,
        setup.Setup(
            current["greeting"], [], [], list(setup.codes_of(w.woonstad)), call_survey=False
        ),
    )
    await w.woonstad.refresh_from_db()
    await finished(w)
    assert await invitations() == []
    # ... and that was not the caller's survey of the day: another client's contact has it.
    await finished(w, client="LVD")
    assert [m.client_id for m in await invitations()] == [w.lichtveld.id]  # type: ignore[attr-defined]


async def test_an_email_contact_is_answered_by_email(w: world.World) -> None:
    contact = await finished(w, "Huurder@Example.org", channel="email")
    (mail,) = await invitations()
    assert (mail.channel, mail.recipient) == ("email", "huurder@example.org")
    assert mail.subject == "Hoe bent u geholpen? Uw e-mail met Woonstad Utrecht"
    assert "Bedankt voor uw e-mail met Woonstad Utrecht van dinsdag 17 november." in mail.body
    token = links.token(contact.id, links.CALL_SURVEY, NOW)
    assert f"/enquete-gesprek/{token}" in mail.body
    assert f'href="{settings.BASE_URL}/enquete-gesprek/{token}"' in mail.html


async def test_a_call_is_asked_about_once_it_has_ended_and_its_result_is_registered(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await post(http, event("s-1", "offered"))
    await post(http, event("s-1", "answered", 5))
    contact = await contacts.get(w.agent, (await Contact.get(call_id="api:s-1")).id)
    registered = await contacts.register(
        w.agent,
        contact,
        Registration(subject="Sleutel kwijt", result_code="doorverwezen"),
    )
    assert registered.state == "in_gesprek"
    assert await invitations() == []  # still talking
    await post(http, event("s-1", "ended", 200))
    (sms,) = await invitations()
    assert sms.recipient == TENANT
    # A correction afterwards asks nothing again.
    await contacts.register(
        w.agent, contact, Registration(subject="Sleutel kwijt", result_code="algemene_vraag")
    )
    assert len(await invitations()) == 1
    # A call nobody answered is not finished: no survey.
    await post(http, event("s-2", "offered", frm=OTHER, to=LVD_LINE))
    await post(http, event("s-2", "ended", 40, frm=OTHER, to=LVD_LINE))
    assert (await Contact.get(call_id="api:s-2")).state == "gemist"
    assert len(await invitations()) == 1


async def test_a_late_call_event_or_correction_of_an_old_contact_asks_nothing(
    http: httpx.AsyncClient, w: world.World
) -> None:
    # A platform catching up after an outage: the call ended two days ago.
    await post(http, event("old", "offered", -2 * 86400))
    await post(http, event("old", "answered", -2 * 86400 + 5))
    await post(http, event("old", "ended", -2 * 86400 + 90))
    contact = await Contact.get(call_id="api:old")
    contact.registered_at = NOW - timedelta(days=2)
    await contact.save()
    # registered at the time; the state is derived when it is next written
    await contacts.locked(contact, _nothing)
    assert (await Contact.get(id=contact.id)).state == "afgerond"
    assert await invitations() == []


async def _nothing(row: Contact, conn: Any) -> None:
    return None


async def test_the_caller_of_a_desk_dossier_gets_both_surveys_the_same_day(
    http: httpx.AsyncClient, w: world.World
) -> None:
    """The call survey when the call is finished; the job survey when the dossier is."""
    await post(http, event("d-1", "offered"))
    await post(http, event("d-1", "answered", 6))
    contact = await Contact.get(call_id="api:d-1")
    await login(http, "anna.agent")
    page = await http.get("/dossiers/nieuw")
    form = {
        "client": "WST",
        "postcode": "3572 AB",
        "house_number": "10",
        "contact_name": "Fatima el Amrani",
        "contact_phone": "06 12345678",
        "channel": "telefoon",
        "category": "elektra",
        "description": "Stroom valt steeds uit.",
        "contact": str(contact.id),
        "csrf_token": csrf(page.text),
    }
    assert (await http.post("/dossiers/nieuw", data=form)).status_code == 303
    assert await invitations() == []
    await post(http, event("d-1", "ended", 300))
    (call_invite,) = await invitations()
    assert "Fatima el Amrani" in call_invite.recipient_name
    dossier = await Dossier.get()
    with time_machine.travel(NOW + timedelta(hours=1), tick=True):
        await dossiers.transition(
            w.agent, dossier, "op_afstand_opgelost", {"result_code": "telefonisch_opgelost"}
        )
    kinds = (
        await OutboundMessage.filter(recipient=TENANT).order_by("id").values_list("kind", flat=True)
    )
    assert "enquete_gesprek" in kinds and "afgerond" in kinds


async def test_a_sms_held_for_the_night_goes_out_through_the_provider_in_the_morning(
    w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "SMS_PRODUCT_TOKEN", fake_cm.TOKEN)
    with time_machine.travel(at_local(17, 22, 15), tick=True):
        contact = await finished(w)
    (sms,) = await invitations()
    assert (sms.status, sms.deliver_after) == ("wachtrij", at_local(18, 8))
    app = fake_cm.app()
    async with serve(app) as url:
        cm = CmSmsProvider(
            product_token=fake_cm.TOKEN, sender="Meldkamer", url=f"{url}/v1.0/message"
        )
        try:
            outcome = await sending.send(sms.id, sending.Channels(sms=cm), at=at_local(18, 8, 1))
        finally:
            await cm.aclose()
    await sms.refresh_from_db()
    assert (outcome.status, sms.last_error) == ("verzonden", "")
    (sent,) = app.state.received
    text = sent["messages"]["msg"][0]["body"]["content"]
    token = links.token(contact.id, links.CALL_SURVEY, at_local(17, 22, 15))
    assert text.endswith(f"/enquete-gesprek/{token}")
    assert sent["messages"]["msg"][0]["to"] == [{"number": "0031612345678"}]


async def test_a_demo_client_never_sends_the_sms(
    w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "SMS_PRODUCT_TOKEN", fake_cm.TOKEN)
    w.woonstad.settings = {**w.woonstad.settings, "demo": True}
    await w.woonstad.save()
    await finished(w)
    (sms,) = await invitations()
    assert (sms.status, sms.last_error) == (
        "niet_verzonden",
        "niet verzonden: demo-opdrachtgever krijgt geen echte sms",
    )


async def test_retention_removes_the_caller_from_the_invitation(w: world.World) -> None:
    contact = await finished(w)
    assert await retention.anonymise_old(30, NOW + timedelta(days=31)) == 1
    (sms,) = await invitations()
    assert (sms.recipient, sms.recipient_name, sms.body) == ("", "", "")
    survey = await CallSurvey.get(contact_id=contact.id)
    assert survey.caller_key is None
    # The answer still counts for the dashboard: only who it was is gone.
    assert survey.client_id == w.woonstad.id


def test_the_caller_key_is_not_the_number() -> None:
    key = call_surveys.caller_key(TENANT)
    assert TENANT not in key and len(key) == 64
    assert key == call_surveys.caller_key(f" {TENANT} ")
    assert key != call_surveys.caller_key(OTHER)


async def test_supervisors_switch_it_per_client_on_the_page_and_in_the_api(
    http: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient], w: world.World
) -> None:
    await login(http, "sanne.supervisie")
    page = await http.get("/contactinstellingen/WST")
    assert 'name="call_survey" value="ja" checked' in page.text  # on by default
    form = {
        "csrf_token": csrf(page.text),
        "greeting": "{dagdeel}, {opdrachtgever}.",
        "inbound": "",
        "transfers": "",
        "result_codes": "opdracht | Leidt tot opdracht | dossier\nalgemene_vraag | Vraag",
    }
    assert (await http.post("/contactinstellingen/WST", data=form)).status_code == 303
    off = await http.get("/contactinstellingen/WST")
    assert 'name="call_survey" value="ja" checked' not in off.text
    await finished(w)
    assert await invitations() == []

    async with client_factory() as api:  # a token, not the page's session
        headers = await token_for(api, "sanne.supervisie")
        url = "/api/v1/clients/WST/contact-setup"
        body = (await api.get(url, headers=headers)).json()
        assert body["call_survey"] is False
        del body["client"]
        kept = await api.put(
            url, json={k: v for k, v in body.items() if k != "call_survey"}, headers=headers
        )
        assert kept.json()["call_survey"] is False  # omitted: unchanged
        bad = await api.put(url, json={**body, "call_survey": "misschien"}, headers=headers)
        assert bad.status_code == 422
        assert bad.json()["error"]["field"] == "call_survey"
        on = await api.put(url, json={**body, "call_survey": True}, headers=headers)
        assert on.json()["call_survey"] is True
        with time_machine.travel(NOW + timedelta(hours=1), tick=True):
            await finished(w, OTHER)
        assert [m.recipient for m in await invitations()] == [OTHER]
