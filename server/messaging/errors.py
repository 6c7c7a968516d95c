"""What can go wrong when sending, in the two kinds a job needs to tell apart."""

from __future__ import annotations


class SendError(Exception):
    """A message could not be handed over; `reason` is the provider's own words."""

    def __init__(self, message: str, *, reason: str = "", code: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message
        self.code = code


class TransientSendError(SendError):
    """Try again later: the provider was down, busy or did not answer in time.

    `maybe_sent` is true when the request may have reached the provider before the failure
    (a read timeout, a dropped connection): a retry could then deliver the message twice, so
    the job may prefer to wait for a delivery report under the same reference.
    """

    def __init__(
        self, message: str, *, reason: str = "", code: str = "", maybe_sent: bool = False
    ) -> None:
        super().__init__(message, reason=reason, code=code)
        self.maybe_sent = maybe_sent


class PermanentSendError(SendError):
    """Do not retry: the provider refused this message (bad number, bad request, blocked)."""


class SubscriptionGone(PermanentSendError):
    """The push service no longer knows this subscription (404/410): remove it."""
