"""Recording messages to a client; a job of its own sends them (status 'wachtrij' until then)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient

from server import settings
from server.models import Client, ClientNotification, Dossier, ProtocolVersion
from server.triage import dutch

ON_CALL = "piket"
PROTOCOL_CONFIRMATION = "protocol_bevestiging"
KIND_LABELS = {
    ON_CALL: "Opdrachtgever direct informeren (piket)",
    PROTOCOL_CONFIRMATION: "Bevestiging protocolwijziging",
}
STATUS_LABELS = {"wachtrij": "In de wachtrij", "verzonden": "Verzonden", "mislukt": "Mislukt"}
# Long diffs are cut in the e-mail; the whole change is on the version page it links to.
MAX_DIFF_LINES = 300


async def on_call(
    dossier: Dossier,
    client: Client,
    summary: dict[str, Any],
    at: datetime,
    conn: BaseDBAsyncClient | None = None,
) -> ClientNotification:
    """Tell the client's on-call contact at once; their general contact when none is set."""
    order = dossier.order_number
    body = "\n".join(
        [
            f"Acute melding {order} voor {client.name}.",
            f"Adres: {dossier.address_line}, {dossier.display_postcode} {dossier.city}",
            f"Melder: {dossier.contact_name} {dossier.contact_phone}".rstrip(),
            f"Uitkomst triage: {summary['outcome_label']} ({summary['urgency_label']})",
            *(["De bewoonbaarheid van de woning is in gevaar."] if summary["habitability"] else []),
            f"Omschrijving: {summary['description']}",
            f"Dossier: {settings.BASE_URL}/dossiers/{order}",
        ]
    )
    return await ClientNotification.create(
        client=client,
        dossier=dossier,
        kind=ON_CALL,
        to_name=client.oncall_name or client.name,
        to_phone=client.oncall_phone or client.phone,
        to_email=client.oncall_email or client.email,
        subject=f"Acute melding {order}: {summary['outcome_label']}"[:200],
        body=body,
        data={"order_number": order, **summary},
        created_at=at,
        using_db=conn,
    )


async def alerted(dossier: Dossier, outcome: str, conn: BaseDBAsyncClient | None = None) -> bool:
    """Whether the on-call contact was already alerted about this dossier for this outcome."""
    rows = await ClientNotification.filter(dossier_id=dossier.id, kind=ON_CALL).using_db(conn)
    return any(row.data.get("outcome") == outcome for row in rows)


async def for_dossier(dossier: Dossier) -> list[ClientNotification]:
    return await ClientNotification.filter(dossier_id=dossier.id).order_by("created_at", "id")


async def protocol_confirmation(
    client: Client,
    version: ProtocolVersion,
    change: str,
    at: datetime,
    conn: BaseDBAsyncClient | None = None,
) -> ClientNotification:
    """Confirm a published protocol change to the client, with who, why and what changed."""
    lines = change.splitlines()
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + [f"… en {len(lines) - MAX_DIFF_LINES} regels meer."]
    url = f"{settings.BASE_URL}/protocollen/{client.code}/versies/{version.version}"
    body = "\n".join(
        [
            f"Beste {client.name},",
            "",
            f"Uw triageprotocol is gewijzigd: versie {version.version} geldt vanaf "
            f"{_local(version.created_at)}.",
            f"Gepubliceerd door: {version.created_by_name}",
            f"Reden: {version.reason}",
            "",
            f"Bekijk de wijziging: {url}",
            "",
            "Wijzigingen:",
            *lines,
        ]
    )
    return await ClientNotification.create(
        client=client,
        protocol_version=version,
        kind=PROTOCOL_CONFIRMATION,
        to_name=client.name,
        to_email=client.email,
        subject=f"Triageprotocol gewijzigd: versie {version.version}",
        body=body,
        data={"version": version.version, "reason": version.reason},
        created_at=at,
        using_db=conn,
    )


def _local(at: datetime) -> str:
    return dutch.moment(at.astimezone(ZoneInfo(settings.TIMEZONE)))
