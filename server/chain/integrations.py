"""Integrations with clients' and contractors' systems (/koppelingen, /api/v1/integrations):
where their VERA endpoint is, how we authenticate there, which messages they take, and the key
they answer us with. Supervisors and admins keep them; secrets are stored, never shown back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from server.chain import outbound, secrets
from server.domain.errors import Forbidden, NotFound, Unprocessable
from server.domain.roles import Role
from server.models import ChainMessage, Client, Contractor, Integration, User

EDITORS = frozenset({Role.ADMIN, Role.SUPERVISOR})
AUTH_KINDS = {"api_key": "API-sleutel in een header", "oauth2": "OAuth2 client credentials"}
# What each side can take: a client the repair request, a contractor the order.
MESSAGES_FOR = {
    "client": (outbound.REQUEST, outbound.APPOINTMENT),
    "contractor": (outbound.ORDER, outbound.APPOINTMENT),
}
_HEADER = re.compile(r"^[A-Za-z0-9-]{1,60}$")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass
class IntegrationInput:
    name: str = ""
    # "client:WST" or "contractor:3": whose system.
    owner: str = ""
    endpoint_url: str = ""
    auth: str = "api_key"
    api_key_header: str = "X-API-KEY"
    token_url: str = ""
    oauth_client_id: str = ""
    oauth_scope: str = ""
    # Empty: keep the stored one.
    secret: str = ""
    messages: list[str] = field(default_factory=list)
    active: bool = False


def require_editor(user: User) -> None:
    if user.role not in EDITORS:
        raise Forbidden("Alleen supervisie en beheer houden koppelingen bij.")


async def get(user: User, integration_id: int) -> Integration:
    require_editor(user)
    found = await Integration.get_or_none(id=integration_id).prefetch_related(
        "client", "contractor"
    )
    if found is None:
        raise NotFound(f"Koppeling {integration_id} bestaat niet.")
    return found


async def all_for(user: User) -> list[Integration]:
    require_editor(user)
    return await Integration.all().prefetch_related("client", "contractor").order_by("name", "id")


def _url(value: str, name: str, label: str) -> str:
    value = value.strip()
    if len(value) > 500:
        raise Unprocessable(f"{label} is langer dan 500 tekens.", name)
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username
        or parts.password
    ):
        raise Unprocessable(f"{label}: vul een adres in als https://erp.aannemer.nl/vera/v4.", name)
    if parts.query or parts.fragment:
        raise Unprocessable(f"{label}: een adres zonder ? of #.", name)
    return value.rstrip("/")


async def _owner(value: str) -> tuple[Client | None, Contractor | None]:
    kind, _, key = value.partition(":")
    if kind == "client" and key:
        client = await Client.get_or_none(code=key[:20], active=True)
        if client:
            return client, None
    if kind == "contractor" and key.isdigit() and len(key) < 10:
        contractor = await Contractor.get_or_none(id=int(key))
        if contractor:
            return None, contractor
    raise Unprocessable("Kies de opdrachtgever of aannemer van wie dit systeem is.", "owner")


def _check_text(value: str, name: str, label: str, limit: int) -> str:
    value = value.strip()
    if len(value) > limit or any(ord(c) < 32 for c in value):
        raise Unprocessable(f"{label}: hoogstens {limit} gewone tekens.", name)
    return value


async def _fields(data: IntegrationInput, current: Integration | None) -> dict[str, Any]:
    name = _check_text(data.name, "name", "Naam", 200)
    if not name:
        raise Unprocessable("Geef de koppeling een naam.", "name")
    client, contractor = await _owner(data.owner)
    side = "client" if client else "contractor"
    if data.auth not in AUTH_KINDS:
        raise Unprocessable("Kies API-sleutel of OAuth2.", "auth")
    allowed = MESSAGES_FOR[side]
    wrong = [m for m in data.messages if m not in allowed]
    if wrong:
        names = ", ".join(outbound.MESSAGE_KINDS[m] for m in allowed)
        raise Unprocessable(
            f"Een {'opdrachtgever' if client else 'aannemer'} krijgt: {names}.", "messages"
        )
    secret = data.secret.strip()
    if len(secret) > 2000 or any(ord(c) < 32 for c in secret):
        raise Unprocessable("Het geheim is te lang of bevat een stuurteken.", "secret")
    has_secret = bool(secret) or bool(current and current.secret)
    values: dict[str, Any] = {
        "name": name,
        "client_id": client.id if client else None,
        "contractor_id": contractor.id if contractor else None,
        "endpoint_url": _url(data.endpoint_url, "endpoint_url", "Adres"),
        "auth": data.auth,
        "messages": [m for m in allowed if m in data.messages],
        "active": data.active,
        "api_key_header": "X-API-KEY",
        "token_url": "",
        "oauth_client_id": "",
        "oauth_scope": "",
    }
    if data.auth == "api_key":
        header = data.api_key_header.strip() or "X-API-KEY"
        if not _HEADER.match(header):
            raise Unprocessable(
                "Header: letters, cijfers en streepjes, zoals X-API-KEY.", "api_key_header"
            )
        values["api_key_header"] = header
    else:
        values["token_url"] = _url(data.token_url, "token_url", "Token-adres")
        values["oauth_client_id"] = _check_text(
            data.oauth_client_id, "oauth_client_id", "Client-id", 200
        )
        values["oauth_scope"] = _check_text(data.oauth_scope, "oauth_scope", "Scope", 200)
        if not values["oauth_client_id"]:
            raise Unprocessable("OAuth2 vraagt om een client-id.", "oauth_client_id")
        if not has_secret:
            raise Unprocessable("OAuth2 vraagt om een client secret.", "secret")
    if data.active and not values["messages"]:
        raise Unprocessable(
            "Kies welke berichten deze koppeling krijgt, of zet haar uit.", "messages"
        )
    if secret:
        values["secret"] = secrets.encrypt(secret)
    return values


async def create(user: User, data: IntegrationInput) -> tuple[Integration, str]:
    """A new integration and the key its system answers with (shown this once)."""
    require_editor(user)
    values = await _fields(data, None)
    key = secrets.new_inbound_key()
    made = await Integration.create(
        **values, inbound_key_hash=secrets.key_hash(key), inbound_key_hint=key[-4:]
    )
    await mark_client(made.client_id)
    return made, key


async def update(user: User, integration_id: int, data: IntegrationInput) -> Integration:
    current = await get(user, integration_id)
    values = await _fields(data, current)
    await Integration.filter(id=current.id).update(**values, updated_at=datetime.now(UTC))
    await mark_client(current.client_id)
    await mark_client(values["client_id"])
    from server.chain import delivery

    delivery.forget_token(current.id)  # new credentials: a new token
    return await get(user, integration_id)


async def new_key(user: User, integration_id: int) -> str:
    """Replace the key its system answers with; the old one stops working at once."""
    current = await get(user, integration_id)
    key = secrets.new_inbound_key()
    await Integration.filter(id=current.id).update(
        inbound_key_hash=secrets.key_hash(key), inbound_key_hint=key[-4:]
    )
    return key


# In the client's settings: whether a new dossier of it goes to a system (a flag, so intake,
# which counts its statements, asks no extra query for clients without one).
REQUESTS_FLAG = "vera_requests"


async def mark_client(client_id: int | None) -> None:
    if client_id is None:
        return
    wanted = any(
        outbound.REQUEST in i.messages
        for i in await Integration.filter(client_id=client_id, active=True)
    )
    client = await Client.get(id=client_id)
    if bool(client.settings.get(REQUESTS_FLAG)) != wanted:
        client.settings = {**client.settings, REQUESTS_FLAG: wanted}
        await client.save(update_fields=["settings"])


def owner_of(integration: Integration) -> str:
    if integration.client is not None:
        return f"client:{integration.client.code}"
    return f"contractor:{integration.contractor_id}"


def as_json(integration: Integration) -> dict[str, Any]:
    """What the API and the page show: never the secret, only whether there is one."""
    return {
        "id": integration.id,
        "name": integration.name,
        "owner": owner_of(integration),
        "owner_name": str(integration.client or integration.contractor),
        "endpoint_url": integration.endpoint_url,
        "auth": integration.auth,
        "api_key_header": integration.api_key_header,
        "token_url": integration.token_url,
        "oauth_client_id": integration.oauth_client_id,
        "oauth_scope": integration.oauth_scope,
        "secret_set": bool(integration.secret),
        "messages": list(integration.messages),
        "active": integration.active,
        "inbound_key_hint": integration.inbound_key_hint,
    }


def start_of_today(now: datetime | None = None) -> datetime:
    today = (now or datetime.now(UTC)).astimezone(AMSTERDAM).date()
    return datetime.combine(today, time(0), AMSTERDAM).astimezone(UTC)


async def failures_today(now: datetime | None = None) -> list[ChainMessage]:
    """Messages refused or given up today, and those still retrying after a failed try."""
    since = start_of_today(now)
    done = ChainMessage.filter(status__in=("geweigerd", "opgegeven"), finished_at__gte=since)
    retrying = ChainMessage.filter(status="wachtrij", attempts__gte=1, last_error__not="")
    rows = [
        *await done.prefetch_related("dossier", "integration"),
        *await retrying.prefetch_related("dossier", "integration"),
    ]
    return sorted(rows, key=lambda r: r.id, reverse=True)[:200]


async def owners() -> list[tuple[str, str]]:
    """Who can have an integration, for the form's choice."""
    clients = await Client.filter(active=True).order_by("name")
    contractors = await Contractor.all().order_by("name")
    return [(f"client:{c.code}", f"Opdrachtgever {c.name}") for c in clients] + [
        (f"contractor:{c.id}", f"Aannemer {c.name}") for c in contractors
    ]
