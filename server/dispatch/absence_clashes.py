"""Appointments that fall in an absence of their technician.

An absence entered after the booking leaves the appointment standing (nobody moves it by
himself): the planning page and the absence API list those appointments when the absence is
entered, and the dispatch board marks them "Afspraak tijdens afwezigheid" until they are moved
out of it or given to another technician.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta

from server.dispatch.absences import absence_json
from server.domain.absences import Absence, absence_during
from server.domain.dispatch import ZONE, when_text
from server.domain.lifecycle import Phase
from server.models import Absence as AbsenceRow
from server.models import Dossier

NEEDS_OTHER = "Afspraak tijdens afwezigheid"


def _falls_in(d: Dossier, row: AbsenceRow) -> bool:
    return (
        d.technician_id == row.technician_id  # type: ignore[attr-defined]
        and d.appointment_start is not None
        and absence_during(
            [Absence(row.starts_on, row.ends_on, row.kind)], d.appointment_start, d.appointment_end
        )
        is not None
    )


async def appointments_during(rows: Sequence[AbsenceRow]) -> dict[int, list[Dossier]]:
    """Per absence (by id), its technician's booked appointments that fall in it, earliest
    first; absences without any are left out. One query for all of them."""
    if not rows:
        return {}
    # A day of margin before: an appointment may start the evening before and run into it.
    since = datetime.combine(min(r.starts_on for r in rows) - timedelta(days=1), time(0), ZONE)
    until = datetime.combine(max(r.ends_on for r in rows) + timedelta(days=1), time(0), ZONE)
    booked = await Dossier.filter(
        technician_id__in=sorted({r.technician_id for r in rows}),  # type: ignore[attr-defined]
        phase=Phase.AFSPRAAK,
        appointment_start__gte=since,
        appointment_start__lt=until,
    ).order_by("appointment_start", "id")
    found = {row.id: [d for d in booked if _falls_in(d, row)] for row in rows}
    return {absence_id: items for absence_id, items in found.items() if items}


async def flagged(dossiers: Sequence[Dossier]) -> dict[int, AbsenceRow]:
    """For dossiers whose booked appointment falls in an absence of their technician: that
    absence, by dossier id. One query."""
    booked = [d for d in dossiers if d.phase == Phase.AFSPRAAK and d.appointment_start]
    if not booked:
        return {}
    first = min(d.appointment_start for d in booked if d.appointment_start is not None)
    rows = await AbsenceRow.filter(
        technician_id__in=sorted({d.technician_id for d in booked}),  # type: ignore[attr-defined]
        ends_on__gte=(first.astimezone(ZONE) - timedelta(days=1)).date(),
    )
    away: dict[int, list[AbsenceRow]] = defaultdict(list)
    for row in rows:
        away[row.technician_id].append(row)  # type: ignore[attr-defined]
    result: dict[int, AbsenceRow] = {}
    for d in booked:
        mine = away.get(d.technician_id, [])  # type: ignore[attr-defined]
        hit = next((r for r in mine if _falls_in(d, r)), None)
        if hit is not None:
            result[d.id] = hit
    return result


def address_text(d: Dossier) -> str:
    return f"{d.address_line}, {d.display_postcode} {d.city}".strip(", ")


def appointment_json(d: Dossier, now: datetime) -> dict[str, object]:
    start, end = d.appointment_start, d.appointment_end
    when = when_text(start, now) if start else ""
    if start and end:
        when += f"–{end.astimezone(ZONE):%H:%M}"
    return {
        "order_number": d.order_number,
        "address": address_text(d),
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "when": when,
    }


def warning(technician: str, count: int) -> str | None:
    """The Dutch warning beside an absence with appointments in it."""
    if not count:
        return None
    what = "1 afspraak" if count == 1 else f"{count} afspraken"
    return (
        f"Let op: {technician} heeft {what} tijdens deze afwezigheid. Verzet ze of wijs ze toe "
        f"aan een andere monteur; het dispatchbord toont ze als '{NEEDS_OTHER}'."
    )


def _clash_json(row: AbsenceRow, booked: Sequence[Dossier], now: datetime) -> dict[str, object]:
    return {
        "appointments": [appointment_json(d, now) for d in booked],
        "warning": warning(row.technician.name, len(booked)),
    }


async def clashes(rows: Sequence[AbsenceRow], now: datetime) -> dict[int, dict[str, object]]:
    """Per absence id (only those with any): `appointments` of his in it and the `warning`.
    The rows need their technician loaded."""
    during = await appointments_during(rows)
    return {row.id: _clash_json(row, during[row.id], now) for row in rows if row.id in during}


async def entered_json(row: AbsenceRow, now: datetime | None = None) -> dict[str, object]:
    """An absence just entered, with the appointments its technician has in it (none:
    `appointments` empty and `warning` None)."""
    found = await clashes([row], now or datetime.now(UTC))
    return {**absence_json(row), **found.get(row.id, {"appointments": [], "warning": None})}
