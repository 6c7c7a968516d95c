"""A tenant's access request and erasure, done by an admin, each recorded (PrivacyRequest)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from media import storage
from server import settings
from server.contacts import retention as contact_retention
from server.domain.errors import Unprocessable
from server.dossiers import events
from server.dossiers import retention as dossier_retention
from server.models import (
    CallSurvey,
    EscalationCase,
    EscalationStep,
    MailMessage,
    OutboundMessage,
    Photo,
    PrivacyRequest,
    PushFollow,
    PushSubscription,
    Survey,
    User,
)
from server.privacy import holdings
from server.privacy.subjects import Subject

ACCESS = "inzage"
ERASURE = "wissen"
# What the admin types to confirm an erasure: it cannot be undone.
CONFIRM = "WISSEN"


def _reference(raw: str) -> str:
    reference = " ".join((raw or "").split())
    if len(reference) > 100:
        raise Unprocessable("Het kenmerk is te lang (hoogstens 100 tekens).", "kenmerk")
    return reference


async def _record(
    kind: str,
    subject: Subject,
    found: holdings.Holdings,
    user: User,
    reference: str,
) -> PrivacyRequest:
    return await PrivacyRequest.create(
        kind=kind,
        subject_kind=subject.kind,
        subject_key=subject.key,
        reference=reference,
        found=found.counts(),
        by=user,
        by_name=user.username,
        at=datetime.now(UTC),
    )


async def access(subject: Subject, user: User, reference: str = "") -> tuple[str, bytes]:
    """Everything held about the tenant as a ZIP: gegevens.json and the photos of their
    dossiers. Returns the file name and its bytes; the request is recorded."""
    found = await holdings.find(subject)
    document = await holdings.as_document(found)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "gegevens.json", json.dumps(document, ensure_ascii=False, indent=2, default=str)
        )
        order_numbers = {d.id: d.order_number for d in found.dossiers}
        for n, photo in enumerate(found.photos, 1):
            path = Path(settings.MEDIA_ROOT) / storage.relative_path(photo.key)
            if path.is_file():
                order = order_numbers.get(photo.dossier_id, "dossier")  # type: ignore[attr-defined]
                archive.write(path, f"fotos/{order}/{n}.jpg")
    record = await _record(ACCESS, subject, found, user, _reference(reference))
    return f"inzage-{record.at:%Y%m%d}-{record.id}.zip", buffer.getvalue()


async def erase(
    subject: Subject,
    user: User,
    reference: str = "",
    confirm: str = "",
    photos: bool = False,
    note: str = "",
) -> PrivacyRequest:
    """Remove the tenant's details everywhere they are held, in one transaction.

    What stays: the dossiers and contacts themselves (address, category, times, result: the
    client's record of the repair and the figures), the survey scores without the remark.
    Photos only when asked (`photos`): whether a photo shows a person is the client's call.
    """
    if confirm.strip() != CONFIRM:
        raise Unprocessable(f"Typ {CONFIRM} om te bevestigen dat u wilt wissen.", "bevestig")
    reference = _reference(reference)
    note = (note or "").strip()[:2000]
    found = await holdings.find(subject)
    if found.empty:
        raise Unprocessable(
            "Over deze huurder is niets (meer) bewaard; er is niets te wissen.", "wie"
        )
    at = datetime.now(UTC)
    ids = found.dossier_ids
    photo_keys = {p.key for p in found.photos}
    async with in_transaction() as conn:
        for dossier in found.dossiers:
            await dossier_retention.scrub(dossier, conn)
            await events.record(
                dossier, "anonymised", user, at, conn, request=ERASURE, reference=reference or None
            )
        await contact_retention.scrub([c.id for c in found.contacts], conn)
        await (
            MailMessage.filter(id__in=[m.id for m in found.mails])
            .using_db(conn)
            .update(sender="", sender_name="", recipient="", text="", attachments=[])
        )
        await (
            OutboundMessage.filter(id__in=[m.id for m in found.messages])
            .using_db(conn)
            .update(recipient="", recipient_name="", body="", html="")
        )
        await Survey.filter(dossier_id__in=ids).using_db(conn).update(remark="")
        # The case stays for the client's figures (opened, contacted in time, closed); what
        # was written about the tenant goes.
        await (
            EscalationCase.filter(id__in=[c.id for c in found.escalations])
            .using_db(conn)
            .update(complaint="", result="")
        )
        await (
            EscalationStep.filter(id__in=[s.id for s in found.escalation_steps])
            .using_db(conn)
            .update(text="")
        )
        await (
            CallSurvey.filter(id__in=[s.id for s in found.call_surveys])
            .using_db(conn)
            .update(remark="", caller_key=None)
        )
        follower_ids = await (
            PushFollow.filter(dossier_id__in=ids)
            .using_db(conn)
            .values_list("subscription_id", flat=True)
        )
        await PushFollow.filter(dossier_id__in=ids).using_db(conn).delete()
        # A tenant's browser that now follows nothing is theirs alone: it goes too.
        still = await (
            PushFollow.filter(subscription_id__in=list(follower_ids))
            .using_db(conn)
            .values_list("subscription_id", flat=True)
        )
        alone = set(follower_ids) - set(still)
        await PushSubscription.filter(id__in=list(alone), user_id=None).using_db(conn).delete()
        if photos:
            await Photo.filter(dossier_id__in=ids).using_db(conn).delete()
        record = await PrivacyRequest.create(
            using_db=conn,
            kind=ERASURE,
            subject_kind=subject.kind,
            subject_key=subject.key,
            reference=reference,
            note=note,
            found=found.counts(),
            photos_removed=photos and bool(photo_keys),
            by=user,
            by_name=user.username,
            at=at,
        )
    if photos:
        # Files after the commit; a file another dossier's photo shares stays.
        still_used = set(await Photo.filter(key__in=list(photo_keys)).values_list("key", flat=True))
        for key in photo_keys - still_used:
            storage.delete(settings.MEDIA_ROOT, key)
    return record


async def history(subject: Subject | None = None, limit: int = 50) -> list[PrivacyRequest]:
    query = PrivacyRequest.all()
    if subject is not None:
        query = query.filter(Q(subject_key=subject.key))
    return list(await query.order_by("-at", "-id").limit(limit))
