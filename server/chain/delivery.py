"""Sending recorded VERA messages: the `send_chain_message` job and the chain sweep.

Like the tenant outbox (server/communication/sending.py): a message is claimed with a
compare-and-set on `deliver_after` before it is sent, so any number of jobs and sweeps send it
once. In order per dossier and receiver: a message waits while an earlier one to the same
receiver for the same dossier is still waiting. A receiver that is down or answers 5xx, 408 or
429 is tried again with a doubling wait (CHAIN_RETRY_SECONDS up to CHAIN_RETRY_MAX_SECONDS),
under the same message id, until CHAIN_GIVE_UP_HOURS after the message was made; any other
answer of 4xx is a refusal, kept with the receiver's own words.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from server import settings
from server.chain import outbound, secrets
from server.dossiers import events
from server.models import ChainMessage, Dossier, Integration

log = logging.getLogger("meldkamer.chain")
CLAIM = timedelta(minutes=2)
TIMEOUT = httpx.Timeout(15.0, connect=5.0)
SWEEP_BATCH = 100
SENDER = "Meldkamer"


class Transient(Exception):
    """The receiver may take it later: down, overloaded, timing out."""


class Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_at: datetime | None = None
    acted: bool = True


def now() -> datetime:
    return datetime.now(UTC)


# OAuth2 access tokens per integration, kept until shortly before they expire (per process).
_tokens: dict[int, tuple[str, float]] = {}


def forget_token(integration_id: int) -> None:
    _tokens.pop(integration_id, None)


async def _token(client: httpx.AsyncClient, integration: Integration, secret: str) -> str:
    cached = _tokens.get(integration.id)
    if cached and cached[1] > time.monotonic():
        return cached[0]
    data = {"grant_type": "client_credentials"}
    if integration.oauth_scope:
        data["scope"] = integration.oauth_scope
    try:
        answer = await client.post(
            integration.token_url, data=data, auth=(integration.oauth_client_id, secret)
        )
    except httpx.HTTPError as exc:
        raise Transient(f"Tokenserver niet bereikbaar: {type(exc).__name__}") from exc
    if answer.status_code >= 500 or answer.status_code == 429:
        raise Transient(f"Tokenserver antwoordde {answer.status_code}")
    try:
        body = answer.json()
        token = str(body["access_token"])
        expires = float(body.get("expires_in") or 300)
    except (ValueError, KeyError, TypeError):
        raise Refused(
            answer.status_code,
            f"Geen token van de tokenserver ({answer.status_code}): {answer.text[:200]}",
        ) from None
    # A minute early, so a token never expires on its way.
    _tokens[integration.id] = (token, time.monotonic() + max(0.0, expires - 60))
    return token


async def _headers(
    client: httpx.AsyncClient, integration: Integration, row: ChainMessage
) -> dict[str, str]:
    secret = secrets.decrypt(integration.secret)
    if secret is None:
        raise Refused(
            0,
            "Het geheim van deze koppeling is niet meer te lezen (SECRET_KEY gewijzigd); "
            "vul het opnieuw in.",
        )
    headers = {
        "X-Stuurgegevens-Referentienummer": row.message_id,
        "X-Stuurgegevens-Tijdstip-Bericht": row.created_at.astimezone(UTC).isoformat(),
        "X-Stuurgegevens-Zender-Organisatie": SENDER,
        "Idempotency-Key": row.message_id,
    }
    if integration.auth == "oauth2":
        headers["Authorization"] = f"Bearer {await _token(client, integration, secret)}"
    elif secret:
        headers[integration.api_key_header or "X-API-KEY"] = secret
    return headers


def _reason(answer: httpx.Response) -> str:
    """The receiver's own words: a VERA Foutbericht, else the start of its answer."""
    try:
        body = answer.json()
    except ValueError:
        return f"{answer.status_code}: {answer.text[:300]}".strip()
    if isinstance(body, dict) and ("omschrijving" in body or "code" in body):
        code = f" {body.get('code')}" if body.get("code") else ""
        return f"{answer.status_code}{code}: {body.get('omschrijving') or ''}".strip()
    return f"{answer.status_code}: {str(body)[:300]}"


async def deliver(
    row: ChainMessage, integration: Integration, transport: httpx.AsyncBaseTransport | None = None
) -> int:
    """POST the message; the receiver's status, or raise Transient / Refused."""
    url = integration.endpoint_url.rstrip("/") + row.path
    async with httpx.AsyncClient(
        timeout=TIMEOUT, transport=transport, follow_redirects=False
    ) as client:
        headers = await _headers(client, integration, row)
        try:
            answer = await client.request(row.method, url, json=row.body, headers=headers)
        except httpx.HTTPError as exc:
            raise Transient(f"Niet bereikbaar: {type(exc).__name__}") from exc
        if answer.status_code == 401 and integration.auth == "oauth2":
            forget_token(integration.id)  # expired early or revoked: a new one next try
            raise Transient(_reason(answer))
    if answer.status_code >= 500 or answer.status_code in (408, 429):
        raise Transient(_reason(answer))
    if answer.status_code >= 300:
        raise Refused(answer.status_code, _reason(answer))
    return answer.status_code


