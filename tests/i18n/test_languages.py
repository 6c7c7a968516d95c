"""Tenants read their pages in Dutch or English (server/i18n): every marked text has its
translation, the tenant's pick sticks (to the device and the dossier), a browser that asks for
English gets it, and staff screens stay Dutch."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from server import i18n
from server.communication import communication, links
from server.dossiers import dossiers
from server.models import Dossier
from tests.support import world
from tests.support.channels import new_dossier, plan

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|\{[a-z_]+\}")


def _marked() -> set[str]:
    """Every text marked for translation, found as scripts/messages finds them (babel.cfg)."""
    found: set[str] = set()
    method_map = [("server/**.py", "python"), ("pwa/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords=keywords
    ):
        found.update([message] if isinstance(message, str) else message)
    return found


@pytest.mark.parametrize("language", [code for code in i18n.LANGUAGES if code != i18n.SOURCE])
def test_every_marked_text_is_translated_with_the_same_placeholders(language: str) -> None:
    path = i18n.LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    translated = {m.id: m.string for m in catalog if m.id and not m.fuzzy}
    marked = _marked()
    assert len(marked) > 30  # the extraction itself found the tracking page's texts
    missing = sorted(text for text in marked if not translated.get(text))
    assert not missing, f"untranslated in {language} (run scripts/messages, then translate)"
    for text in marked:
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(translated[text])), (
            text
        )


def test_the_language_a_tenant_gets() -> None:
    assert i18n.choose() == "nl"
    assert i18n.choose(asked="EN", cookie="nl", stored="nl") == "en"
    assert i18n.choose(asked="fr", cookie="en") == "en"
    assert i18n.choose(stored="en", accept_language="nl") == "en"
    assert i18n.choose(accept_language="en-GB,en;q=0.9,nl;q=0.8") == "en"
    assert i18n.choose(accept_language="de-DE, fr;q=0.7") == "nl"
    assert i18n.choose(accept_language=";;q=,") == "nl"


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def test_tracking_page_in_the_tenants_language_sticks_to_device_and_dossier(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await plan(w, await new_dossier(w), timedelta(minutes=30))
    await communication.technician_on_the_way(d, dossiers.now() + timedelta(minutes=20))
    url = f"/volg/{links.token(d.id, links.TRACKING)}"

    dutch = await http.get(url)
    assert '<html lang="nl">' in dutch.text
    assert "Er is een afspraak met de monteur." in dutch.text and "Piet is onderweg" in dutch.text
    assert 'hreflang="en"' in dutch.text

    english = await http.get(url, params={"taal": "en"})
    assert english.status_code == 200
    assert '<html lang="en">' in english.text
    assert "An appointment with the technician has been made." in english.text
    assert "Piet is on the way" in english.text and d.order_number in english.text
    assert "Er is een afspraak" not in english.text
    assert (await Dossier.get(id=d.id)).language == "en"

    # The device remembers the pick; a new device gets the dossier's language.
    assert "Your report" in (await http.get(url)).text
    http.cookies.clear()
    assert "Your report" in (await http.get(url)).text
    back = await http.get(url, params={"taal": "nl"})
    assert "Uw melding" in back.text and (await Dossier.get(id=d.id)).language == "nl"


async def test_a_browser_asking_for_english_gets_it_and_nonsense_gets_dutch(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await new_dossier(w)
    url = f"/volg/{links.token(d.id, links.TRACKING)}"
    asked = await http.get(url, headers={"Accept-Language": "en-US,en;q=0.8"})
    assert "Your report has been received." in asked.text
    assert (await Dossier.get(id=d.id)).language is None  # only a pick is recorded
    for nonsense in ("xx", "../en", "e" * 300, "nl-en"):
        page = await http.get(url, params={"taal": nonsense})
        assert page.status_code == 200 and "Uw melding is ontvangen." in page.text, nonsense
    http.cookies.clear()  # "nl-en" was a pick of Dutch, which this device now remembers
    broken = await http.get(url[:-3] + "xyz", headers={"Accept-Language": "en"})
    assert broken.status_code == 404
    assert "This link is not correct." in broken.text and d.order_number not in broken.text


async def test_staff_screens_stay_dutch_after_a_tenant_read_english(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await new_dossier(w)
    await http.get(f"/volg/{links.token(d.id, links.TRACKING)}", params={"taal": "en"})
    # The language lives in the request that set it, never in the next one's.
    assert i18n.current() == "nl"
    from server.domain import tenant_view

    assert tenant_view.status_text("nieuw") == "Uw melding is ontvangen."
