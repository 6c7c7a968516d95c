"""Contact tests run at a fixed moment (the clock running from there) in a small world with
telephony lines."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import time_machine

from tests.contacts.dovecot import WITHOUT_IDLE, Dovecot, binary, start
from tests.contacts.support import NOW, telephony
from tests.support import world


@pytest.fixture
def clock() -> Iterator[None]:
    """The clock at NOW, running: signatures and event moments are checked against it."""
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
async def w(db_clean: None) -> world.World:
    built = await world.build()
    await telephony(built)
    return built


def _need_dovecot() -> None:
    """Missing Dovecot fails in CI, else skips."""
    if binary() is None:
        message = "dovecot is missing (apt-get install dovecot-imapd; scripts/ensure-packages)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """A private Dovecot for the session."""
    _need_dovecot()
    yield from start()


@pytest.fixture(scope="session")
def dovecot_without_idle() -> Iterator[Dovecot]:
    """A second Dovecot that does not offer IDLE (imap_capability without it)."""
    _need_dovecot()
    yield from start(WITHOUT_IDLE)
