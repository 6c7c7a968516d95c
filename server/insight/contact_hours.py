"""The hourly counts the telephony figures read (table `contact_hour`), kept by the database.

Every contact adds 1 to `contacts` and its call columns (below) to the row of its UTC hour
offered, client, channel and result code. Triggers on `contact` subtract a row's old
contribution and add its new one whenever one of the counted columns changes, in the
transaction that changes it: a call event, a registration at the desk, an e-mail, the
demo's bulk load, retention, a deletion — no write path can forget it. On PostgreSQL the
trigger is deferred to the commit, so the shared row of a busy hour is locked only while the
transaction commits, not while the application works between its statements.

The same expressions (COUNTED) make the slow reference query over the calls
(server/insight/telephony.hourly_from_contacts) and the backfill (`rebuild`), so the two
cannot drift apart; tests/insight/test_contact_hours.py checks that they agree. The triggers
hold their SQL in the database: a change to COUNTED or WATCHED needs a migration that runs
`install` again (it replaces the triggers and counts everything anew).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient

from server.domain.calls import SERVICE_LEVEL_SECONDS

TABLE = "contact_hour"
# The unique key, channel before hour: the inbound calls of a client and period are one
# range of the index. `shard` spreads a busy hour over several rows on PostgreSQL: every
# call event of a client's hour changes that hour's counts, and with one row the commits of
# all of them queued on its lock (a third of the call events' throughput, bench). A
# database session always writes the same shard (its backend pid), and `fold` gathers an
# hour's shards into shard 0 once the hour is over. The figures sum them either way.
KEY = ("client_id", "channel", "hour", "result_code", "shard")
KEY_INDEX = "contact_hour_key"
SHARDS = 8


def key_columns(sharded: bool) -> tuple[str, ...]:
    """The key; without the shard as migration 0022 made it, before 0039 added the column."""
    return KEY if sharded else KEY[:-1]


# What one contact (alias {r}) adds to its hour, column by column. `contacts` is 1 per
# contact (for inbound calls: offered); sums of seconds over answered calls only.
_ANSWERED = "{r}.answered_at IS NOT NULL"
COUNTED: dict[str, str] = {
    "contacts": "1",
    "answered": f"CASE WHEN {_ANSWERED} THEN 1 ELSE 0 END",
    "within": (
        f"CASE WHEN {_ANSWERED} AND {{r}}.wait_seconds <= {SERVICE_LEVEL_SECONDS} THEN 1 ELSE 0 END"
    ),
    "abandoned": "CASE WHEN {r}.answered_at IS NULL AND {r}.ended_at IS NOT NULL THEN 1 ELSE 0 END",
    "transferred": "CASE WHEN {r}.transferred_at IS NOT NULL THEN 1 ELSE 0 END",
    "wait_sum": f"CASE WHEN {_ANSWERED} THEN COALESCE({{r}}.wait_seconds, 0) ELSE 0 END",
    "talk_sum": f"CASE WHEN {_ANSWERED} THEN COALESCE({{r}}.talk_seconds, 0) ELSE 0 END",
    "handling_sum": (
        f"CASE WHEN {_ANSWERED} THEN COALESCE({{r}}.talk_seconds, 0) + "
        "COALESCE({r}.wrap_seconds, 0) ELSE 0 END"
    ),
}
# The contact's columns the counts depend on: a change to any other changes no count.
WATCHED = (
    "client_id",
    "offered_at",
    "channel",
    "result_code",
    "answered_at",
    "ended_at",
    "transferred_at",
    "wait_seconds",
    "talk_seconds",
    "wrap_seconds",
)


def hour_of(pg: bool, col: str) -> str:
    """The UTC hour of a timestamp column, as the table's `hour` stores it (on SQLite the
    text format Tortoise stores UTC datetimes in, so comparisons with parameters hold)."""
    if pg:
        return f"date_trunc('hour', {col}, 'UTC')"
    return f"strftime('%Y-%m-%d %H:00:00+00:00', {col})"


def unique_key(pg: bool, sharded: bool = True) -> str:
    """The key's index; on PostgreSQL with the counts included, so the figures read it
    without visiting the table."""
    columns = f"({', '.join(key_columns(sharded))})"
    if pg:
        columns += f" INCLUDE ({', '.join(COUNTED)})"
    return f"CREATE UNIQUE INDEX IF NOT EXISTS {KEY_INDEX} ON {TABLE} {columns}"


def _key(pg: bool, r: str, sharded: bool = True) -> list[str]:
    found = [
        f"COALESCE({r}.client_id, 0)",
        f"{r}.channel",
        hour_of(pg, f"{r}.offered_at"),
        f"COALESCE({r}.result_code, '')",
        f"(pg_backend_pid() % {SHARDS})" if pg else "0",
    ]
    return found if sharded else found[:-1]


def _upsert(pg: bool, values: list[str], sharded: bool) -> str:
    columns = [*key_columns(sharded), *COUNTED]
    adds = ", ".join(f"{c} = {TABLE}.{c} + excluded.{c}" for c in COUNTED)
    return (
        f"INSERT INTO {TABLE} ({', '.join(columns)}) VALUES ({', '.join(values)}) "
        f"ON CONFLICT ({', '.join(key_columns(sharded))}) DO UPDATE SET {adds}"
    )


def _add(pg: bool, r: str, sign: str, sharded: bool) -> str:
    """The upsert adding (sign '') or subtracting (sign '-') row `r`'s contribution."""
    counts = [f"{sign}({e.format(r=r)})" for e in COUNTED.values()]
    return _upsert(pg, [*_key(pg, r, sharded), *counts], sharded)


