"""Which clients take reports online, under which address, and the number their tenants call.

A client offers online reporting with `settings["online_melden"]`: `{"adres": "woonstad"}`
(the last part of /melden/<adres>; without it the client's code, in lower case). Its emergency
number is `settings["online_melden"]["telefoon"]`, else the first telephone line its tenants
dial (server/contacts/lines.py), else the client's own number.
"""

from __future__ import annotations

from typing import Any

from server.domain import normalise
from server.domain.errors import AppError, NotFound
from server.i18n import gettext as _
from server.models import Client, InboundLine

KEY = "online_melden"


def _setup(client: Client) -> dict[str, Any] | None:
    raw = (client.settings or {}).get(KEY)
    if raw is True:
        return {}
    return raw if isinstance(raw, dict) else None


def slug(client: Client) -> str:
    own = (_setup(client) or {}).get("adres")
    return str(own).lower() if own else client.code.lower()


async def by_slug(raw: str) -> Client:
    """The active client that takes online reports at /melden/`raw`; 404 otherwise."""
    wanted = raw.strip().lower()[:60]
    for client in await Client.filter(active=True):
        if _setup(client) is not None and slug(client) == wanted:
            return client
    raise NotFound(_("Op dit adres kunt u geen melding doen. Controleer de link, of bel ons."))


async def emergency_number(client: Client) -> str:
    """E.164 number to call now (an acute report), or '' when the client has none."""
    own = (_setup(client) or {}).get("telefoon")
    if own:
        try:
            return normalise.normalise_phone(str(own))
        except AppError:
            pass
    line = await InboundLine.filter(client_id=client.id, kind="telefoon").order_by("id").first()
    return line.value if line is not None else client.phone
