"""The survey after closing: once per dossier, clear Dutch errors, stored for the dashboard."""

from __future__ import annotations

import re

import httpx
import pytest

from server.communication import links
from server.dossiers import dossiers
from server.models import Survey
from tests.fieldwork.support import write_werkbon
from tests.support import world
from tests.support.channels import new_dossier, plan


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


ANSWERS = {"friendliness": "5", "expertise": "4", "helpfulness": "5", "solution": "3"}


async def _form(http: httpx.AsyncClient, url: str) -> str:
    page = await http.get(url)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


async def test_survey_is_answered_once(http: httpx.AsyncClient, w: world.World) -> None:
    d = await plan(w, await new_dossier(w))
    await dossiers.transition(w.tech_user, d, "in_uitvoering", {})
    await write_werkbon(w, d)
    await dossiers.transition(w.tech_user, d, "afgerond", {"result_code": "verholpen"})
    url = f"/enquete/{links.token(d.id, links.SURVEY)}"
    csrf = await _form(http, url)

    bad = await http.post(url, data={"csrf_token": csrf, **ANSWERS, "expertise": "9"})
    assert bad.status_code == 422
    assert "Kies voor vakkundigheid een cijfer van 1 tot 5 (niet &#39;9&#39;)." in bad.text
    assert await Survey.all().count() == 0

    ok = await http.post(url, data={"csrf_token": csrf, **ANSWERS, "remark": "Snel geholpen"})
    assert ok.status_code == 303
    survey = await Survey.get(dossier_id=d.id)
    assert (survey.friendliness, survey.expertise, survey.helpfulness, survey.solution) == (
        5,
        4,
        5,
        3,
    )
    assert survey.remark == "Snel geholpen" and survey.client_id == w.woonstad.id  # type: ignore[attr-defined]
    assert "Dank u wel voor uw antwoorden!" in (await http.get(f"{url}?bedankt=1")).text

    again = await http.post(url, data={"csrf_token": csrf, **ANSWERS})
    assert again.status_code == 409
    assert "U hebt de enquête voor deze melding al ingevuld." in again.text
    assert await Survey.all().count() == 1
    assert "al ingevuld" in (await http.get(url)).text


async def test_survey_waits_until_the_dossier_is_closed(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await new_dossier(w)
    url = f"/enquete/{links.token(d.id, links.SURVEY)}"
    csrf = await _form(http, url)
    early = await http.post(url, data={"csrf_token": csrf, **ANSWERS})
    assert early.status_code == 422
    assert "nog niet afgerond" in early.text
    assert await Survey.all().count() == 0
