"""SMS delivery reports from the provider's webhook: 'afgeleverd' or 'mislukt' on the outbox
row and the dossier timeline. Only references we sent are matched; repeats change nothing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from server.communication import message_log
from server.messaging.cm import parse_delivery_report
from server.messaging.sms import DeliveryStatus
from server.models import OutboundMessage

_DONE = frozenset({"afgeleverd", "mislukt", "niet_verzonden"})


async def apply(data: Mapping[str, Any]) -> str:
    """Apply one report; returns the message's status, or '' when the reference is not ours.

    Raises `InvalidDeliveryReport` (a ValueError) for data that is no report at all.
    """
    report = parse_delivery_report(data)
    row = await OutboundMessage.get_or_none(channel="sms", provider_id=report.reference)
    if row is None:
        return ""
    if row.status in _DONE:
        return row.status  # CM repeats reports until it gets a 2xx; the first one counts
    at = datetime.now(UTC)
    if report.status == DeliveryStatus.DELIVERED:
        await message_log.finish(row, "afgeleverd", "", at)
    elif report.status in (DeliveryStatus.FAILED, DeliveryStatus.REJECTED):
        await message_log.finish(row, "mislukt", report.reason or "Niet afgeleverd", at)
    elif row.status == "wachtrij":
        # Accepted by the operator while our send was unsure (a lost answer): it did go out.
        await message_log.finish(row, "verzonden", "", at, report.reference)
    return row.status
