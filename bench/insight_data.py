"""A realistic data set for the insight benchmark, loaded with COPY (asyncpg), not the ORM.

Dossiers over 3 years for N clients of Zipf-like sizes, with office-hour and Monday peaks,
realistic mixes of channel, category and urgency, and the event log the services would have
written: created, geocoded, triage, first contact, every phase transition (visits, second visits
after 'niet opgelost', remote solutions, referrals, cancellations, archiving after 14 days),
messages, repair logs and notes. About 6% of the visited dossiers get a repeat dossier (parent)
some days after closing, a fifth of the closed ones a survey. Deterministic for a seed.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from server import db
from server.domain import kpis
from server.domain.codes import CATEGORY_LABELS

CHANNELS = (("telefoon", 80), ("email", 8), ("web", 7), ("app", 5))
CATEGORIES = (
    ("cv_storing", 22),
    ("lekkage_woning", 18),
    ("lekkage_afvoer", 9),
    ("elektra", 9),
    ("buitensluiting", 8),
    ("glasschade", 7),
    ("lekkage_waterleiding", 7),
    ("overig", 7),
    ("inbraak", 4),
    ("lift", 3),
    ("boiler", 3),
    ("storm", 2),
    ("gaslek", 1),
)
OUTCOMES = ("ter plaatse nodig", "huurder lost zelf op", "doorverwijzen", "dezelfde dag")
URGENCY = (("acuut", 25), ("urgent", 40), ("niet_urgent", 35))
HOUR_WEIGHT = [1, 1, 1, 1, 1, 2, 3, 8, 18, 16, 14, 13, 11, 10, 10, 10, 9, 8, 6, 6, 5, 4, 3, 2]
DAY_WEIGHT = [18, 16, 14, 14, 11, 6, 5]
END = datetime(2026, 11, 1, tzinfo=UTC)
START = END - timedelta(days=3 * 365)
TECHNICIANS, CONTRACTORS = 300, 12
ARCHIVE_AFTER = timedelta(days=14)
HOUR, DAY = 60.0, 24 * 60.0
LETTERS = "ABCDEFGH"


def _table(pairs: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    return [k for k, _ in pairs], [w for _, w in pairs]


@dataclass
class Batch:
    dossiers: list[dict[str, Any]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    surveys: list[tuple[Any, ...]] = field(default_factory=list)


class Generator:
    """Dossiers one by one (ids from 1), with their events and surveys."""

    def __init__(self, clients: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.clients = clients
        self.client_weights = [1 / (i**0.8) for i in range(1, clients + 1)]
        self.next_dossier = self.next_event = self.next_survey = 0
        self.channels = _table(CHANNELS)
        self.categories = _table(CATEGORIES)
        self.urgencies = _table(URGENCY)
        self.labels = {c: [f"{CATEGORY_LABELS[c]}: {o}" for o in OUTCOMES] for c, _ in CATEGORIES}

    def moment(self) -> datetime:
        rng, span = self.rng, (END - START).total_seconds()
        while True:
            at = START + timedelta(seconds=rng.random() * span)
            if (
                rng.random() * 18 < DAY_WEIGHT[at.weekday()]
                and rng.random() * 18 < HOUR_WEIGHT[(at.hour + 1) % 24]
            ):
                return at

    def batch(self, size: int, limit: int) -> Batch:
        out = Batch()
        while len(out.dossiers) < size and self.next_dossier < limit:
            self._dossier(out, limit)
        return out

    def _event(
        self,
        out: Batch,
        row: dict[str, Any],
        at: datetime,
        kind: str,
        hours: float | None,
        **data: Any,
    ) -> None:
        """One event with the columns server/models/derived.py would have written."""
        self.next_event += 1
        actor = "systeem" if kind in ("geocoded", "bericht") else "Bench Medewerker"
        out.events.append(
            (
                self.next_event,
                row["id"],
                at,
                actor,
                kind,
                json.dumps(data),
                row["client_id"],
                data.get("from") if kind == "transition" else None,
                hours,
            )
        )

    def _dossier(
        self, out: Batch, limit: int, parent: dict[str, Any] | None = None, at: datetime = END
    ) -> None:
        rng = self.rng
        self.next_dossier += 1
        n = self.next_dossier
        if parent is None:
            created = self.moment()
            client_id = rng.choices(range(1, self.clients + 1), self.client_weights)[0]
            category = rng.choices(*self.categories)[0]
        else:
            created, client_id, category = at, parent["client_id"], parent["category"]
        urgency = rng.choices(*self.urgencies)[0]
        row: dict[str, Any] = {
            "id": n,
            "order_number": f"MK-B-{n:08d}",
            "client_id": client_id,
            "parent_id": parent["id"] if parent else None,
            "channel": rng.choices(*self.channels)[0],
            "category": category,
            "urgency": urgency,
            "created_at": created,
            "technician_id": None,
            "contractor_id": None,
            "result_code": None,
            "closed_at": None,
            "first_contact_at": None,
            "triage": {},
            "postcode": f"{rng.randint(1000, 9999)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}",
            "city": "Utrecht",
            "street": "Benchstraat",
            "house_number": rng.randint(1, 300),
            "contact_name": "Bench Huurder",
            "contact_name_search": "bench huurder",
            "geo_precision": "adres",
            "geo_source": "pdok",
        }
        self._life(out, row)
        out.dossiers.append(row)
        closed = row["closed_at"]
        visited = row["technician_id"] is not None or row["contractor_id"] is not None
        if closed is None:
            return
        if rng.random() < 0.2 and row["result_code"]:
            self._survey(out, row)
        repeat_at = closed + timedelta(days=rng.expovariate(1 / 15))
        if visited and rng.random() < 0.06 and repeat_at <= END and self.next_dossier < limit:
            self._dossier(out, limit, row, repeat_at)

    def _life(self, out: Batch, row: dict[str, Any]) -> None:
        """The phases the dossier goes through, as transition events up to END."""
        rng = self.rng
        at: datetime = row["created_at"]
        phase = "nieuw"
        log: list[tuple[datetime, str, dict[str, Any]]] = [(at, "created", {})]

        def step(minutes: float, kind: str, /, **data: Any) -> None:
            log.append((at + timedelta(minutes=minutes), kind, data))

        def move(to: str, minutes: float, /, **data: Any) -> None:
            nonlocal at, phase
            at = at + timedelta(minutes=max(minutes, 0.5))
            log.append((at, "transition", {"from": phase, "to": to, **data}))
            phase = to

        step(0.2, "geocoded", precision="adres")
        if rng.random() < 0.85:
            label = rng.choice(self.labels[row["category"]])
            row["triage"] = {"subject": row["category"], "outcome": {"label": label}}
            row["triage_outcome"] = label
            step(3, "triage", outcome=label)
        urgency, fate = row["urgency"], rng.random()
        contact = at + timedelta(minutes=rng.expovariate(1 / (5 * HOUR)))
        result = None
        if fate < 0.03:
            move("geannuleerd", rng.expovariate(1 / 120), reason="Dubbel gemeld")
        elif fate < 0.07:
            move("analyseren", rng.expovariate(1 / 10))
            move("doorverwezen", rng.expovariate(1 / 60), referred_to="VvE")
            result = "doorverwezen"
        elif urgency == "niet_urgent" or fate < 0.25:
            if rng.random() < 0.4:
                move("contact_opnemen", rng.expovariate(1 / 30))
            move("op_afstand_opgelost", rng.expovariate(1 / 40))
            result = rng.choice(["telefonisch_opgelost", "geen_actie_niet_urgent"])
            contact = min(contact, at)
        else:
            result = self._visits(row, move, step)
        if contact <= END:
            row["first_contact_at"] = contact
            log.append((contact, "contact", {"how": "telefoon"}))
        step(rng.uniform(1, 30), "bericht", template="ontvangst")
        if rng.random() < 0.2:
            step(rng.uniform(5, 600), "note", text="Huurder belde terug.")
        if phase in ("afgerond", "op_afstand_opgelost", "doorverwezen", "geannuleerd"):
            row["closed_at"], row["result_code"] = at, result
            archived = at + ARCHIVE_AFTER
            if archived <= END:
                log.append(
                    (archived, "transition", {"from": phase, "to": "gearchiveerd"}),
                )
                phase = "gearchiveerd"
        log.sort(key=lambda e: e[0])
        log = [e for e in log if e[0] <= END]
        entered = None
        for when, kind, data in log:
            hours = kpis.phase_hours(entered, when) if kind == "transition" else None
            self._event(out, row, when, kind, hours, **data)
            if kind in kpis.STEP_KINDS:
                entered = when
        facts = kpis.visits((w, d["to"]) for w, k, d in log if k == "transition")
        row.update(visits=facts.count, first_visit_at=facts.first, remote_solved=facts.remote)
        if row["closed_at"] is not None and row["closed_at"] > END:
            row["closed_at"] = row["result_code"] = None
            phase = next(
                (d["to"] for w, k, d in reversed(log) if k == "transition" and w <= END), "nieuw"
            )
        row["phase"] = phase
        row["updated_at"] = min(at, END)

    def _visits(self, row: dict[str, Any], move: Any, step: Any) -> str:
        """Technician or contractor: one visit, sometimes two; the result of the last."""
        rng = self.rng
        move("analyseren", rng.expovariate(1 / 10))
        if rng.random() < 0.15:
            row["contractor_id"] = rng.randint(1, CONTRACTORS)
        else:
            row["technician_id"] = rng.randint(1, TECHNICIANS)
        move("doorgezet_naar_monteur", rng.expovariate(1 / 30))
        acuut = row["urgency"] == "acuut"
        visits = 1 if rng.random() < 0.82 else 2
        result = "verholpen"
        for v in range(visits):
            move("afspraak_ingepland", rng.expovariate(1 / 15))
            wait = rng.uniform(40, 160) if acuut else rng.expovariate(1 / (20 * HOUR))
            move("in_uitvoering", wait)
            work = rng.uniform(30, 150)
            step(work - 5, "werkbon", minutes=int(work), fixed=v == visits - 1)
            if v < visits - 1:
                move("doorgezet_naar_monteur", work, reason="Materiaal nodig")
            else:
                result = rng.choices(
                    ["verholpen", "tijdelijk_verholpen", "niet_verholpen", "geen_storing"],
                    [85, 6, 4, 5],
                )[0]
                move("afgerond", work)
        return result

    def _survey(self, out: Batch, row: dict[str, Any]) -> None:
        at = row["closed_at"] + timedelta(hours=self.rng.expovariate(1 / 30))
        if at > END:
            return
        self.next_survey += 1
        scores = [min(5, max(1, round(self.rng.gauss(4.0, 0.9)))) for _ in range(4)]
        out.surveys.append((self.next_survey, row["id"], row["client_id"], *scores, "", at))


def _value(row: dict[str, Any], col: asyncpg.Record) -> Any:
    """A COPY value for `col`: the generated one, else a neutral default for its type."""
    name, kind = col["column_name"], col["data_type"]
    if name in row:
        value = row[name]
        return json.dumps(value) if kind in ("json", "jsonb") else value
    if col["is_nullable"] == "YES":
        return None
    if kind in ("json", "jsonb"):
        return "{}"
    if "int" in kind:
        return 1
    if kind == "boolean":
        return name == "active"
    if "timestamp" in kind:
        return row.get("created_at") or START
    return ""


async def _columns(conn: asyncpg.Connection, table: str) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_name = $1 ORDER BY ordinal_position",
            table,
        )
    )


async def _copy(conn: asyncpg.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    cols = await _columns(conn, table)
    await conn.copy_records_to_table(
        table,
        records=[tuple(_value(r, c) for c in cols) for r in rows],
        columns=[c["column_name"] for c in cols],
    )


EVENT_COLUMNS = [
    "id",
    "dossier_id",
    "at",
    "actor_name",
    "kind",
    "data",
    "client_id",
    "from_phase",
    "phase_hours",
]
SURVEY_COLUMNS = [
    "id",
    "dossier_id",
    "client_id",
    "friendliness",
    "expertise",
    "helpfulness",
    "solution",
    "remark",
    "submitted_at",
]
BIG_TABLES = ("dossier", "dossier_event", "survey")


async def _secondary_indexes(conn: asyncpg.Connection) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the big tables' indexes that are not constraints."""
    rows = await conn.fetch(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY($1::text[]) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        list(BIG_TABLES),
    )
    return [(r["indexname"], r["indexdef"]) for r in rows]