def _delta(pg: bool, sharded: bool) -> str:
    """NEW minus OLD in one upsert, for an update that keeps the row in its hour and group."""
    counts = [f"({e.format(r='NEW')}) - ({e.format(r='OLD')})" for e in COUNTED.values()]
    return _upsert(pg, [*_key(pg, "NEW", sharded), *counts], sharded)


def _same_key(pg: bool, sharded: bool) -> str:
    same = "IS NOT DISTINCT FROM" if pg else "IS"
    pairs = zip(_key(pg, "NEW", sharded), _key(pg, "OLD", sharded), strict=True)
    return " AND ".join(f"{new} {same} {old}" for new, old in pairs)


def _changed(pg: bool) -> str:
    differs = "IS DISTINCT FROM" if pg else "IS NOT"
    return " OR ".join(f"OLD.{c} {differs} NEW.{c}" for c in WATCHED)


def pg_triggers(sharded: bool = True) -> str:
    return f"""
CREATE OR REPLACE FUNCTION contact_hour_count() RETURNS trigger LANGUAGE plpgsql AS $count$
BEGIN
  IF TG_OP = 'UPDATE' AND {_same_key(True, sharded)} THEN
    {_delta(True, sharded)};
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    {_add(True, "OLD", "-", sharded)};
  END IF;
  IF TG_OP <> 'DELETE' THEN
    {_add(True, "NEW", "", sharded)};
  END IF;
  RETURN NULL;
END
$count$;
DROP TRIGGER IF EXISTS contact_hour_write ON contact;
DROP TRIGGER IF EXISTS contact_hour_update ON contact;
CREATE CONSTRAINT TRIGGER contact_hour_write AFTER INSERT OR DELETE ON contact
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION contact_hour_count();
CREATE CONSTRAINT TRIGGER contact_hour_update AFTER UPDATE ON contact
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ({_changed(True)})
  EXECUTE FUNCTION contact_hour_count();
"""


