"""What a phase move reads from the dossier's timeline, in one query instead of one per fact.

A move needs: when the dossier entered the phase it leaves (the hours it stood there, and a
move reported by a phone cannot predate it), whether a werkbon was recorded since the last
move (a technician's close needs one), and the step after a move dated back (whose hours
change). The save hooks of server/models/derived.py read these one statement each; a move
made by `dossiers.transition` reads them here once and writes the derived columns itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from server import db
from server.domain import kpis
from server.models import Dossier, DossierEvent

# A phone's move cannot predate these (sync: `reported` is never earlier than the latest).
PHASE_EVENTS = frozenset({"created", "transition", "appointment_moved", "appointment_cancelled"})
KINDS = sorted(PHASE_EVENTS | kpis.STEP_KINDS | {"werkbon"})

Row = tuple[int, str, datetime]  # id, kind, at


@dataclass(frozen=True)
class Steps:
    """A dossier's phase events and werkbons (id, kind, at), in the order they were written."""

    rows: tuple[Row, ...]

    def entered(self, at: datetime) -> datetime | None:
        """When the step before a move at `at` happened (by time, then id), as the save hook
        reads it."""
        before = [r for r in self.rows if r[1] in kpis.STEP_KINDS and r[2] <= at]
        return max(before, key=lambda r: (r[2], r[0]))[2] if before else None

    def later(self, at: datetime) -> Row | None:
        """The first step after `at` (a move dated back lands before it)."""
        after = [r for r in self.rows if r[1] in kpis.STEP_KINDS and r[2] > at]
        return min(after, key=lambda r: (r[2], r[0])) if after else None

    def werkbon_since_move(self) -> bool:
        """A werkbon recorded since the dossier last changed phase (ids follow the order of
        writing, also within one transaction)."""
        moves = [r[0] for r in self.rows if r[1] == "transition"]
        last = max(moves, default=0)
        return any(r[1] == "werkbon" and r[0] > last for r in self.rows)

    def with_written(self, dossier: Dossier, written: list[DossierEvent]) -> Steps | None:
        """These steps with the events of `dossier` written since they were read, from the
        transaction's journal (server.dossiers.events.journal); None when one has no id yet
        (not inserted), so the caller reads the timeline instead."""
        known = {r[0] for r in self.rows}
        added: list[Row] = []
        for event in written:
            if event.dossier_id != dossier.id or event.kind not in KINDS:
                continue
            if event.id is None:
                return None
            if event.id not in known:
                added.append((event.id, event.kind, event.at))
        return Steps(tuple(sorted((*self.rows, *added)))) if added else self

    def phase_since(self, dossier: Dossier) -> datetime:
        """When the dossier entered its current phase (or its appointment last changed)."""
        found = [r[2] for r in self.rows if r[1] in PHASE_EVENTS]
        return max(found) if found else dossier.created_at


_sql: dict[str, str] = {}


async def read(dossier: Dossier) -> Steps:
    # Every move reads it: the SQL is written once per dialect, and the rows stay tuples (no
    # model per event).
    conn = db.connection()
    dialect = db.dialect(conn)
    if dialect not in _sql:
        marks = db.placeholders(conn, len(KINDS) + 1)
        _sql[dialect] = (
            f'SELECT "id", "kind", "at" FROM "{DossierEvent._meta.db_table}" '
            f'WHERE "dossier_id" = {marks[0]} AND "kind" IN ({", ".join(marks[1:])}) '
            'ORDER BY "id"'
        )
    rows = await conn.execute_query_dict(_sql[dialect], [dossier.id, *KINDS])
    at = DossierEvent._meta.fields_map["at"]
    return Steps(tuple((int(r["id"]), r["kind"], at.to_python_value(r["at"])) for r in rows))