async def loaded(url: str) -> tuple[int, int] | None:
    """(dossiers, clients) of a finished load, None when there is none."""
    conn = await asyncpg.connect(url)
    try:
        if not await conn.fetchval("SELECT to_regclass('bench_loaded') IS NOT NULL"):
            return None
        row = await conn.fetchrow("SELECT dossiers, clients FROM bench_loaded")
        return (int(row["dossiers"]), int(row["clients"])) if row else None
    finally:
        await conn.close()


async def load(url: str, count: int, clients: int, seed: int = 7) -> None:
    """A fresh schema (the migrations) with `count` dossiers (repeats included).

    The schema is dropped first, so an interrupted load leaves nothing half-built behind; a
    `bench_loaded` row is written only at the very end.
    """
    conn = await asyncpg.connect(url)
    await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    await db.migrate(url)
    started = time.perf_counter()
    # Building the indexes once at the end is several times faster than row by row.
    indexes = await _secondary_indexes(conn)
    for name, _ in indexes:
        await conn.execute(f'DROP INDEX "{name}"')
    await _copy(conn, "client", list(_clients(clients)))
    await _copy(
        conn,
        "contractor",
        [
            {"id": i, "code": f"A{i:03d}", "name": f"Aannemer {i}", "trades": []}
            for i in range(1, CONTRACTORS + 1)
        ],
    )
    await _copy(
        conn,
        "technician",
        [
            {"id": i, "name": f"Monteur {i}", "trades": ["CVI"], "active": True}
            for i in range(1, TECHNICIANS + 1)
        ],
    )
    gen = Generator(clients, seed)
    events = surveys = 0
    while gen.next_dossier < count:
        batch = gen.batch(20_000, count)
        await _copy(conn, "dossier", batch.dossiers)
        await conn.copy_records_to_table(
            "dossier_event", records=batch.events, columns=EVENT_COLUMNS
        )
        await conn.copy_records_to_table("survey", records=batch.surveys, columns=SURVEY_COLUMNS)
        events, surveys = events + len(batch.events), surveys + len(batch.surveys)
    copied = time.perf_counter() - started
    for _, create in indexes:
        await conn.execute(create)
    for table in ("client", "technician", "contractor", *BIG_TABLES):
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )
        await conn.execute(f"VACUUM ANALYZE {table}")
    await conn.execute("CREATE TABLE bench_loaded (dossiers integer, clients integer)")
    await conn.execute("INSERT INTO bench_loaded VALUES ($1, $2)", count, clients)
    print(
        f"loaded {count:,} dossiers, {events:,} events and {surveys:,} surveys for {clients} "
        f"clients: copy {copied:.0f} s, indexes and analyse "
        f"{time.perf_counter() - started - copied:.0f} s",
        flush=True,
    )
    await conn.close()


def _clients(count: int) -> Iterator[dict[str, Any]]:
    norms, windows = (60, 90, 120, 120, 120), (14, 30, 30, 30, 60)
    for i in range(1, count + 1):
        yield {
            "id": i,
            "code": f"C{i:03d}",
            "name": f"Corporatie {i}",
            "kind": "woningcorporatie",
            "office_hours": {},
            "settings": {
                "acuut_norm_minutes": norms[i % len(norms)],
                "first_time_fix_days": windows[i % len(windows)],
            },
            "active": True,
            "created_at": START,
        }
