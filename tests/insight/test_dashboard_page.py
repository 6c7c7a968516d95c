"""The dashboard page writes its figures the Dutch way (server/domain/dutch.py): 33,3% and
37,2 uur, not 33.3% and 37.2; on the hand-built week of tests/insight/known.py."""

from __future__ import annotations

import re

import httpx
import pytest

from server.auth.users import create_user
from tests.insight import known
from tests.support.pages import login
from tests.support.world import PASSWORD


@pytest.fixture
async def week(db_clean: None) -> known.Known:
    built = await known.build()
    await create_user("sanne.supervisie", "supervisor", PASSWORD)
    return built


async def test_figures_and_tables_read_as_dutch_numbers(
    http: httpx.AsyncClient, week: known.Known
) -> None:
    await login(http, "sanne.supervisie")
    page = await http.get("/dashboard?van=2025-03-24&tot=2025-03-30&klant=WST")
    assert page.status_code == 200, page.text
    text = re.sub(r"<[^>]+>", " ", page.text)
    # First time fix: 1 of 3 visited (tests/insight/test_figures.py); lead time p90 37,2 h.
    assert "33,3%" in text
    assert "37,2 uur" in text
    # No figure written the English way anywhere in the page's text.
    assert not re.findall(r"\b\d+\.\d+\s*(?:%|uur)", text)
