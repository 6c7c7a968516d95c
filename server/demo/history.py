"""Playing the planned stories through the real dossier services, in time order.

Every event is written by the same service a person would use (create, transition,
record_contact, add_note, and the nightly archive job), so phases, timestamps and the timeline
agree exactly as they would in production.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from server import settings
from server.communication import surveys
from server.demo import clock
from server.demo.scenarios import Step, Story
from server.demo.staff import Staff
from server.demo.texts import SURVEY_REMARKS
from server.dossiers import dossiers
from server.dossiers.archive import archive_closed
from server.dossiers.dossiers import AddressInput, DossierInput
from server.fieldwork import werkbons
from server.models import Client, ClientNotification, Dossier, Technician, User
from server.protocols import protocols, triage
from server.protocols.triage import TriageInput
from server.triage.paths import complete_evaluations

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
        await _triage(agents[story.agent], dossier, story)
        created[story.key] = dossier
        for step in story.steps:
            if step.actor == "technician":
                assert story.technician is not None, "a technician step needs a technician"
                actor = staff.technician_users[story.technician.id]
            else:
                actor = agents[story.agent]
            await _apply(actor, dossier, step)
        await _survey(dossier, story, now)
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


async def _triage(agent: User, dossier: Dossier, story: Story) -> None:
    """Triage through the client's protocol with answers that lead to the planned urgency.

    The dossier then carries a real, explainable decision. Where no way through the protocol
    gives the planned urgency at that moment, the decision is set directly instead.
    """
    await dossier.fetch_related("client", "address")
    answers = await _answers_for(dossier.client, story)
    if answers is None:
        await _set_directly(dossier, story)
        return
    data = TriageInput(subject=story.category, answers=answers, at=story.created_at)
    decision = await triage.decide(dossier.client, data, dossier.address)
    await triage.record(agent, dossier, decision, story.created_at)
    # An on-call alert in the past was sent back then; it must not go out now.
    await ClientNotification.filter(dossier_id=dossier.id, status="wachtrij").update(
        status="verzonden", sent_at=story.created_at
    )


async def _answers_for(client: Client, story: Story) -> dict[str, str] | None:
    protocol = protocols.protocol(client, await protocols.current(client))
    sent = any(step.value == "doorgezet_naar_monteur" for step in story.steps)
    paths = [
        (answers, evaluation.outcome)
        for answers, evaluation in complete_evaluations(
            protocol, story.category, story.created_at, triage.calendar_for(client)
        )
        # A story that sends someone needs an outcome that gives an order for the work.
        if evaluation.outcome is not None
        and (evaluation.outcome.order_type is not None or not sent)
        and evaluation.outcome.urgency is not None
        and evaluation.outcome.urgency.value == story.urgency
    ]
    same_trade = [answers for answers, outcome in paths if outcome.trade == story.trade]
    choices = same_trade or [answers for answers, _ in paths]
    return random.Random(story.key).choice(choices) if choices else None


async def _set_directly(dossier: Dossier, story: Story) -> None:
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


SURVEY_SHARE = 0.35  # tenants who answer the survey after a visit


async def _survey(dossier: Dossier, story: Story, now: datetime) -> None:
    """Some tenants rate the visit a few hours or days after it was closed."""
    rng = random.Random(f"survey-{story.key}")
    result = dossier.result_code
    if dossier.technician_id is None or dossier.closed_at is None or result is None:  # type: ignore[attr-defined]
        return
    at = dossier.closed_at + timedelta(hours=rng.uniform(1, 72))
    if rng.random() > SURVEY_SHARE or at > now:
        return
    good = result in ("verholpen", "geen_storing", "rekening_huurder")
    low, high = (3, 5) if good else (1, 3)
    values = {name: str(rng.randint(low, high)) for name in surveys.QUESTIONS}
    values["remark"] = rng.choice(SURVEY_REMARKS["good" if good else "bad"])
    await surveys.submit(dossier, values, at)


async def _apply(actor: User, dossier: Dossier, step: Step) -> None:
    if step.kind == "transition":
        await dossiers.transition(actor, dossier, step.value, dict(step.data), step.at)
    elif step.kind == "contact":
        await dossiers.record_contact(actor, dossier, step.value, step.data["summary"], step.at)
    elif step.kind == "werkbon":
        arrived: datetime = step.data["arrived_at"]
        values = {
            "work_done": step.value,
            "minutes": round((step.at - arrived).total_seconds() / 60),
            "fixed": step.data["fixed"],
            "arrived_at": arrived,
            "finished_at": step.at,
        }
        technician = await Technician.get_or_none(user_id=actor.id)
        op_id = f"demo-{dossier.order_number}-{int(step.at.timestamp())}"
        await werkbons.store(
            dossier, actor, technician, op_id, values, reported_at=step.at, created_at=step.at
        )
    else:
        await dossiers.add_note(actor, dossier, step.value, step.at)
