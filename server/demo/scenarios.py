"""A year of meldkamer work as plain data: who reported what, when, and what happened next.

Plain Python and a seeded random generator: the same seed and the same day give the same
history. `history.write_history` plays the stories through the real dossier services.

The shape follows a real meldkamer: most reports on Monday and Tuesday mornings, fewer on
Friday afternoon, emergencies in the evening and at the weekend; heating faults in winter,
leaks in the wet months, lock-outs in the evening.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from server.demo import clock, rhythm
from server.demo.texts import (
    CANCEL_REASONS,
    CONTACT_SUMMARIES,
    DESCRIPTIONS,
    FIRST_NAMES,
    FOLLOW_UP_REASONS,
    INTAKE_NOTES,
    REMOTE_ADVICE,
    SURNAMES,
    WORK_NOTES,
)

PAST_DOSSIERS = 600
OPEN_DOSSIERS = 30
# How old an open dossier of each urgency may be at the moment the demo is loaded.
OPEN_AGE = {"acuut": timedelta(hours=5), "urgent": timedelta(hours=22)}
NETBEHEERDER = "Stedin (netbeheerder gas en elektra)"


@dataclass(frozen=True)
class Site:
    """An address of the demo stock, with the parties registered for it (kind -> name)."""

    id: int
    client: str
    client_name: str
    latitude: float
    longitude: float
    parties: dict[str, str]


@dataclass(frozen=True)
class Crew:
    """A technician: database ids, trades and home base."""

    id: int
    contractor_id: int | None
    trades: tuple[str, ...]
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Tenant:
    name: str
    phone: str
    email: str


@dataclass(frozen=True)
class Step:
    """One thing that happens to a dossier after intake.

    kind is "transition" (value: target phase, data: what the move needs), "contact"
    (value: channel, data: summary), "note" (value: text) or "werkbon" (value: the work
    done, data: arrived_at and fixed). actor is "agent" (the story's agent) or "technician" (the
    dossier's technician).
    """

    at: datetime
    kind: str
    actor: str
    value: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Story:
    key: int
    created_at: datetime
    site: Site
    tenant: Tenant
    channel: str
    category: str
    description: str
    urgency: str
    order_type: str
    trade: str | None
    labour_minutes: int | None
    deadline_at: datetime | None
    agent: int
    technician: Crew | None = None
    parent: int | None = None
    steps: list[Step] = field(default_factory=list)


class _Timeline:
    """Builds a story's steps in time order, at least a minute apart."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.t = story.created_at

    def at(self, moment: datetime) -> datetime:
        self.t = max(moment, self.t + timedelta(minutes=1))
        return self.t

    def wait(self, rng: random.Random, low: int, high: int) -> datetime:
        return self.at(self.t + timedelta(minutes=rng.randint(low, high)))

    def move(self, at: datetime, target: str, actor: str = "agent", **data: Any) -> None:
        self.story.steps.append(Step(self.at(at), "transition", actor, target, data))

    def contact(self, at: datetime, how: str, summary: str) -> None:
        self.story.steps.append(Step(self.at(at), "contact", "agent", how, {"summary": summary}))

    def note(self, at: datetime, text: str, actor: str = "agent") -> None:
        self.story.steps.append(Step(self.at(at), "note", actor, text))

    def werkbon(self, at: datetime, work_done: str, arrived: datetime, fixed: bool) -> None:
        """The technician's werkbon of the visit that began at `arrived`."""
        data = {"arrived_at": arrived, "fixed": fixed}
        self.story.steps.append(Step(self.at(at), "werkbon", "technician", work_done, data))


class Planner:
    def __init__(
        self, rng: random.Random, sites: list[Site], crew: list[Crew], now: datetime
    ) -> None:
        self.rng = rng
        self.sites = sites
        self.crew = crew
        self.now = now
        # Some homes report far more than others.
        self.site_weight = [rng.lognormvariate(0, 0.8) for _ in sites]
        self.tenants: dict[int, Tenant] = {}
        self.stories: list[Story] = []

    def plan(self) -> list[Story]:
        start = self.now - timedelta(days=365)
        for _ in range(PAST_DOSSIERS):
            self._story(self._moment(start, self.now - timedelta(days=3)))
        for _ in range(OPEN_DOSSIERS):
            _stop_early(self.rng, self._open_story())
        kept = [s for s in self.stories if s.created_at <= self.now]
        for story in kept:
            story.steps = [step for step in story.steps if step.at <= self.now]
        kept.sort(key=lambda s: s.created_at)
        return kept

    def _open_story(self) -> Story:
        """A dossier still open now: an acuut one is hours old, an urgent one within its day.

        An acuut report left open for days would show a meldkamer that does not work.
        """
        while True:
            moment = self._moment(self.now - timedelta(days=3), self.now - timedelta(minutes=20))
            story = self._story(moment, dispatch=True)
            limit = OPEN_AGE.get(story.urgency)
            if limit is None or self.now - story.created_at <= limit:
                return story
            self.stories.remove(story)

    # -- when, where, what ------------------------------------------------------------------

    def _moment(self, start: datetime, end: datetime) -> datetime:
        """A report time, drawn by weekday, hour and season (rejection sampling)."""
        span = (end - start).total_seconds()
        while True:
            at = start + timedelta(seconds=self.rng.uniform(0, span))
            if self.rng.uniform(0, 4.2) < rhythm.report_weight(at):
                return at

    def _site(self, category: str) -> Site:
        if category in ("lift", "monitoring"):
            candidates = [s for s in self.sites if category in s.parties]
            if candidates:
                return self.rng.choice(candidates)
        return self.rng.choices(self.sites, weights=self.site_weight)[0]

    def _tenant(self, site: Site) -> Tenant:
        if site.id not in self.tenants:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(SURNAMES)
            local_part = f"{first}.{last}".lower().replace(" ", "")
            email = f"{local_part}@example.com" if self.rng.random() < 0.6 else ""
            phone = f"06-{self.rng.randint(1, 5)}{self.rng.randint(0, 9_999_999):07d}"
            self.tenants[site.id] = Tenant(f"{first} {last}", phone, email)
        return self.tenants[site.id]

    def _story(
        self,
        created: datetime,
        dispatch: bool = False,
        parent: Story | None = None,
    ) -> Story:
        rng = self.rng
        out_of_hours = not clock.in_office_hours(created)
        if parent is None:
            category = rhythm.category(rng, created, out_of_hours)
            site = self._site(category)
            if category in ("lift", "monitoring") and category not in site.parties:
                category = "overig"
        else:
            category, site = parent.category, parent.site
        tenant = self._tenant(site)
        channel = "telefoon"
        if not out_of_hours and parent is None:
            channel = rng.choices(("telefoon", "email", "web", "app"), (78, 9, 9, 4))[0]
            if channel == "email" and not tenant.email:
                channel = "telefoon"
        urgency = rhythm.urgency(rng, category, created)
        trade = rhythm.TRADE.get(category)
        if category == "lekkage_woning":
            trade = "DAK" if rng.random() < 0.35 else "LOO"
        order_type = {"glasschade": "glasfonds", "buitensluiting": "rekening_huurder"}.get(
            category, "serviceabonnement" if trade == "CVI" and rng.random() < 0.4 else None
        )
        description = rng.choice(DESCRIPTIONS[category])
        if parent is not None:
            description = f"Herhaalmelding: de storing is terug. {description}"
        deadline = {"acuut": timedelta(hours=2), "urgent": timedelta(hours=24)}.get(urgency)
        story = Story(
            key=len(self.stories),
            created_at=created,
            site=site,
            tenant=tenant,
            channel=channel,
            category=category,
            description=description,
            urgency=urgency,
            order_type=order_type or "reparatieonderhoud",
            trade=trade,
            labour_minutes=rhythm.LABOUR[trade] if trade else None,
            deadline_at=created + deadline if deadline else None,
            agent=rng.randrange(2),
            parent=parent.key if parent else None,
        )
        self.stories.append(story)
        timeline = _Timeline(story)
        if rng.random() < 0.1:
            timeline.note(timeline.wait(rng, 1, 3), rng.choice(INTAKE_NOTES))
        path = "dispatch" if (dispatch or parent) and trade else _path(rng, story)
        if path == "dispatch":
            self._dispatch(story, timeline)
        else:
            _close_at_desk(rng, story, timeline, path)
        return story

    # -- the paths ----------------------------------------------------------------------------

    def _dispatch(self, story: Story, timeline: _Timeline) -> None:
        rng = self.rng
        assert story.trade is not None, "dispatch needs a trade"
        acute = story.urgency == "acuut"
        if story.channel != "telefoon":
            timeline.move(clock.next_office_moment(rng, timeline.t, 60), "contact_opnemen")
            timeline.contact(timeline.wait(rng, 2, 30), "telefoon", rng.choice(CONTACT_SUMMARIES))
        elif rng.random() < 0.8:
            timeline.move(timeline.wait(rng, 1, 4), "analyseren")
        if acute:
            dispatch_at = timeline.wait(rng, 3, 15)
        elif story.urgency == "urgent":
            dispatch_at = clock.next_office_moment(rng, timeline.t, 60)
        else:
            dispatch_at = clock.next_office_moment(
                rng, clock.at_local(clock.working_day_after(clock.local(timeline.t).date()), 8)
            )
        crew = self._technician(story)
        story.technician = crew
        timeline.move(
            dispatch_at,
            "doorgezet_naar_monteur",
            technician_id=crew.id,
            contractor_id=crew.contractor_id,
        )
        first_visit = self._appointment(story, timeline, acute)
        if not any(s.kind == "contact" for s in story.steps):
            summary = (
                "Huurder gebeld: monteur is onderweg."
                if acute
                else "Afspraak met huurder bevestigd."
            )
            when = timeline.wait(rng, 1, 10)
            if rng.random() < 0.06:  # not reached at once: a later call-back
                when = timeline.at(when + timedelta(hours=rng.randint(22, 50)))
            timeline.contact(when, "telefoon", summary)
        result = self._visit(story, timeline, first_visit)
        if result == "follow_up":
            timeline.move(
                timeline.wait(rng, 1, 5),
                "doorgezet_naar_monteur",
                "technician",
                reason=rng.choice(FOLLOW_UP_REASONS),
            )
            later = clock.at_local(
                clock.working_day_after(clock.local(timeline.t).date(), rng.randint(1, 4)), 7
            )
            result = self._visit(story, timeline, self._appointment(story, timeline, False, later))
        if story.parent is None and story.created_at < self.now - timedelta(days=20):
            chance = {"niet_verholpen": 0.7, "tijdelijk_verholpen": 0.5}.get(result, 0.05)
            if rng.random() < chance:
                again = timeline.t + timedelta(days=rng.uniform(1, 20))
                self._story(self._moment(again, again + timedelta(days=2)), parent=story)

    def _technician(self, story: Story) -> Crew:
        """One of the nearest technicians of the trade, mostly the nearest."""
        able = [c for c in self.crew if story.trade in c.trades]
        able.sort(key=lambda c: _distance_km(c, story.site))
        return self.rng.choices(able[:3], (0.6, 0.3, 0.1)[: len(able[:3])])[0]

    def _appointment(
        self, story: Story, timeline: _Timeline, acute: bool, earliest: datetime | None = None
    ) -> datetime:
        rng = self.rng
        planned = timeline.wait(rng, 2, 25)
        if acute:
            start = planned + timedelta(minutes=5 * rng.randint(6, 20))
        elif story.urgency == "urgent" and earliest is None:
            start = clock.slot(rng, planned + timedelta(hours=2), saturday=True)
        else:
            day = clock.working_day_after(clock.local(planned).date(), rng.randint(2, 8))
            start = clock.slot(rng, earliest or clock.at_local(day, 7, 30))
        minutes = story.labour_minutes or 60
        timeline.move(
            planned,
            "afspraak_ingepland",
            appointment_start=start,
            appointment_end=start + timedelta(minutes=max(60, minutes)),
        )
        return start

    def _visit(self, story: Story, timeline: _Timeline, start: datetime) -> str:
        """The technician's visit: start, work, a note and the result (or a follow-up)."""
        rng = self.rng
        timeline.move(start + timedelta(minutes=rng.randint(-5, 20)), "in_uitvoering", "technician")
        arrived = timeline.t
        done = timeline.at(
            timeline.t + timedelta(minutes=(story.labour_minutes or 60) * rng.uniform(0.6, 1.5))
        )
        assert story.trade is not None
        work = rng.choice(WORK_NOTES[story.trade])
        # Written as he would: a technician closes a job only with the visit's werkbon.
        if rng.random() < 0.14 and not any(s.data.get("reason") for s in story.steps):
            timeline.werkbon(done, work, arrived, fixed=False)
            return "follow_up"
        if story.category == "buitensluiting":
            result = "rekening_huurder"
        else:
            result = rng.choices(
                ("verholpen", "geen_storing", "tijdelijk_verholpen", "niet_verholpen"),
                (85, 5, 5, 5),
            )[0]
        timeline.werkbon(done, work, arrived, fixed=result in ("verholpen", "rekening_huurder"))
        timeline.move(timeline.wait(rng, 1, 3), "afgerond", "technician", result_code=result)
        return result


def plan_history(
    rng: random.Random, sites: list[Site], crew: list[Crew], now: datetime
) -> list[Story]:
    """The demo's dossiers in creation order, with everything after each intake."""
    return Planner(rng, sites, crew, now).plan()


def _path(rng: random.Random, story: Story) -> str:
    """What the desk does with the report: dispatch, remote, refer, no_action or cancel."""
    parties = story.site.parties
    if story.category in ("lift", "monitoring"):
        return "refer" if rng.random() < 0.85 else "remote"
    if story.category == "gaslek" and rng.random() < 0.45:
        return "refer"
    if rng.random() < 0.04:
        return "cancel"
    if story.urgency == "niet_urgent":
        return rng.choices(("no_action", "remote", "dispatch"), (65, 10, 25))[0]
    if (
        "vve" in parties
        and story.site.client != "VBM"
        and story.category in ("lekkage_woning", "storm", "overig")
        and rng.random() < 0.4
    ):
        return "refer"
    if rng.random() < rhythm.REMOTE_SHARE.get(story.category, 0.03):
        return "remote"
    return "dispatch"


def _close_at_desk(rng: random.Random, story: Story, timeline: _Timeline, path: str) -> None:
    timeline.move(timeline.wait(rng, 1, 4), "analyseren")
    by_email = story.channel == "email"
    if path == "no_action":
        timeline.move(
            timeline.wait(rng, 1, 5), "op_afstand_opgelost", result_code="geen_actie_niet_urgent"
        )
        timeline.note(
            timeline.wait(rng, 0, 2),
            f"Huurder geadviseerd de eerstvolgende werkdag {story.site.client_name} te bellen.",
        )
        return
    if by_email:
        timeline.contact(clock.next_office_moment(rng, timeline.t), "email", "Huurder gemaild.")
    elif path != "refer" or rng.random() < 0.6:
        timeline.contact(timeline.wait(rng, 2, 20), "telefoon", rng.choice(CONTACT_SUMMARIES))
    if path == "remote":
        advice = REMOTE_ADVICE.get(
            story.category, "Huurder telefonisch geholpen, storing opgelost."
        )
        timeline.note(timeline.wait(rng, 1, 5), advice)
        result = "per_email_opgelost" if by_email else "telefonisch_opgelost"
        timeline.move(timeline.wait(rng, 0, 3), "op_afstand_opgelost", result_code=result)
    elif path == "refer":
        kind = {"lift": "lift", "monitoring": "monitoring", "gaslek": "netbeheerder"}.get(
            story.category, "vve"
        )
        party = NETBEHEERDER if kind == "netbeheerder" else story.site.parties[kind]
        timeline.move(timeline.wait(rng, 1, 10), "doorverwezen", referred_to=party)
    else:
        reason = rng.choice(CANCEL_REASONS)
        timeline.move(timeline.wait(rng, 10, 240), "geannuleerd", reason=reason)


def _stop_early(rng: random.Random, story: Story) -> None:
    """Cut an open dossier's story at a phase it is still in."""
    target = rng.choices(
        ("nieuw", "analyseren", "doorgezet_naar_monteur", "afspraak_ingepland", "in_uitvoering"),
        (3, 5, 7, 10, 5),
    )[0]
    if target == "nieuw":
        story.steps = []
        return
    for index, step in enumerate(story.steps):
        if step.kind == "transition" and step.value == target:
            story.steps = story.steps[: index + 1]
            return


def _distance_km(crew: Crew, site: Site) -> float:
    dlat = (crew.latitude - site.latitude) * 111.2
    dlon = (crew.longitude - site.longitude) * 111.2 * math.cos(math.radians(site.latitude))
    return math.hypot(dlat, dlon)
