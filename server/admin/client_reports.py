"""A client's report settings on the admin screen: weekly and monthly report on or off, and
who receives them; every change in the client's change record like its other settings."""

from __future__ import annotations

from typing import Any

from server.admin import changes
from server.insight import client_report as reports
from server.models import Client, User


def view(client: Client) -> dict[str, Any]:
    """What the change record compares, as the form shows it."""
    return {
        "weekrapportage": reports.enabled(client, reports.WEEK),
        "maandrapportage": reports.enabled(client, reports.MONTH),
        "rapportageontvangers": ", ".join(reports.recipients_of(client)),
    }


async def save(by: User, client: Client, weekly: bool, monthly: bool, recipients: str) -> None:
    """Check the addresses (Unprocessable, nothing stored), then store and record."""
    addresses = reports.parse_recipients(recipients)
    before = view(client)
    client.settings = {
        **client.settings,
        reports.SETTING[reports.WEEK]: weekly,
        reports.SETTING[reports.MONTH]: monthly,
        reports.RECIPIENTS_SETTING: addresses,
    }
    await client.save(update_fields=["settings"])
    await changes.record(by, "client", client.id, changes.diff(before, view(client)))
