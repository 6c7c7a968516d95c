"""The dossier page's technician dropdown: suitable ones first, in ranked order with the reason;
then the others of the trade, then everyone else with his trades in words, not VERA codes."""

from __future__ import annotations

import re

import httpx
import pytest
import time_machine

from tests.dispatch.support import TUESDAY_10, UTRECHT, build, technician, triaged_dossier
from tests.support import world
from tests.support.pages import login


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await build()


def _groups(html: str) -> list[tuple[str, list[str]]]:
    select = re.search(r'<select name="technician_id" data-technicians>(.*?)</select>', html, re.S)
    assert select, "no technician dropdown"
    return [
        (label, re.findall(r"<option [^>]*>([^<]*)</option>", body))
        for label, body in re.findall(
            r'<optgroup label="([^"]*)">(.*?)</optgroup>', select[1], re.S
        )
    ]


async def test_suitable_technicians_first_with_their_reason(
    http: httpx.AsyncClient, w: world.World
) -> None:
    # Piet (LOO, CVI) is on duty at the Biltstraat; Jan is a plumber without a roster;
    # Kees an electrician; Tim a carpenter and glazier.
    await technician("Jan Loodgieter", ["LOO"], UTRECHT, roster=[])
    await technician("Tim Timmerman", ["TIM", "GLA"], UTRECHT)
    d = await triaged_dossier(w.agent, trade="LOO")
    with time_machine.travel(TUESDAY_10, tick=False):
        await login(http, "anna.agent")
        page = await http.get(f"/dossiers/{d.order_number}")
    assert _groups(page.text) == [
        (
            "Voorgesteld (Loodgieter), beste eerst",
            ["Piet Monteur — 1e keus: ter plaatse ca. 10:00, 0,0 km, 0 open"],
        ),
        (
            "Loodgieter, niet voorgesteld",
            [
                "Jan Loodgieter — niet voorgesteld: geen dienst op tijd, afwezig of buiten "
                "het werkgebied"
            ],
        ),
        (
            "Andere vakdiscipline",
            ["Kees Monteur — Elektriciën", "Tim Timmerman — Timmerman, Glaszetter"],
        ),
    ]
    # The suggestions card says why each stands where it does.
    assert '<p class="order-reason">Eerste keus: haalt de termijn; ter plaatse over 0 min.</p>' in (
        page.text
    )


async def test_without_a_trade_everyone_by_name_with_trades_in_words(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await triaged_dossier(w.agent, trade="LOO")
    d.trade = None
    await d.save(update_fields=["trade"])
    with time_machine.travel(TUESDAY_10, tick=False):
        await login(http, "anna.agent")
        page = await http.get(f"/dossiers/{d.order_number}")
    assert _groups(page.text) == [
        (
            "Alle monteurs (nog geen vakdiscipline)",
            ["Kees Monteur — Elektriciën", "Piet Monteur — Cv-installateur, Loodgieter"],
        )
    ]
