"""The survey page after a call: the link works once, an expired, broken or foreign link gets
a clear Dutch page, and no input makes a server error or stores half an answer."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote

import httpx
import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.communication import call_surveys, links
from server.contacts import contacts
from server.contacts.contacts import Registration
from server.models import CallSurvey, Contact
from tests.contacts.support import NOW, TENANT
from tests.support import world
from tests.support.pages import login

pytestmark = pytest.mark.usefixtures("clock")
ANSWERS = {"friendliness": "5", "expertise": "4", "helpfulness": "4", "solution": "3"}
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


async def _invited(w: world.World, caller: str = TENANT) -> Contact:
    return await contacts.register(
        w.agent,
        None,
        Registration(
            client="WST", subject="Lekkage", result_code="op_afstand_opgelost", caller=caller
        ),
    )


def _url(contact: Contact) -> str:
    return f"/enquete-gesprek/{links.token(contact.id, links.CALL_SURVEY, NOW)}"


async def _csrf(http: httpx.AsyncClient, url: str) -> str:
    page = await http.get(url)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


async def test_the_link_works_once(http: httpx.AsyncClient, w: world.World) -> None:
    contact = await _invited(w)
    url = _url(contact)
    page = await http.get(url)
    assert "Hoe bent u geholpen?" in page.text
    assert "Over uw telefoongesprek van dinsdag 17 november." in page.text
    assert "Woonstad Utrecht" in page.text
    assert "Hoe deskundig was de medewerker?" in page.text
    token = await _csrf(http, url)

    bad = await http.post(url, data={"csrf_token": token, **ANSWERS, "helpfulness": "0"})
    assert bad.status_code == 422
    assert "Kies voor behulpzaamheid een cijfer van 1 tot 5 (niet &#39;0&#39;)." in bad.text
    assert 'value="5" checked' in bad.text  # what was filled in stays
    assert (await CallSurvey.get(contact_id=contact.id)).submitted_at is None

    ok = await http.post(url, data={"csrf_token": token, **ANSWERS, "remark": "Vriendelijk!"})
    assert ok.status_code == 303
    assert ok.headers["location"] == f"{url}?bedankt=1"
    assert "Dank u wel voor uw antwoorden!" in (await http.get(ok.headers["location"])).text
    survey = await CallSurvey.get(contact_id=contact.id)
    assert (survey.friendliness, survey.expertise, survey.helpfulness, survey.solution) == (
        5,
        4,
        4,
        3,
    )
    assert (survey.remark, survey.agent_id, survey.agent_name) == (
        "Vriendelijk!",
        w.agent.id,
        str(w.agent),
    )

    again = await http.post(url, data={"csrf_token": token, **ANSWERS, "solution": "1"})
    assert again.status_code == 409
    assert "U hebt deze enquête al ingevuld. Dank u wel!" in again.text
    assert (await CallSurvey.get(contact_id=contact.id)).solution == 3
    shown = await http.get(url)
    assert "U hebt deze enquête al ingevuld." in shown.text
    assert "<form" not in shown.text.split("<main", 1)[-1]


async def test_expired_broken_and_uninvited_links_get_a_page_of_their_own(
    http: httpx.AsyncClient, w: world.World
) -> None:
    contact = await _invited(w)
    old = links.token(contact.id, links.CALL_SURVEY, NOW - timedelta(days=31))
    expired = await http.get(f"/enquete-gesprek/{old}")
    assert expired.status_code == 410
    assert "Link verlopen" in expired.text
    assert "Deze enquête is verlopen: u kon hem tot 30 dagen na uw gesprek invullen." in (
        expired.text
    )
    cut = _url(contact)[:-3]
    broken = await http.get(cut)
    assert broken.status_code == 404
    assert "Deze link klopt niet. Controleer of u de hele link hebt gebruikt." in broken.text
    # A job survey's token (another salt) or tracking link is no call survey link.
    dossier_token = links.token(contact.id, links.SURVEY, NOW)
    assert (await http.get(f"/enquete-gesprek/{dossier_token}")).status_code == 404
    # A contact whose caller was not invited (geen actie) has no survey to fill in.
    quiet = await contacts.register(
        w.agent,
        None,
        Registration(client="WST", subject="Mis", result_code="geen_actie", caller="+31687654321"),
    )
    missing = await http.get(_url(quiet))
    assert missing.status_code == 404
    assert "Deze link hoort bij geen enquête (meer)." in missing.text
    # Posting to a dead link stores nothing and says the same.
    posted = await http.post(f"/enquete-gesprek/{old}", data=ANSWERS)
    assert posted.status_code in (403, 410)  # no CSRF cookie, or the expired page
    assert await CallSurvey.filter(submitted_at__isnull=False).count() == 0


async def test_a_link_made_a_month_ago_expires_with_the_clock(
    http: httpx.AsyncClient, w: world.World
) -> None:
    contact = await _invited(w)
    url = _url(contact)
    with time_machine.travel(NOW + timedelta(days=29), tick=True):
        assert (await http.get(url)).status_code == 200
    with time_machine.travel(NOW + timedelta(days=31), tick=True):
        assert (await http.get(url)).status_code == 410


form_values = st.dictionaries(
    st.sampled_from(["friendliness", "expertise", "helpfulness", "solution", "remark", "x"]),
    st.one_of(
        st.sampled_from(["1", "5", "0", "6", "", " 3 ", "3.0", "-1", "٣", "²", "1e0"]),
        st.text(max_size=30),
        st.just("x" * 2001),
        st.just("4\x00"),
    ),
    max_size=6,
)


@FUZZ
@given(values=form_values)
async def test_any_form_gets_an_answer_in_dutch_and_never_half_a_survey(
    http: httpx.AsyncClient, w: world.World, values: dict[str, str]
) -> None:
    contact = await Contact.filter(caller=TENANT).first() or await _invited(w)
    url = _url(contact)
    token = await _csrf(http, url)
    response = await http.post(url, data={"csrf_token": token, **values})
    survey = await CallSurvey.get(contact_id=contact.id)
    assert response.status_code in (303, 409, 422), response.text
    if response.status_code == 422:
        assert any(
            words in response.text for words in ("cijfer van 1 tot 5", "tekens", "ongeldig teken")
        ), response.text
    if response.status_code == 303:
        assert survey.submitted_at is not None
        for name in ("friendliness", "expertise", "helpfulness", "solution"):
            assert getattr(survey, name) in {1, 2, 3, 4, 5}
        # Start the next example from an unanswered survey.
        await CallSurvey.filter(id=survey.id).update(
            submitted_at=None,
            friendliness=None,
            expertise=None,
            helpfulness=None,
            solution=None,
            remark="",
        )
    else:
        assert survey.submitted_at is None and survey.friendliness is None


async def test_the_contact_page_shows_the_invitation_and_the_answer(
    http: httpx.AsyncClient, w: world.World
) -> None:
    contact = await _invited(w)
    await login(http, "anna.agent")
    page = (await http.get(f"/contacten/{contact.id}")).text
    assert "uitgenodigd per sms: niet verzonden (kanaal niet ingesteld); nog niet ingevuld" in page
    survey = await CallSurvey.get(contact_id=contact.id)
    await call_surveys.submit(survey, {**ANSWERS, "remark": "Top"})
    page = (await http.get(f"/contacten/{contact.id}")).text
    assert (
        "Vriendelijkheid 5, Deskundigheid 4, Behulpzaamheid 4, Oplossing 3. "
        "Opmerking: <q>Top</q>" in page
    )
    await login(http, "wim.woonstad")  # the client's own contact: read-only, with the answer
    assert "Deskundigheid 4" in (await http.get(f"/contacten/{contact.id}")).text
    await login(http, "lisa.lichtveld")
    assert (await http.get(f"/contacten/{contact.id}")).status_code == 404


@FUZZ
@given(token=st.text(min_size=1, max_size=80))
async def test_any_token_is_a_dutch_404_or_410(
    http: httpx.AsyncClient, w: world.World, token: str
) -> None:
    # A token ending in "/" (an encoded slash is a slash to the router) is first sent to the
    # same address without it.
    response = await http.get(f"/enquete-gesprek/{quote(token, safe='')}", follow_redirects=True)
    assert response.status_code in (404, 410), (token, response.status_code)
    if response.status_code == 404 and "<h1>" in response.text:
        assert "Link niet bruikbaar" in response.text or "niet gevonden" in response.text.lower()
