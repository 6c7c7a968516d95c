"""The SMS interface the jobs use; `cm.CmSmsProvider` is the real implementation.

A provider sends one text to one number under our own reference and later reports delivery
to a webhook under that same reference, so the reference is what ties a report to a dossier.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol


class DeliveryStatus(StrEnum):
    ACCEPTED = "accepted"  # taken by the provider or the operator, not yet on the phone
    DELIVERED = "delivered"
    FAILED = "failed"  # the operator could not deliver it
    REJECTED = "rejected"  # the provider or operator refused it
    UNKNOWN = "unknown"


# For the dossier timeline.
DELIVERY_LABELS: dict[str, str] = {
    "accepted": "Geaccepteerd door de provider",
    "delivered": "Afgeleverd",
    "failed": "Niet afgeleverd",
    "rejected": "Geweigerd",
    "unknown": "Onbekende status",
}
FINAL = frozenset({DeliveryStatus.DELIVERED, DeliveryStatus.FAILED, DeliveryStatus.REJECTED})


@dataclass(frozen=True)
class SendResult:
    """The provider took the message. `provider_id` is what its reports will carry."""

    provider_id: str
    status: DeliveryStatus
    parts: int = 1


@dataclass(frozen=True)
class DeliveryReport:
    reference: str
    status: DeliveryStatus
    reason: str = ""
    to_e164: str = ""

    @property
    def final(self) -> bool:
        return self.status in FINAL


class InvalidDeliveryReport(ValueError):
    """The webhook received something that is not a delivery report (answer 400)."""


class SmsProvider(Protocol):
    async def send(
        self, to_e164: str, text: str, reference: str, *, sender: str | None = None
    ) -> SendResult:
        """Hand one text to the provider; `sender` replaces the configured sender name.

        Raises `TransientSendError` when a later try may succeed and `PermanentSendError`
        (with the provider's reason) when it never will.
        """
        ...

    def parse_delivery_report(self, data: Mapping[str, Any]) -> DeliveryReport:
        """Read the webhook's request data (the parsed JSON body, or the query parameters)."""
        ...
