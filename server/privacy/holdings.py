"""Everything held about one tenant (server/privacy/subjects.py): their dossiers (as the
caller), contacts (calls and e-mails from them), e-mails, messages sent to them, surveys,
push follows, the photos and werkbon signatures of their dossiers, and the escalation cases
opened on their dossiers (the complaint and the steps' notes speak of them).

Found by the number or address as stored now. A dossier whose number was corrected away is
not found by the old one; its timeline still holds the old value and is scrubbed with the
dossier once the dossier is found by its current number (docs/privacy.md, limits).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tortoise.expressions import Q

from server.communication.call_surveys import caller_key
from server.models import (
    CallSurvey,
    Contact,
    Dossier,
    DossierEvent,
    EscalationCase,
    EscalationStep,
    MailMessage,
    OutboundMessage,
    Photo,
    PushFollow,
    RepairLog,
    Survey,
)
from server.privacy.subjects import PHONE, Subject


@dataclass
class Holdings:
    subject: Subject
    dossiers: list[Dossier] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    mails: list[MailMessage] = field(default_factory=list)
    messages: list[OutboundMessage] = field(default_factory=list)
    surveys: list[Survey] = field(default_factory=list)
    call_surveys: list[CallSurvey] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)
    signatures: list[RepairLog] = field(default_factory=list)
    escalations: list[EscalationCase] = field(default_factory=list)
    escalation_steps: list[EscalationStep] = field(default_factory=list)
    push_follows: int = 0

    @property
    def dossier_ids(self) -> list[int]:
        return [d.id for d in self.dossiers]

    def counts(self) -> dict[str, int]:
        return {
            "dossiers": len(self.dossiers),
            "contacten": len(self.contacts),
            "e-mails": len(self.mails),
            "berichten": len(self.messages),
            "enquetes": len(self.surveys) + len(self.call_surveys),
            "fotos": len(self.photos),
            "handtekeningen": len(self.signatures),
            "escalaties": len(self.escalations),
            "pushvolgers": self.push_follows,
        }

    @property
    def empty(self) -> bool:
        return not any(self.counts().values())


async def find(subject: Subject) -> Holdings:
    if subject.kind == PHONE:
        dossiers = Dossier.filter(contact_phone=subject.value)
        mails = MailMessage.filter(id__in=[])
    else:
        dossiers = Dossier.filter(contact_email=subject.value)
        mails = MailMessage.filter(
            Q(sender__iexact=subject.value) | Q(recipient__iexact=subject.value)
        )
    found = Holdings(subject, dossiers=list(await dossiers.order_by("created_at", "id")))
    ids = found.dossier_ids
    found.contacts = list(
        await Contact.filter(caller__iexact=subject.value).order_by("offered_at", "id")
    )
    contact_ids = [c.id for c in found.contacts]
    found.mails = list(
        await MailMessage.filter(
            Q(id__in=[m.id for m in await mails]) | Q(contact_id__in=contact_ids)
        ).order_by("received_at", "id")
    )
    found.messages = list(
        await OutboundMessage.filter(
            Q(recipient__iexact=subject.value) | Q(dossier_id__in=ids, notification_id=None)
        ).order_by("created_at", "id")
    )
    found.surveys = list(await Survey.filter(dossier_id__in=ids).order_by("submitted_at"))
    found.call_surveys = list(
        await CallSurvey.filter(
            Q(contact_id__in=contact_ids) | Q(caller_key=caller_key(subject.value))
        ).order_by("invited_at")
    )
    found.photos = list(await Photo.filter(dossier_id__in=ids).order_by("created_at", "id"))
    found.signatures = list(
        await RepairLog.filter(dossier_id__in=ids, signature__not_isnull=True).order_by("id")
    )
    found.escalations = list(
        await EscalationCase.filter(dossier_id__in=ids).order_by("opened_at", "id")
    )
    found.escalation_steps = list(
        await EscalationStep.filter(case_id__in=[c.id for c in found.escalations]).order_by(
            "at", "id"
        )
    )
    found.push_follows = await PushFollow.filter(dossier_id__in=ids).count()
    return found


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


async def as_document(found: Holdings) -> dict[str, Any]:
    """The access request's answer: what we hold, in plain fields (no internal ids beyond the
    order numbers a tenant knows), ready to be written as JSON."""
    events = await DossierEvent.filter(dossier_id__in=found.dossier_ids).order_by("at", "id")
    timeline: dict[int, list[dict[str, Any]]] = {}
    for event in events:
        timeline.setdefault(event.dossier_id, []).append(
            {"wanneer": _when(event.at), "soort": event.kind, "gegevens": event.data}
        )
    order_numbers = {d.id: d.order_number for d in found.dossiers}
    return {
        "betreft": {"soort": found.subject.kind, "waarde": found.subject.value},
        "dossiers": [
            {
                "ordernummer": d.order_number,
                "gemeld": _when(d.created_at),
                "kanaal": d.channel,
                "adres": d.address_line,
                "postcode": d.postcode,
                "plaats": d.city,
                "naam": d.contact_name,
                "telefoon": d.contact_phone,
                "e-mail": d.contact_email,
                "taal": d.language,
                "categorie": d.category,
                "omschrijving": d.description,
                "urgentie": d.urgency,
                "fase": d.phase,
                "afspraak_van": _when(d.appointment_start),
                "afspraak_tot": _when(d.appointment_end),
                "afgesloten": _when(d.closed_at),
                "tijdlijn": timeline.get(d.id, []),
            }
            for d in found.dossiers
        ],
        "contacten": [
            {
                "kanaal": c.channel,
                "van": c.caller,
                "naam": c.caller_name,
                "aangeboden": _when(c.offered_at),
                "onderwerp": c.subject,
                "resultaat": c.result_label,
                "notitie": c.note,
            }
            for c in found.contacts
        ],
        "e-mails": [
            {
                "richting": m.direction,
                "van": m.sender,
                "naam": m.sender_name,
                "aan": m.recipient,
                "onderwerp": m.subject,
                "tekst": m.text,
                "ontvangen": _when(m.received_at),
                "bijlagen": [a.get("name", "") for a in m.attachments],
            }
            for m in found.mails
        ],
        "berichten": [
            {
                "dossier": order_numbers.get(m.dossier_id),  # type: ignore[attr-defined]
                "kanaal": m.channel,
                "soort": m.kind,
                "aan": m.recipient,
                "onderwerp": m.subject,
                "tekst": m.body,
                "status": m.status,
                "gemaakt": _when(m.created_at),
                "verzonden": _when(m.sent_at),
            }
            for m in found.messages
        ],
        "enquetes": [
            {
                "dossier": order_numbers.get(s.dossier_id),  # type: ignore[attr-defined]
                "vriendelijkheid": s.friendliness,
                "deskundigheid": s.expertise,
                "behulpzaamheid": s.helpfulness,
                "oplossing": s.solution,
                "opmerking": s.remark,
                "ingevuld": _when(s.submitted_at),
            }
            for s in found.surveys
        ]
        + [
            {
                "gesprek": _when(s.invited_at),
                "vriendelijkheid": s.friendliness,
                "deskundigheid": s.expertise,
                "behulpzaamheid": s.helpfulness,
                "oplossing": s.solution,
                "opmerking": s.remark,
                "ingevuld": _when(s.submitted_at),
            }
            for s in found.call_surveys
        ],
        "fotos": [
            {
                "dossier": order_numbers.get(p.dossier_id),  # type: ignore[attr-defined]
                "bijschrift": p.caption,
                "genomen": _when(p.taken_at),
            }
            for p in found.photos
        ],
        "handtekeningen": [
            {
                "dossier": order_numbers.get(r.dossier_id),  # type: ignore[attr-defined]
                "naam": r.signed_by,
            }
            for r in found.signatures
        ],
        "escalaties": [
            {
                "dossier": order_numbers.get(c.dossier_id),  # type: ignore[attr-defined]
                "partij": c.party,
                "klacht": c.complaint,
                "geopend": _when(c.opened_at),
                "contact_uiterlijk": _when(c.contact_due_at),
                "contact_gehad": _when(c.contacted_at),
                "resultaat": c.result,
                "gesloten": _when(c.closed_at),
                "stappen": [
                    {"soort": step.kind, "tekst": step.text, "wanneer": _when(step.at)}
                    for step in found.escalation_steps
                    if step.case_id == c.id  # type: ignore[attr-defined]
                ],
            }
            for c in found.escalations
        ],
        "pushvolgers": found.push_follows,
    }
