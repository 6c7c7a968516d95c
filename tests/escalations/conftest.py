from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.channels import Channels, running


@pytest.fixture
async def channels(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Channels]:
    """SMS and e-mail to local stand-ins, so the tenant's messages exist as in production."""
    async with running(monkeypatch) as found:
        yield found
