"""The tenant's tracking page: where the report stands, without a login.

Shows only what the tenant needs: the status in plain words, what to do until help comes (the
protocol outcome's advice), whom to call, what happens next and by when, the appointment, the
technician's first name and his expected arrival. No address, phone number or surname.

The arrival is the one worked out when he set off (server/fieldwork/eta.py); once his phone
has reported a position since, it is worked out again from there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from server import settings
from server.communication import message_log
from server.communication.communication import ON_THE_WAY
from server.dispatch import positions
from server.domain import tenant_view
from server.domain.errors import Conflict, Unprocessable
from server.domain.lifecycle import OPEN_PHASES
from server.dossiers import events
from server.fieldwork import eta as field_eta
from server.i18n import gettext
from server.messaging.push import PushSubscription as BrowserSubscription
from server.models import (
    Client,
    Dossier,
    DossierEvent,
    InboundLine,
    PushFollow,
    PushSubscription,
    Technician,
    TechnicianPosition,
)

NOT_HOME = "niet_thuis"


@dataclass(frozen=True)
class TrackingView:
    order_number: str
    client_name: str
    phase: str
    status: str
    appointment_start: datetime | None
    appointment_end: datetime | None
    technician: str
    eta: datetime | None
    # He would arrive well before the appointment: `eta` is the appointment (told_arrival).
    eta_on_appointment: bool
    advice: str
    next_step: str
    deadline: datetime | None
    # (what, number) the tenant may call: the meldkamer's line for the client, its office.
    phones: tuple[tuple[str, str], ...]
    not_home_reported: bool
    # A photo or remark may be added while the report is open.
    may_add: bool
    may_report_not_home: bool
    survey_open: bool
    vapid_public_key: str


async def view(dossier: Dossier) -> TrackingView:
    client = await Client.get(id=dossier.client_id)  # type: ignore[attr-defined]
    technician = await Technician.get_or_none(id=dossier.technician_id)  # type: ignore[attr-defined]
    planned = dossier.phase == "afspraak_ingepland" and dossier.appointment_start is not None
    eta, on_appointment = (await _eta(dossier, technician)) if planned else (None, False)
    reported = planned and await _not_home_reported(dossier)
    open_ = dossier.phase in OPEN_PHASES
    outcome = (dossier.triage or {}).get("outcome") or {}
    return TrackingView(
        order_number=dossier.order_number,
        client_name=client.name,
        phase=dossier.phase,
        status=tenant_view.status_text(dossier.phase),
        appointment_start=dossier.appointment_start if planned else None,
        appointment_end=dossier.appointment_end if planned else None,
        technician=tenant_view.first_name(technician.name) if technician else "",
        eta=eta,
        eta_on_appointment=on_appointment,
        advice=str(outcome.get("tenant_advice") or "") if open_ else "",
        # Until there is an appointment: then the appointment says what happens next.
        next_step=tenant_view.next_step(outcome.get("action"), client.name)
        if open_ and outcome and not planned
        else "",
        deadline=dossier.deadline_at if open_ and not planned else None,
        phones=await _phones(client) if open_ else (),
        not_home_reported=reported,
        may_add=open_,
        may_report_not_home=planned and not reported,
        survey_open=dossier.phase in tenant_view.SURVEY_PHASES,
        vapid_public_key=settings.VAPID_PUBLIC_KEY,
    )


async def _eta(dossier: Dossier, technician: Technician | None) -> tuple[datetime | None, bool]:
    """His arrival since he set off, and whether it is the appointment (told_arrival)."""
    event = (
        await DossierEvent.filter(dossier_id=dossier.id, kind=ON_THE_WAY)
        .order_by("-at", "-id")
        .first()
    )
    if event is None or "eta" not in event.data:
        return None, False
    told = datetime.fromisoformat(event.data["eta"])
    if event.data.get("on_appointment") or technician is None:
        return told, bool(event.data.get("on_appointment"))
    # A position his phone reported after he set off says more than the estimate at the start.
    now = datetime.now(UTC)
    last = await TechnicianPosition.get_or_none(technician_id=technician.id)
    if last is None or last.reported_at <= event.at or now - last.reported_at > positions.max_age():
        return told, False
    found = await field_eta.estimate(technician, dossier, None, now)
    return (found.eta, False) if found.source != "standaard" else (told, False)


async def _phones(client: Client) -> tuple[tuple[str, str], ...]:
    """The meldkamer's number for this client (day and night), and the client's office."""
    found: list[tuple[str, str]] = []
    line = await InboundLine.filter(client_id=client.id, kind="telefoon").order_by("id").first()
    if line is not None:
        found.append((gettext("Storingen en spoed, dag en nacht"), line.value))
    if client.phone:
        found.append((gettext("%(client)s, kantoor") % {"client": client.name}, client.phone))
    return tuple(found)


async def _not_home_reported(dossier: Dossier) -> bool:
    """Said already for this appointment (a new appointment may be reported again)."""
    start = dossier.appointment_start.isoformat() if dossier.appointment_start else ""
    rows = await DossierEvent.filter(dossier_id=dossier.id, kind=NOT_HOME)
    return any(row.data.get("appointment_start") == start for row in rows)


async def report_not_home(dossier: Dossier, remark: str = "") -> None:
    """The tenant will not be home for the appointment: on the timeline, and live to the desk."""
    if dossier.phase != "afspraak_ingepland" or dossier.appointment_start is None:
        raise Unprocessable("Er staat geen afspraak gepland; u hoeft niets door te geven.", "")
    if await _not_home_reported(dossier):
        raise Unprocessable("U hebt al doorgegeven dat u dan niet thuis bent. Dank u wel.", "")
    remark = " ".join(remark.split())[:500]
    at = datetime.now(UTC)
    start = dossier.appointment_start
    await events.record(dossier, NOT_HOME, None, at, appointment_start=start, remark=remark or None)
    data = {"order_number": dossier.order_number, "appointment_start": start.isoformat()}
    await message_log.publish(f"dossier:{dossier.order_number}", NOT_HOME, data)
    await message_log.publish("board", NOT_HOME, data)


async def subscribe(dossier: Dossier, data: Mapping[str, Any]) -> PushSubscription:
    """This browser follows this dossier too (a tenant may follow several reports at once).

    One row per browser (endpoint), a follow per dossier; subscribing again changes nothing.
    A browser keeps its keys: only the browser itself knows them, so a page that sends other
    keys for a known endpoint (a technician's, another tenant's) is refused rather than
    breaking that browser's notifications.
    """
    try:
        browser = BrowserSubscription.from_json(data, settings.PUSH_SERVICE_HOSTS)
    except ValueError as exc:
        raise Unprocessable(f"Pushabonnement niet bruikbaar: {exc}.", "endpoint") from None
    sub = await _browser(browser)
    # get_or_create falls back to get when the same page posts twice at once.
    await PushFollow.get_or_create(
        subscription=sub, dossier=dossier, defaults={"created_at": datetime.now(UTC)}
    )
    return sub


async def _browser(browser: BrowserSubscription) -> PushSubscription:
    existing = await PushSubscription.get_or_none(endpoint=browser.endpoint)
    if existing is None:
        try:
            return await PushSubscription.create(
                endpoint=browser.endpoint,
                p256dh=browser.p256dh,
                auth=browser.auth,
                created_at=datetime.now(UTC),
            )
        except IntegrityError:  # the same browser twice at once
            return await PushSubscription.get(endpoint=browser.endpoint)
    if (existing.p256dh, existing.auth) != (browser.p256dh, browser.auth):
        # A browser keeps its keys for as long as its endpoint lives: other keys mean another
        # sender, who would break the notifications of whoever's browser it is.
        raise Conflict("Dit pushabonnement hoort bij iemand anders.", "endpoint")
    return existing


async def follows(dossier: Dossier, endpoint: object) -> bool:
    """Whether the browser with this endpoint follows this dossier."""
    return isinstance(endpoint, str) and await PushFollow.exists(
        dossier_id=dossier.id, subscription__endpoint=endpoint
    )


async def unfollow(dossier: Dossier, endpoint: object) -> bool:
    """This browser stops following this dossier only; true when the server no longer knows
    the browser at all (it followed nothing else and is no technician's), so the page may end
    the browser's own subscription too."""
    if not isinstance(endpoint, str):
        return True
    sub = await PushSubscription.get_or_none(endpoint=endpoint)
    if sub is None:
        return True
    await PushFollow.filter(subscription_id=sub.id, dossier_id=dossier.id).delete()
    if sub.user_id is not None or await PushFollow.exists(subscription_id=sub.id):  # type: ignore[attr-defined]
        return False
    await sub.delete()
    return True
