"""docs/messaging.md stays true: kinds, variables, settings and the CM.com request format."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from server.messaging.cm import cm_request
from server.messaging.kinds import CHANNELS, Kind
from server.messaging.samples import SAMPLES

DOC = (Path(__file__).parents[2] / "docs" / "messaging.md").read_text(encoding="utf-8")
SETTINGS = [
    "SMS_PROVIDER_URL",
    "SMS_PRODUCT_TOKEN",
    "SMS_SENDER",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "SMTP_STARTTLS",
    "MAIL_FROM",
    "VAPID_PRIVATE_KEY",
    "VAPID_PUBLIC_KEY",
    "VAPID_SUBJECT",
    "QUIET_HOURS",
]


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_is_documented_with_its_channels_and_variables(kind: Kind) -> None:
    row = re.search(rf"^\| `{kind}` \|(.*)$", DOC, re.MULTILINE)
    assert row, f"{kind} missing from docs/messaging.md"
    cells = [cell.strip() for cell in row[1].split("|")]
    assert cells[1] == ", ".join(CHANNELS[kind])
    assert set(cells[2].split(", ")) == set(SAMPLES[kind].context())


@pytest.mark.parametrize("name", SETTINGS)
def test_settings_are_listed(name: str) -> None:
    assert re.search(rf"^\| `{name}` \|", DOC, re.MULTILINE), f"{name} not in the settings table"


def test_documented_request_is_what_we_send() -> None:
    documented = json.loads(DOC.split("### CM.com request")[1].split("```json")[1].split("```")[0])
    msg = documented["messages"]["msg"][0]
    sent = cm_request(
        product_token=documented["messages"]["authentication"]["producttoken"],
        sender=msg["from"],
        to_e164="+" + msg["to"][0]["number"][2:],
        text=msg["body"]["content"],
        reference=msg["reference"],
        max_parts=msg["maximumNumberOfMessageParts"],
    )
    assert sent == documented
