"""Fixtures for triage tests: plain data, no database."""

from __future__ import annotations

from pathlib import Path

import pytest

import server.triage
from server.triage import ClientCalendar, Protocol, default_protocol

WEEKDAYS_8_TO_5 = {day: [["08:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
SHIPPED = sorted(Path(server.triage.__file__).parent.glob("*.yaml"))


@pytest.fixture
def calendar() -> ClientCalendar:
    return ClientCalendar.from_settings(WEEKDAYS_8_TO_5)


@pytest.fixture
def protocol() -> Protocol:
    return default_protocol()


@pytest.fixture(params=SHIPPED, ids=lambda path: path.name)
def shipped(request: pytest.FixtureRequest) -> Path:
    """Every protocol file that ships with the product."""
    path: Path = request.param
    return path