async def send(message_id: int, at: datetime | None = None) -> Outcome:
    """Send one message if it is waiting, due, and first in line for its dossier."""
    row = await ChainMessage.get_or_none(id=message_id)
    if row is None or row.status != "wachtrij":
        return Outcome(row.status if row else "weg", acted=False)
    at = (at or now()).astimezone(UTC)
    if row.deliver_after > at:
        return Outcome("later", row.deliver_after, acted=False)
    if await ChainMessage.filter(
        dossier_id=row.dossier_id,
        integration_id=row.integration_id,
        status="wachtrij",
        id__lt=row.id,
    ).exists():
        return Outcome("later", acted=False)  # the earlier one starts this one when it is done
    if not await _claim(row, at):
        return Outcome("later", acted=False)
    integration = await Integration.get(id=row.integration_id)
    dossier = await Dossier.get(id=row.dossier_id)
    row.attempts += 1
    await row.save(update_fields=["attempts"])
    if not integration.active:
        return await _finish(
            row, integration, dossier, "opgegeven", "Koppeling staat uit.", None, at
        )
    try:
        status = await deliver(row, integration)
    except Refused as exc:
        return await _finish(
            row, integration, dossier, "geweigerd", exc.reason, exc.status or None, at
        )
    except Transient as exc:
        return await _retry(row, integration, dossier, str(exc), at)
    return await _finish(row, integration, dossier, "verzonden", "", status, at)


async def _claim(row: ChainMessage, at: datetime) -> bool:
    until = at + CLAIM
    claimed = await ChainMessage.filter(id=row.id, status="wachtrij", deliver_after__lte=at).update(
        deliver_after=until
    )
    row.deliver_after = until
    return bool(claimed)


async def _finish(
    row: ChainMessage,
    integration: Integration,
    dossier: Dossier,
    status: str,
    reason: str,
    code: int | None,
    at: datetime,
) -> Outcome:
    row.status, row.last_error, row.response_status, row.finished_at = status, reason, code, at
    await row.save(update_fields=["status", "last_error", "response_status", "finished_at"])
    await events.record(
        dossier,
        "keten",
        None,
        at,
        **outbound.event_data(row, integration.name, status, reason=reason, attempt=row.attempts),
    )
    await _next_in_line(row)
    return Outcome(status)


async def _retry(
    row: ChainMessage, integration: Integration, dossier: Dossier, error: str, at: datetime
) -> Outcome:
    if at - row.created_at >= timedelta(hours=settings.CHAIN_GIVE_UP_HOURS):
        return await _finish(row, integration, dossier, "opgegeven", error, None, at)
    wait = min(
        settings.CHAIN_RETRY_SECONDS * 2 ** (row.attempts - 1), settings.CHAIN_RETRY_MAX_SECONDS
    )
    until = at + timedelta(seconds=wait)
    row.last_error, row.deliver_after = error, until
    await row.save(update_fields=["last_error", "deliver_after"])
    await events.record(
        dossier,
        "keten",
        None,
        at,
        **outbound.event_data(
            row, integration.name, "opnieuw", reason=error, attempt=row.attempts, next_try=until
        ),
    )
    return Outcome("wachtrij", until)


async def _next_in_line(row: ChainMessage) -> None:
    following = (
        await ChainMessage.filter(
            dossier_id=row.dossier_id,
            integration_id=row.integration_id,
            status="wachtrij",
            id__gt=row.id,
        )
        .order_by("id")
        .first()
    )
    if following is not None:
        await outbound.start(following)


async def sweep(
    at: datetime | None = None,
    *,
    limit: int = SWEEP_BATCH,
    stopping: Callable[[], bool] = lambda: False,
) -> dict[str, int]:
    """Send what is due (retries, and messages whose job was lost); every minute."""
    at = (at or now()).astimezone(UTC)
    due: list[int] = await (
        ChainMessage.filter(status="wachtrij", deliver_after__lte=at)
        .order_by("id")
        .limit(limit)
        .values_list("id", flat=True)
    )  # type: ignore[assignment]
    outcomes: Counter[str] = Counter()
    for message_id in due:
        if stopping():
            break
        outcome = await send(message_id, at)
        if outcome.acted:
            outcomes[outcome.status] += 1
    return dict(outcomes)


def summary(rows: list[ChainMessage]) -> dict[str, Any]:
    return dict(Counter(r.status for r in rows))
