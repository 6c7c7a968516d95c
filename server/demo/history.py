"""Playing the planned stories through the real dossier services, in time order.

Every event is written by the same service a person would use (create, transition,
record_contact, add_note, and the nightly archive job), so phases, timestamps and the timeline
agree exactly as they would in production.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from server import settings
from server.demo import clock
from server.demo.scenarios import Step, Story
from server.demo.staff import Staff
from server.models import Dossier, User
from server.services import dossiers
from server.services.archive import archive_closed
from server.services.dossiers import AddressInput, DossierInput

ARCHIVE_HOUR, ARCHIVE_MINUTE = 3, 15  # when the worker's nightly archive runs


class _Nightly:
    """The nightly archive job, run for every night the history passes."""

    def __init__(self, first: datetime) -> None:
        day = clock.local(first).date()
        self.next = clock.at_local(day, ARCHIVE_HOUR, ARCHIVE_MINUTE)

    async def until(self, moment: datetime) -> None:
        while self.next <= moment:
            await archive_closed(settings.ARCHIVE_AFTER_DAYS, at=self.next)
            day = clock.local(self.next).date() + timedelta(days=1)
            self.next = clock.at_local(day, ARCHIVE_HOUR, ARCHIVE_MINUTE)


async def write_history(stories: list[Story], staff: Staff, now: datetime) -> int:
    """Create every story's dossier and replay its steps; returns the number of dossiers."""
    if not stories:
        return 0
    agents = [staff.users["anna.agent"], staff.users["bram.agent"]]
    nightly = _Nightly(stories[0].created_at)
    created: dict[int, Dossier] = {}
    for story in stories:
        await nightly.until(story.created_at)
        parent = created[story.parent] if story.parent is not None else None
        dossier = await dossiers.create(
            agents[story.agent], _intake(story, parent), story.created_at
        )
        await _triage(dossier, story)
        created[story.key] = dossier
        for step in story.steps:
            if step.actor == "technician":
                assert story.technician is not None, "a technician step needs a technician"
                actor = staff.technician_users[story.technician.id]
            else:
                actor = agents[story.agent]
            await _apply(actor, dossier, step)
    await nightly.until(now)
    return len(created)


def _intake(story: Story, parent: Dossier | None) -> DossierInput:
    return DossierInput(
        client=story.site.client,
        address=AddressInput(id=story.site.id),
        contact_name=story.tenant.name,
        contact_phone=story.tenant.phone,
        contact_email=story.tenant.email,
        channel=story.channel,
        category=story.category,
        description=story.description,
        parent=parent.order_number if parent else None,
    )


async def _triage(dossier: Dossier, story: Story) -> None:
    """What triage decides, set directly (the demo does not walk the protocol questions)."""
    values = {
        "urgency": story.urgency,
        "order_type": story.order_type,
        "trade": story.trade,
        "labour_minutes": story.labour_minutes,
        "deadline_at": story.deadline_at,
    }
    await Dossier.filter(id=dossier.id).update(**values)
    for key, value in values.items():
        setattr(dossier, key, value)


async def _apply(actor: User, dossier: Dossier, step: Step) -> None:
    if step.kind == "transition":
        await dossiers.transition(actor, dossier, step.value, dict(step.data), step.at)
    elif step.kind == "contact":
        await dossiers.record_contact(actor, dossier, step.value, step.data["summary"], step.at)
    else:
        await dossiers.add_note(actor, dossier, step.value, step.at)
