"""The dispatch board: open dossiers by urgency and deadline, and who is on duty with his
load. Read-only; desk roles only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from server import scoping
from server.dispatch import absence_clashes, candidates
from server.dispatch.suggestions import require_desk
from server.domain.absences import ABSENCE_KINDS, rota_holes
from server.domain.codes import TRADE_LABELS, URGENCY_LABELS
from server.domain.deadlines import appointment_moment, standing
from server.domain.dispatch import Candidate, when_text
from server.domain.errors import Unprocessable
from server.domain.lifecycle import OPEN_PHASES, PHASE_LABELS, Phase
from server.dossiers.work_queue import arrivals
from server.housing.geocoding import point_of
from server.models import Absence, Dossier, User

URGENCY_ORDER = {"acuut": 0, "urgent": 1, "niet_urgent": 2}
MAX_DOSSIERS = 500
TRADE_MAX = 3  # VERA trade codes are three letters
# How far ahead the board looks for holes that absences leave in the roster.
HOLE_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class Filters:
    client: str = ""
    trade: str = ""
    region: str = ""  # a postcode prefix (digits) or a city


async def open_dossiers(user: User, filters: Filters, now: datetime) -> list[dict[str, object]]:
    require_desk(user)
    qs = scoping.dossiers(user).filter(phase__in=[p.value for p in OPEN_PHASES])
    if filters.client:
        qs = qs.filter(client__code=_code(filters.client, scoping.CLIENT_CODE_MAX, "client"))
    if filters.trade:
        qs = qs.filter(trade=_code(filters.trade, TRADE_MAX, "trade"))
    region = "".join(filters.region.split())
    if region:
        if region.isdigit():
            if len(region) > 4:
                raise Unprocessable(f"Regio '{filters.region}': geef 1 tot 4 cijfers.", "region")
            qs = qs.filter(postcode__startswith=region)
        else:
            qs = qs.filter(city__icontains=filters.region.strip())
    rows = await qs.limit(MAX_DOSSIERS).prefetch_related("client", "technician")
    arrived = await arrivals([d for d in rows if d.phase == Phase.IN_UITVOERING])
    clashes = await absence_clashes.flagged(rows)
    rows.sort(key=_order)
    return [_dossier_json(d, now, arrived.get(d.id), clashes.get(d.id)) for d in rows]


def _code(raw: str, max_length: int, field: str) -> str:
    value = scoping.key(raw, max_length)
    if value is None:
        raise Unprocessable(f"{field}: '{raw[:40]}' is langer dan {max_length} tekens.", field)
    return value


def _order(d: Dossier) -> tuple[bool, int, float, float]:
    """Those still waiting for someone first, by urgency then deadline; then those with
    someone on site (nothing left to send)."""
    deadline = d.deadline_at.timestamp() if d.deadline_at else float("inf")
    return (
        d.phase == Phase.IN_UITVOERING,
        URGENCY_ORDER.get(d.urgency or "", 3),
        deadline,
        d.created_at.timestamp(),
    )


def _dossier_json(
    d: Dossier, now: datetime, arrived_at: datetime | None, clash: Absence | None
) -> dict[str, object]:
    point = point_of(d)
    on_site = d.phase == Phase.IN_UITVOERING
    deadline = standing(
        d.urgency,
        d.deadline_at,
        now,
        on_site=on_site,
        arrived_at=arrived_at,
        appointment=appointment_moment(d.urgency, d.appointment_start, d.appointment_end),
    )
    return {
        "order_number": d.order_number,
        "client": d.client.code,
        "client_name": d.client.name,
        "address": absence_clashes.address_text(d),
        "city": d.city,
        "postcode": d.postcode,
        "category": d.category,
        "channel": d.channel,
        # Asked online to be called (or reported something acuut there) and not reached yet.
        "call_back": d.call_back_at is not None and d.first_contact_at is None,
        "contact_phone": d.contact_phone if d.call_back_at is not None else None,
        "urgency": d.urgency,
        "urgency_label": URGENCY_LABELS.get(d.urgency or "", "Geen triage"),
        "trade": d.trade,
        "trade_label": TRADE_LABELS.get(d.trade, d.trade) if d.trade else None,
        "phase": d.phase,
        "phase_label": PHASE_LABELS.get(d.phase, d.phase),
        "deadline_at": d.deadline_at.isoformat() if d.deadline_at else None,
        "minutes_left": deadline.minutes_left,
        "overdue": deadline.overdue,
        "deadline_text": deadline.text,
        "on_site": on_site,
        "on_site_at": arrived_at.isoformat() if arrived_at else None,
        "late_on_arrival_minutes": deadline.late_minutes,
        "absence_clash": _clash_json(d, clash),
        "technician": d.technician.name if d.technician else None,
        "technician_id": d.technician_id,  # type: ignore[attr-defined]
        "appointment_start": d.appointment_start.isoformat() if d.appointment_start else None,
        "latitude": point.lat if point else None,
        "longitude": point.lon if point else None,
        "geo_precision": d.geo_precision if d.geo_source else None,
        "version": d.version,
    }


def _clash_json(d: Dossier, away: Absence | None) -> dict[str, object] | None:
    """The booked appointment falls in an absence of its technician: another one is needed."""
    if away is None:
        return None
    who = d.technician.name if d.technician else "de monteur"
    kind = ABSENCE_KINDS.get(away.kind, away.kind).lower()
    return {
        "kind": away.kind,
        "starts_on": away.starts_on.isoformat(),
        "ends_on": away.ends_on.isoformat(),
        "text": f"{absence_clashes.NEEDS_OTHER}: {who} is afwezig ({kind}) "
        f"van {away.starts_on:%d-%m} tot en met {away.ends_on:%d-%m-%Y}",
    }


async def on_duty(user: User, now: datetime, trade: str = "") -> list[dict[str, object]]:
    """Technicians on duty now (regular or on-call), least loaded first."""
    require_desk(user)
    pool = await candidates.load(now, trade=trade.strip().upper() or None)
    found = []
    for c in pool:
        shift = next((s for s in c.shifts if s.start <= now < s.end), None)
        if shift is None:
            continue
        found.append(_technician_json(c, shift.end, shift.on_call, now))
    found.sort(key=lambda t: (int(str(t["open_jobs"])), str(t["name"])))
    return found


def _technician_json(
    c: Candidate, until: datetime, on_call: bool, now: datetime
) -> dict[str, object]:
    position = c.position if c.position_consent else None
    point = position.point if position is not None else c.home
    return {
        "id": c.id,
        "name": c.name,
        "trades": sorted(c.trades),
        "trade_labels": [TRADE_LABELS.get(t, t) for t in sorted(c.trades)],
        "open_jobs": c.open_jobs,
        "on_duty_until": until.isoformat(),
        "on_call": on_call,
        "latitude": point.lat if point else None,
        "longitude": point.lon if point else None,
        "where": "positie" if position is not None else "thuisbasis",
    }


async def holes(user: User, now: datetime, trade: str = "") -> list[dict[str, object]]:
    """Times in the coming week when absences leave a trade with nobody on duty or on call
    (nobody takes over an absent technician's on-call duty by himself)."""
    require_desk(user)
    trade = trade.strip().upper()
    members = await candidates.rota(
        now, trade=trade or None, horizon=HOLE_WINDOW + timedelta(days=1)
    )
    found = [
        h for h in rota_holes(members, now, now + HOLE_WINDOW) if not trade or h.trade == trade
    ]
    return [
        {
            "trade": h.trade,
            "start": h.start.isoformat(),
            "end": h.end.isoformat(),
            "absent": list(h.absent),
            "text": f"Geen {TRADE_LABELS.get(h.trade, h.trade).lower()} in dienst of piket "
            f"van {when_text(h.start, now)} tot {when_text(h.end, now)}"
            + (f" ({', '.join(h.absent)} afwezig)" if h.absent else ""),
        }
        for h in found
    ]


def now() -> datetime:
    return datetime.now(UTC)
