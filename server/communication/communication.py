"""What the tenant and the client are told, and when: called by the dossier services after
their change is committed. Each function builds the message and records it in the outbox.

Tenants' messages are built and rendered in the dossier's language (server/i18n): its
built-in texts, the next step and the date words.

Only changes made now send anything: a change with an explicit past moment (the demo's
history, imports) is history, and nobody is told about it again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from datetime import datetime

from server import db, i18n, settings
from server.communication import links, outbox, outbox_rows
from server.communication.outbox import Recipient
from server.domain import tenant_view
from server.domain.codes import CATEGORY_LABELS
from server.domain.eta import told_arrival
from server.dossiers import events
from server.messaging.kinds import Channel
from server.messaging.messages import (
    Afgerond,
    AfspraakGeannuleerd,
    AfspraakGewijzigd,
    AfspraakIngepland,
    Escalatie,
    MeldingOntvangen,
    MonteurOnderweg,
    Piket,
    ProtocolBevestiging,
    TenantMessage,
)
from server.models import (
    Client,
    ClientNotification,
    Dossier,
    EscalationCase,
    OutboundMessage,
    ProtocolVersion,
    Technician,
    User,
)

log = logging.getLogger("meldkamer.messages")
ON_THE_WAY = "monteur_onderweg"


async def _client(dossier: Dossier) -> Client:
    known = getattr(dossier, "_client", None)  # read with the dossier (sync's jobs)
    if isinstance(known, Client) and known.id == dossier.client_id:  # type: ignore[attr-defined]
        return known
    return await Client.get(id=dossier.client_id)  # type: ignore[attr-defined]


def _base(dossier: Dossier, client: Client, at: datetime) -> dict[str, str]:
    return {
        "opdrachtgever": client.name,
        "ordernummer": dossier.order_number,
        "volgen_url": links.url(dossier.id, links.TRACKING, at),
        "naam": dossier.contact_name,
    }


async def dossier_received(dossier: Dossier, at: datetime | None = None) -> None:
    """'Melding ontvangen' with the triage summary, once per dossier, as soon as it is triaged."""
    if not dossier.urgency:
        return  # no triage yet: the summary follows when the triage is recorded
    at = at or outbox.now()
    client = await _client(dossier)
    with i18n.using(dossier.language):
        message = _received(dossier, client, at)
        await _to_tenant(dossier, client, message, f"{dossier.order_number}:ontvangen", at)


def received_rows(dossier: Dossier, client: Client, at: datetime) -> list[OutboundMessage]:
    """`dossier_received` for a dossier triaged at intake, inside its transaction: the outbox
    rows, unsaved (server.communication.outbox.new_rows)."""
    with i18n.using(dossier.language):
        return _received_rows(dossier, client, at)


def _received_rows(dossier: Dossier, client: Client, at: datetime) -> list[OutboundMessage]:
    return outbox.new_rows(
        _received(dossier, client, at),
        client=client,
        dossier=dossier,
        recipients=outbox.tenant_contacts(dossier),
        key=f"{dossier.order_number}:ontvangen",
        urgency=dossier.urgency or "",
        at=at,
    )


def _received(dossier: Dossier, client: Client, at: datetime) -> MeldingOntvangen:
    outcome = (dossier.triage or {}).get("outcome") or {}
    what = (dossier.triage or {}).get("description") or dossier.description
    return MeldingOntvangen(
        **_base(dossier, client, at),
        melding=what or CATEGORY_LABELS.get(dossier.category, dossier.category),
        urgentie=dossier.urgency or "",
        vervolg=tenant_view.next_step(outcome.get("action"), client.name),
        uiterlijk=dossier.deadline_at,
    )


async def after_transition(
    dossier: Dossier,
    source: str,
    old_start: datetime | None,
    old_end: datetime | None,
    reason: str | None,
    at: datetime | None = None,
    *,
    after_commit: list[outbox.AfterCommit] | None = None,
) -> None:
    """Appointment made, changed or cancelled; work finished (with the survey link).

    `after_commit`: the caller's transaction is open (a sync push) and runs these actions
    once it has committed: the message is stored in it in one statement (outbox_rows)."""
    with i18n.using(dossier.language):
        await _after_transition(dossier, source, old_start, old_end, reason, at, after_commit)


async def _after_transition(
    dossier: Dossier,
    source: str,
    old_start: datetime | None,
    old_end: datetime | None,
    reason: str | None,
    at: datetime | None,
    after_commit: list[outbox.AfterCommit] | None,
) -> None:
    at = at or outbox.now()
    target = dossier.phase
    start, end = dossier.appointment_start, dossier.appointment_end
    planned = target == "afspraak_ingepland" and start is not None
    called_off = source == "afspraak_ingepland" and target in (
        "doorgezet_naar_monteur",
        "geannuleerd",
    )
    finished = target in ("afgerond", "op_afstand_opgelost")
    if not (planned or (called_off and old_start is not None) or finished):
        return  # nothing for the tenant (most moves): the client is not even read
    client = await _client(dossier)
    base = _base(dossier, client, at)
    key = f"{dossier.order_number}:v{dossier.version}"
    if planned and start is not None:
        if old_start is not None and old_start != start:
            message: TenantMessage = AfspraakGewijzigd(
                **base, van=start, tot=end or start, oude_van=old_start
            )
        else:
            message = AfspraakIngepland(**base, van=start, tot=end or start)
    elif called_off and old_start is not None:
        why = reason or ""
        if target == "doorgezet_naar_monteur":
            why = i18n.gettext("Er wordt een nieuwe afspraak met u gemaakt.")
        message = AfspraakGeannuleerd(**base, van=old_start, tot=old_end or old_start, reden=why)
    else:
        message = Afgerond(**base, enquete_url=links.url(dossier.id, links.SURVEY, at))
    await _to_tenant(dossier, client, message, key, at, after_commit)


async def appointment_moved(
    dossier: Dossier,
    old_start: datetime | None,
    old_end: datetime | None,
    at: datetime | None = None,
) -> None:
    """'Afspraak gewijzigd' after a planned appointment moved; nothing when the tenant's time
    window stayed the same (another technician, or the same move submitted twice)."""
    start, end = dossier.appointment_start, dossier.appointment_end
    if start is None or (old_start, old_end) == (start, end):
        return
    at = at or outbox.now()
    client = await _client(dossier)
    message = AfspraakGewijzigd(
        **_base(dossier, client, at), van=start, tot=end or start, oude_van=old_start or start
    )
    with i18n.using(dossier.language):
        await _to_tenant(dossier, client, message, f"{dossier.order_number}:v{dossier.version}", at)


async def technician_on_the_way(
    dossier: Dossier,
    eta: datetime,
    at: datetime | None = None,
    actor: User | None = None,
    *,
    basis: str = "",
) -> None:
    """The technician set off: the timeline and tracking page show the ETA, the tenant hears.

    For the technician app (it checks that the technician is assigned before calling this;
    `actor` is his user, named on the timeline). `at` is when he set off; an app that was
    offline may report it late, and once the ETA has passed the tenant is not told any more
    (he should be there): only the timeline has it. `basis` says for the desk what the ETA
    rests on ("route vanaf zijn thuisbasis"). A job he would reach well before its appointment
    (booked for the next morning) is announced at its
    appointment time (server.domain.eta.told_arrival).
    """
    at = at or outbox.now()
    technician = await Technician.get_or_none(id=dossier.technician_id)  # type: ignore[attr-defined]
    name = tenant_view.first_name(technician.name if technician else "")
    eta, on_appointment = told_arrival(eta, dossier.appointment_start)
    await events.record(
        dossier,
        ON_THE_WAY,
        actor,
        at,
        eta=eta,
        technician=name,
        basis=basis or None,
        on_appointment=on_appointment or None,
    )
    if eta <= outbox.now():
        return
    client = await _client(dossier)
    with i18n.using(dossier.language):
        message = MonteurOnderweg(
            **_base(dossier, client, at),
            monteur=name or i18n.gettext("de monteur"),
            eta=eta,
            op_afspraak=on_appointment,
        )
        key = f"{dossier.order_number}:onderweg:{int(at.timestamp())}"
        await _to_tenant(dossier, client, message, key, at)


async def _to_tenant(
    dossier: Dossier,
    client: Client,
    message: TenantMessage,
    key: str,
    at: datetime,
    after_commit: list[outbox.AfterCommit] | None = None,
) -> None:
    if after_commit is not None:
        recipients = await outbox_rows.tenant_recipients(dossier)
    else:
        recipients = await outbox.tenant_recipients(dossier)
    if not recipients:
        return
    if after_commit is not None:
        await outbox_rows.record(
            db.connection(),
            message,
            client=client,
            dossier=dossier,
            recipients=recipients,
            key=key,
            urgency=dossier.urgency or "",
            at=at,
            after_commit=after_commit,
        )
        return
    await outbox.record(
        message,
        client=client,
        dossier=dossier,
        recipients=recipients,
        key=key,
        urgency=dossier.urgency or "",
        at=at,
    )


async def safely(work: Awaitable[None]) -> None:
    """Run a trigger after a committed change: a messaging fault is logged, never raised,
    so it cannot turn a successful intake or move into an error page."""
    try:
        await work
    except Exception:
        log.exception("message trigger failed")


async def send_client_notifications(
    *, dossier: Dossier | None = None, version: ProtocolVersion | None = None
) -> None:
    """Put the client notifications still waiting for this dossier or protocol version in
    the outbox. Piket goes at once, whatever the hour: quiet hours never apply to the client.
    """
    at = outbox.now()
    waiting = ClientNotification.filter(status="wachtrij").order_by("id")
    if dossier is not None:
        waiting = waiting.filter(dossier_id=dossier.id)
    if version is not None:
        waiting = waiting.filter(protocol_version_id=version.id)
    for note in await waiting:
        if await OutboundMessage.exists(notification_id=note.id):
            continue
        try:
            await _notify_client(note, at)
        except Exception:  # one bad row must not keep the others from the on-call contact
            log.exception("client notification %s could not be queued", note.id)


async def _notify_client(note: ClientNotification, at: datetime) -> None:
    client = await Client.get(id=note.client_id)  # type: ignore[attr-defined]
    dossier = None
    if note.dossier_id is not None:  # type: ignore[attr-defined]
        dossier = await Dossier.get(id=note.dossier_id)  # type: ignore[attr-defined]
    recipients = []
    # Piket and escalations are urgent for the client: by SMS as well as e-mail.
    if note.to_phone and outbox._mobile(note.to_phone) and note.kind in ("piket", "escalatie"):
        recipients.append(Recipient(Channel.SMS, note.to_phone, note.to_name))
    if note.to_email:
        recipients.append(Recipient(Channel.EMAIL, note.to_email, note.to_name))
    if not recipients:
        # Nothing can be sent: it stays waiting, with the reason, for the desk to phone.
        note.last_error = "Geen mobiel nummer of e-mailadres bekend: neem telefonisch contact op."
        await note.save(update_fields=["last_error"])
        return
    message = await _client_message(note, client, dossier)
    await outbox.record(
        message,
        client=client,
        dossier=dossier,
        recipients=recipients,
        key=f"melding{note.id}",
        urgency="acuut" if note.kind == "piket" else "urgent" if note.kind == "escalatie" else "",
        notification=note,
        at=at,
    )


async def _client_message(
    note: ClientNotification, client: Client, dossier: Dossier | None
) -> Piket | ProtocolBevestiging | Escalatie:
    data = note.data
    if note.kind == "escalatie":
        assert dossier is not None
        case = await EscalationCase.get(id=data["case"])
        return Escalatie(
            opdrachtgever=client.name,
            ordernummer=dossier.order_number,
            contactpersoon=note.to_name,
            adres=f"{dossier.address_line}, {dossier.display_postcode} {dossier.city}",
            melder=dossier.contact_name,
            telefoon=dossier.contact_phone,
            partij=case.party or "de doorverwezen partij",
            klacht=case.complaint,
            contact_voor=case.contact_due_at,
            zaak_url=f"{settings.BASE_URL}/escalaties/{case.id}",
        )
    if note.kind == "piket":
        assert dossier is not None
        return Piket(
            opdrachtgever=client.name,
            ordernummer=dossier.order_number,
            contactpersoon=note.to_name,
            adres=f"{dossier.address_line}, {dossier.display_postcode} {dossier.city}",
            melder=dossier.contact_name,
            telefoon=dossier.contact_phone,
            uitkomst=str(data.get("outcome_label", "")),
            omschrijving=str(data.get("description", "")),
            dossier_url=f"{settings.BASE_URL}/dossiers/{dossier.order_number}",
            gemeld_op=dossier.created_at,
        )
    version = await ProtocolVersion.get(id=note.protocol_version_id)  # type: ignore[attr-defined]
    changes = note.body.split("Wijzigingen:\n", 1)[-1].splitlines() if note.body else []
    return ProtocolBevestiging(
        opdrachtgever=client.name,
        versie=version.version,
        geldig_vanaf=version.created_at,
        gepubliceerd_door=version.created_by_name,
        reden=version.reason,
        wijzigingen=tuple(changes),
        url=f"{settings.BASE_URL}/protocollen/{client.code}/versies/{version.version}",
    )