def sqlite_triggers(sharded: bool = True) -> str:
    return f"""
DROP TRIGGER IF EXISTS contact_hour_insert;
DROP TRIGGER IF EXISTS contact_hour_delete;
DROP TRIGGER IF EXISTS contact_hour_update;
CREATE TRIGGER contact_hour_insert AFTER INSERT ON contact BEGIN
  {_add(False, "NEW", "", sharded)};
END;
CREATE TRIGGER contact_hour_delete AFTER DELETE ON contact BEGIN
  {_add(False, "OLD", "-", sharded)};
END;
CREATE TRIGGER contact_hour_update AFTER UPDATE ON contact WHEN {_changed(False)} BEGIN
  {_add(False, "OLD", "-", sharded)};
  {_add(False, "NEW", "", sharded)};
END;
"""


def drop_triggers(pg: bool) -> str:
    if pg:
        return (
            "DROP TRIGGER IF EXISTS contact_hour_write ON contact; "
            "DROP TRIGGER IF EXISTS contact_hour_update ON contact; "
            "DROP FUNCTION IF EXISTS contact_hour_count()"
        )
    return (
        "DROP TRIGGER IF EXISTS contact_hour_insert; DROP TRIGGER IF EXISTS contact_hour_delete; "
        "DROP TRIGGER IF EXISTS contact_hour_update"
    )


def backfill(pg: bool, sharded: bool = True) -> str:
    """Every contact's hour counted again from the contacts themselves (into shard 0)."""
    sums = ", ".join(f"SUM({e.format(r='c')})" for e in COUNTED.values())
    key = ", ".join(_key(pg, "c", sharded=False))
    shard = ", 0" if sharded else ""
    return (
        f"INSERT INTO {TABLE} ({', '.join([*key_columns(sharded), *COUNTED])}) "
        f"SELECT {key}{shard}, {sums} FROM contact c GROUP BY {key}"
    )


async def install(conn: BaseDBAsyncClient, sharded: bool = True) -> None:
    """The triggers, and the counts of every contact there is (the migration; `meldkamer
    belcijfers-tellen` after a restore or a bulk change made with the triggers off).

    Run in one transaction: on PostgreSQL the contacts are locked against writers until
    it commits, so no change falls between the backfill and the triggers.
    """
    pg = conn.capabilities.dialect == "postgres"
    if pg:
        await conn.execute_script("LOCK TABLE contact IN SHARE ROW EXCLUSIVE MODE")
    await conn.execute_script(pg_triggers(sharded) if pg else sqlite_triggers(sharded))
    await conn.execute_script(f"DELETE FROM {TABLE}")
    await conn.execute_script(backfill(pg, sharded))
    if pg:
        await conn.execute_script(f"ANALYZE {TABLE}")


def fold_sql() -> str:
    """PostgreSQL: the shards of every hour before $1, added into its shard 0 in one
    statement. A contact of such an hour changed later (a wrap-up registered the next day)
    writes a shard again, which the next fold gathers."""
    columns = ", ".join(COUNTED)
    sums = ", ".join(f"SUM({c})" for c in COUNTED)
    adds = ", ".join(f"{c} = {TABLE}.{c} + excluded.{c}" for c in COUNTED)
    key = ", ".join(KEY[:-1])
    return (
        f"WITH moved AS (DELETE FROM {TABLE} WHERE shard <> 0 "
        "AND hour < $1 "
        f"RETURNING {key}, {columns}) "
        f"INSERT INTO {TABLE} ({key}, shard, {columns}) "
        f"SELECT {key}, 0, {sums} FROM moved GROUP BY {key} "
        f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {adds} RETURNING 1"
    )


async def fold(conn: BaseDBAsyncClient, before: datetime | None = None) -> int:
    """Gather the shards of the hours before `before` (default: those that ended more than
    an hour ago), the worker's hourly cron; SQLite has one shard."""
    if conn.capabilities.dialect != "postgres":
        return 0
    if before is None:
        before = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    _, gathered = await conn.execute_query(fold_sql(), [before])
    return len(gathered)  # hours (per client, channel and result) gathered
