"""A year of the demo's calls and e-mails, for the telephony figures and their heatmap.

Every demo dossier reported by phone or e-mail gets the contact it was made in; about as many
contacts again lead to no new dossier (questions, referrals, callers put through, repeat calls
about a dossier, a few hung up before anyone answered), drawn hour by hour with the seed's
rhythm (server/demo/rhythm.py: Monday and Tuesday mornings busiest, Friday afternoon quiet)
and two storm days when the lines run over and the waits grow long. Written in bulk: a few
thousand rows in a handful of statements, so `make run` stays quick.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from server.contacts.contacts import rederive
from server.demo import clock, rhythm
from server.domain import result_codes
from server.domain.codes import CATEGORY_LABELS
from server.domain.normalise import normalise_phone
from server.models import Client, Contact, ContactDossier, Dossier, User

# Contacts that make no dossier, per contact that made one (seed 002: about half make one).
OTHERS_PER_DOSSIER = 1.15
STORM_FACTOR = 10.0
PREFIX = "demo:jaar:"
AGENTS = ("anna.agent", "bram.agent")
LABELS = {c.code: c.label for c in result_codes.DEFAULT}
# What a contact without a new dossier led to, with its weight and a subject.
OTHER_RESULTS = (
    ("algemene_vraag", 30, "Vraag over huur, onderhoud of planning"),
    ("doorverwezen", 18, "Vraag voor VvE, huismeester of liftbedrijf"),
    ("doorverbonden", 14, "Wil de opdrachtgever zelf spreken"),
    ("op_afstand_opgelost", 12, "Storing op afstand verholpen"),
    ("herhaalmelding", 16, "Vraagt naar zijn openstaande melding"),
    ("geen_actie", 10, "Verkeerd verbonden"),
)
STORM_SUBJECTS = ("Stormschade: dakpannen en schutting", "Stormschade: vraag over vergoeding")


@dataclass(frozen=True)
class Link:
    call_id: str
    dossier_id: int
    created: bool
    at: datetime


def storm_days(now: datetime) -> tuple[date, ...]:
    """Two working days in the last autumn and winter (the demo's storms)."""
    found: list[date] = []
    for back in (34, 302):
        day = clock.local(now).date() - timedelta(days=back)
        while not clock.is_working_day(day):
            day -= timedelta(days=1)
        found.append(day)
    return tuple(found)


class Year:
    def __init__(
        self,
        rng: random.Random,
        clients: dict[str, Client],
        lines: dict[str, str],
        agents: list[User],
        now: datetime,
    ) -> None:
        self.rng, self.clients, self.lines, self.agents, self.now = rng, clients, lines, agents, now
        self.storms = storm_days(now)
        self.contacts: list[Contact] = []
        self.links: list[Link] = []

    def _agent(self) -> User:
        return self.rng.choice(self.agents)

    def _busy(self, at: datetime) -> float:
        """How long callers wait here: peaks and storms fill the queue."""
        local = clock.local(at)
        if local.date() in self.storms:
            return 90.0
        if local.weekday() in (0, 1) and 8 <= local.hour < 12:
            return 28.0
        return 12.0

    def _contact(self, client: Client, at: datetime, channel: str, n: int, **kw: object) -> Contact:
        agent = self._agent()
        inbound = channel == "telefoon_in"
        wait = round(self.rng.expovariate(1 / self._busy(at))) if inbound else 0
        missed = inbound and wait > self.rng.uniform(20, 150)  # the caller's patience
        answered = None if missed else at + timedelta(seconds=wait)
        talk = round(self.rng.lognormvariate(5.0, 0.5))
        ended = (answered or at + timedelta(seconds=wait)) + timedelta(
            seconds=0 if missed else talk
        )
        registered = None if missed else ended + timedelta(seconds=self.rng.randint(10, 90))
        contact = Contact(
            client_id=client.id,
            channel=channel,
            source="api" if channel.startswith("telefoon") else "balie",
            call_id=f"{PREFIX}{n}",
            line=normalise_phone(self.lines[client.code]) if inbound else "",
            agent_id=None if missed else agent.id,
            agent_name="" if missed else str(agent),
            agent_ref="" if missed else agent.username,
            offered_at=at,
            answered_at=answered,
            ended_at=ended,
            registered_at=registered,
            created_at=at,
            **kw,
        )
        if missed:
            contact.result_code, contact.result_label, contact.subject = None, "", ""
        rederive(contact)
        return contact

    def with_dossier(self, d: Dossier, n: int) -> None:
        """The contact in which the desk made this dossier."""
        code = next(c for c, client in self.clients.items() if client.id == d.client_id)  # type: ignore[attr-defined]
        channel = "email" if d.channel == "email" else "telefoon_in"
        at = d.created_at - timedelta(seconds=self.rng.randint(120, 420))
        contact = self._contact(
            self.clients[code],
            at,
            channel,
            n,
            caller=d.contact_email if channel == "email" else d.contact_phone,
            caller_name=d.contact_name,
            address_id=d.address_id,  # type: ignore[attr-defined]
            subject=CATEGORY_LABELS.get(d.category, d.category),
            result_code=result_codes.ORDER,
            result_label=LABELS[result_codes.ORDER],
        )
        if contact.answered_at is None:  # a dossier was made: this call was answered
            contact.answered_at = at + timedelta(seconds=self.rng.randint(3, 28))
            contact.ended_at = contact.answered_at + timedelta(seconds=240)
            contact.registered_at = d.created_at
            contact.agent_id = self.agents[0].id
            contact.agent_name = str(self.agents[0])
            contact.subject = CATEGORY_LABELS.get(d.category, d.category)
            contact.result_code, contact.result_label = result_codes.ORDER, LABELS["opdracht"]
            rederive(contact)
        self.contacts.append(contact)
        self.links.append(Link(contact.call_id or "", d.id, True, d.created_at))

    def other(self, client: Client, at: datetime, n: int, earlier: list[Dossier]) -> None:
        """A contact that made no dossier."""
        storm = clock.local(at).date() in self.storms
        channel = self.rng.choices(("telefoon_in", "email", "telefoon_uit"), (85, 11, 4))[0]
        code, _, subject = self.rng.choices(OTHER_RESULTS, [w for _, w, _ in OTHER_RESULTS])[0]
        if storm:
            code, subject = ("doorverwezen", self.rng.choice(STORM_SUBJECTS))
        concerns = earlier[-40:] if code == "herhaalmelding" else []
        if code == "herhaalmelding" and not concerns:
            code, subject = "algemene_vraag", OTHER_RESULTS[0][2]
        caller = f"+316{self.rng.randint(10_000_000, 99_999_999)}"
        contact = self._contact(
            client,
            at,
            channel,
            n,
            caller=f"huurder{n}@example.nl" if channel == "email" else caller,
            subject=subject,
            result_code=code,
            result_label=LABELS[code],
        )
        if code == "doorverbonden" and contact.answered_at and contact.ended_at:
            contact.transferred_to = normalise_phone(client.phone) if client.phone else ""
            contact.transferred_name = f"Klantenservice {client.name}"
            contact.transferred_at = contact.ended_at - timedelta(seconds=5)
        self.contacts.append(contact)
        if concerns and contact.result_code:
            dossier = self.rng.choice(concerns)
            self.links.append(Link(contact.call_id or "", dossier.id, False, contact.offered_at))


async def write_year(
    clients: dict[str, Client],
    users: dict[str, User],
    lines: dict[str, str],
    now: datetime,
    rng: random.Random,
    until: datetime,
) -> int:
    """A year of contacts up to `until` (the hand-made calls of the last hours follow it)."""
    agents = [users[name] for name in AGENTS]
    year = Year(rng, clients, lines, agents, now)
    start = now - timedelta(days=365)
    dossiers = await Dossier.filter(
        client_id__in=[c.id for c in clients.values()],
        channel__in=["telefoon", "email"],
        created_at__gte=start,
        created_at__lt=until,
    ).order_by("created_at")
    n = 0
    for d in dossiers:
        year.with_dossier(d, n)
        n += 1
    n = _others(year, dossiers, start, until, n)
    await Contact.bulk_create(year.contacts, batch_size=1000)
    found = await Contact.filter(call_id__startswith=PREFIX).values_list("call_id", "id")
    ids = {str(call_id): int(pk) for call_id, pk in found}
    await ContactDossier.bulk_create(
        [
            ContactDossier(
                contact_id=ids[link.call_id],
                dossier_id=link.dossier_id,
                created=link.created,
                at=link.at,
            )  # fmt: skip
            for link in year.links
        ],
        batch_size=1000,
    )
    return len(year.contacts)


def _others(year: Year, dossiers: list[Dossier], start: datetime, until: datetime, n: int) -> int:
    """Contacts without a new dossier, hour by hour with the rhythm's weights."""
    hours = int((until - start).total_seconds() // 3600)
    moments = [
        start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=h) for h in range(hours)
    ]
    weights = [rhythm.report_weight(m) for m in moments]
    storms = year.storms
    for i, m in enumerate(moments):
        if clock.local(m).date() in storms and 7 <= clock.local(m).hour < 22:
            weights[i] *= STORM_FACTOR
    wanted = OTHERS_PER_DOSSIER * len(dossiers)
    scale = wanted / sum(weights) / len(year.clients)
    by_client: dict[int, list[Dossier]] = {}
    pending = list(dossiers)
    for i, m in enumerate(moments):
        while pending and pending[0].created_at <= m:
            d = pending.pop(0)
            by_client.setdefault(d.client_id, []).append(d)  # type: ignore[attr-defined]
        for client in year.clients.values():
            for _ in range(_poisson(year.rng, weights[i] * scale)):
                at = m + timedelta(seconds=year.rng.randint(0, 3599))
                year.other(client, at, n, by_client.get(client.id, []))
                n += 1
    return n


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: the means here are small (well under ten an hour)."""
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
