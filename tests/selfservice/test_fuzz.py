"""Every input of online reporting, fuzzed: any text in any field of any step gets a page with
a clear message (or goes on), never a server error, and never a step taken out of turn."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.domain.errors import AppError
from server.models import Dossier, LoginThrottle, ReportDraft
from server.selfservice import reporting
from server.selfservice.booking import Offer
from tests.selfservice.support import PAGE, confirmed, open_online, post
from tests.support import world

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
text = st.text(max_size=300)
# What a browser can send in a form field (no lone surrogates).
field = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
STEPS = {
    "adres": ("postcode", "huisnummer", "toevoeging", "contact"),
    "code": ("code",),
    "woning": ("postcode", "huisnummer", "toevoeging"),
    "onderwerp": ("naam", "onderwerp"),
    "antwoord": ("vraag", "antwoord"),
    "details": ("omschrijving",),
    "versturen": ("tijd", "bellen"),
}


@pytest.fixture
async def w(db_clean: None) -> world.World:
    built = await world.build()
    await open_online(built)
    return built


@given(postcode=text, number=text, suffix=text)
def test_a_home_is_checked_or_refused_with_a_message(
    postcode: str, number: str, suffix: str
) -> None:
    try:
        home = reporting.check_home(postcode, number, suffix)
    except AppError as exc:
        assert exc.status == 422 and exc.field in ("postcode", "house_number", "suffix")
        return
    assert len(home.postcode) == 6 and 0 < home.house_number < 100_000 and len(home.suffix) <= 10


@given(contact=text)
def test_a_number_or_address_is_checked_or_refused_with_a_message(contact: str) -> None:
    try:
        found = reporting.check_contact(contact)
    except AppError as exc:
        assert exc.status == 422 and exc.field == "contact"
        return
    assert found.startswith("+") or "@" in found


@given(raw=text)
def test_a_posted_time_is_read_or_ignored(raw: str) -> None:
    offer = Offer.parse(raw)
    assert offer is None or (offer.start.tzinfo is not None and offer.value.count("|") == 2)


@FUZZ
@given(step=st.sampled_from(sorted(STEPS)), values=st.lists(field, min_size=4, max_size=4))
async def test_any_form_in_any_step_gets_an_answer(
    http: httpx.AsyncClient, w: world.World, step: str, values: list[str]
) -> None:
    await LoginThrottle.all().delete()
    if not await ReportDraft.filter(verified_at__isnull=False).exists():
        await confirmed(http)
    data = dict(zip(STEPS[step], values, strict=False))
    response = await post(http, step, data)
    assert response.status_code in (303, 400, 422, 429), (step, data, response.status_code)
    if response.status_code == 422:  # the step's own message, or the app's for a control char
        assert 'class="error"' in response.text or "ongeldig teken" in response.text
    assert await Dossier.filter(channel="web").count() <= 1
    assert (await http.get(PAGE)).status_code == 200
