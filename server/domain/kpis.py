"""The management figures: each defined once, in plain Python, with its Dutch label.

docs/kpis.md says in words how each is computed; server/insight/ turns these definitions into
aggregate SQL. Periods are whole local days (Europe/Amsterdam) and every figure is compared to
the period of the same length just before it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from server.domain import dutch
from server.domain.errors import Unprocessable
from server.domain.lifecycle import Phase

TZ = ZoneInfo("Europe/Amsterdam")

# Figures that depend on client.settings, with their default.
FIRST_TIME_FIX_DAYS = 30  # settings["first_time_fix_days"]: a repeat within this many days
ACUUT_NORM_MINUTES = 120  # settings["acuut_norm_minutes"]: acuut on site within this norm
URGENT_NORM_HOURS = 24  # urgent: on site within 24 hours (the definition of 'urgent')
CONTACT_WITHIN_HOURS = 24

# Result codes that say the visit did not solve the fault, so it cannot be a first-time fix.
NOT_FIXED_RESULTS = ("tijdelijk_verholpen", "niet_verholpen")
LEAD_TIME_MONTHS = (1, 3, 6, 12)
SURVEY_ASPECTS = ("friendliness", "expertise", "helpfulness", "solution")
SURVEY_LABELS = {
    "friendliness": "Vriendelijkheid",
    "expertise": "Vakkundigheid",
    "helpfulness": "Behulpzaamheid",
    "solution": "Oplossing",
}
WEEKDAY_LABELS = ("ma", "di", "wo", "do", "vr", "za", "zo")


class Grain(StrEnum):
    DAG = "dag"
    WEEK = "week"
    MAAND = "maand"
    JAAR = "jaar"


GRAIN_LABELS = {"dag": "Per dag", "week": "Per week", "maand": "Per maand", "jaar": "Per jaar"}


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    unit: str  # "aantal", "%", "uur", "score"
    definition: str
    higher_is_better: bool = True


KPIS: tuple[Kpi, ...] = (
    Kpi("reports", "Meldingen", "aantal", "Dossiers aangemaakt in de periode."),
    Kpi(
        "contacted_24h",
        "Binnen 24 uur contact",
        "%",
        "Aandeel van de meldingen in de periode waarbij binnen 24 uur na aanmaken contact met de "
        "huurder is vastgelegd; meldingen jonger dan 24 uur zonder contact tellen nog niet mee.",
    ),
    Kpi(
        "lead_time_median",
        "Doorlooptijd (mediaan)",
        "uur",
        "Mediaan van gesloten min aangemaakt, over dossiers met een resultaatcode gesloten in de "
        "periode (geannuleerde dossiers tellen niet mee).",
        higher_is_better=False,
    ),
    Kpi(
        "lead_time_p90",
        "Doorlooptijd (90e percentiel)",
        "uur",
        "90e percentiel (lineair geïnterpoleerd) van dezelfde doorlooptijden.",
        higher_is_better=False,
    ),
    Kpi(
        "first_time_fix",
        "First time fix",
        "%",
        "Van de dossiers met minstens één monteursbezoek, gesloten in de periode: het aandeel "
        "met precies één bezoek, een resultaat dat de storing verhielp en geen herhaalmelding "
        "binnen het venster van de opdrachtgever (standaard 30 dagen na sluiten).",
    ),
    Kpi(
        "remote_solved",
        "Op afstand opgelost",
        "aantal",
        "Dossiers gesloten in de periode via 'Op afstand opgelost', zonder monteur.",
    ),
    Kpi(
        "deadline_acuut",
        "Acuut op tijd ter plaatse",
        "%",
        "Acute meldingen in de periode met een monteur ter plaatse (fase 'In uitvoering') "
        "binnen de norm van de opdrachtgever (standaard 120 minuten) na aanmaken.",
    ),
    Kpi(
        "deadline_urgent",
        "Urgent binnen 24 uur ter plaatse",
        "%",
        "Urgente meldingen in de periode met een monteur ter plaatse binnen 24 uur.",
    ),
    Kpi(
        "order_share",
        "Leidt tot opdracht",
        "%",
        "Aandeel van de gesloten dossiers met een resultaatcode dat naar een monteur of "
        "aannemer is doorgezet.",
    ),
    Kpi(
        "survey",
        "Klanttevredenheid",
        "score",
        "Gemiddelde van de enquêtescores (1–5) die in de periode zijn ingevuld.",
    ),
)
KPI_BY_KEY = {k.key: k for k in KPIS}


@dataclass(frozen=True)
class Period:
    """Whole local days, `first` up to and including `last`."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), TZ)

    @property
    def end(self) -> datetime:
        """Exclusive: midnight after the last day (local time, so DST days are 23 or 25 h)."""
        return datetime.combine(self.last + timedelta(days=1), time(), TZ)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        """The period of the same number of days just before this one."""
        last = self.first - timedelta(days=1)
        return Period(last - timedelta(days=self.days - 1), last)

    @property
    def label(self) -> str:
        return f"{dutch.day(self.first)} t/m {dutch.day(self.last)}"


PRESETS = {
    "7d": ("Laatste 7 dagen", 7),
    "30d": ("Laatste 30 dagen", 30),
    "90d": ("Laatste 90 dagen", 90),
    "365d": ("Laatste 365 dagen", 365),
}
MAX_DAYS = 3 * 366 + 1


def period_from(preset: str, first: str, last: str, today: date) -> Period:
    """A period from the form: explicit dates win, else a preset ending today."""
    if first or last:
        start, end = _date(first, "van"), _date(last, "tot")
        if end < start:
            raise Unprocessable(f"De einddatum {last} ligt voor de begindatum {first}.", "tot")
        if (end - start).days + 1 > MAX_DAYS:
            raise Unprocessable(f"Kies een periode van hoogstens {MAX_DAYS} dagen.", "van")
        return Period(start, end)
    if preset not in PRESETS:
        raise Unprocessable(f"Onbekende periode '{preset}'.", "periode")
    days = PRESETS[preset][1]
    return Period(today - timedelta(days=days - 1), today)


def _date(raw: str, field: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise Unprocessable(f"'{raw}' is geen geldige datum (jjjj-mm-dd).", field) from None


def grain_for(period: Period) -> Grain:
    """The natural series for a period length: about 7 to 60 points."""
    if period.days <= 62:
        return Grain.DAG
    if period.days <= 400:
        return Grain.WEEK
    return Grain.MAAND


def share(part: int, whole: int) -> float | None:
    """A percentage with one decimal, or None when there is nothing to divide."""
    return round(100.0 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class Comparison:
    current: float | None
    previous: float | None
    kpi: Kpi

    @property
    def delta(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return round(self.current - self.previous, 1)

    @property
    def better(self) -> bool | None:
        """Did the figure move the right way? None when unchanged or unknown."""
        if not self.delta:
            return None
        return (self.delta > 0) == self.kpi.higher_is_better


def percentile(sorted_values: list[float], p: float) -> float | None:
    """The reference definition (PostgreSQL's percentile_cont); SQL must agree with it."""
    if not sorted_values:
        return None
    pos = p * (len(sorted_values) - 1)
    lo = int(pos)
    frac = pos - lo
    if lo + 1 >= len(sorted_values):
        return sorted_values[lo]
    return sorted_values[lo] * (1 - frac) + sorted_values[lo + 1] * frac


# What the figures read of the timeline and the triage, kept in columns when they are written
# (server/models/derived.py), so the dashboard aggregates indexed columns instead of replaying
# the log or reading JSON. These are the definitions; migration 0013 computed the same.

STEP_KINDS = frozenset({"created", "transition"})  # events that put a dossier in a phase
VISIT = Phase.IN_UITVOERING.value  # a transition into it is a technician on site: one visit
REMOTE = Phase.OP_AFSTAND.value


def phase_hours(entered: datetime | None, left: datetime) -> float | None:
    """Hours a dossier stood in the phase a transition at `left` leaves: since the step
    before it (the dossier's previous created/transition event, by time then id)."""
    return None if entered is None else (left - entered).total_seconds() / 3600


@dataclass(frozen=True)
class Visits:
    """A dossier's arrivals on site and whether it was solved remotely."""

    count: int = 0
    first: datetime | None = None
    remote: bool = False


def visits(moves: Iterable[tuple[datetime, str]]) -> Visits:
    """From a dossier's transitions as (at, target phase)."""
    targets = list(moves)
    arrivals = sorted(at for at, target in targets if target == VISIT)
    remote = any(target == REMOTE for _, target in targets)
    return Visits(len(arrivals), arrivals[0] if arrivals else None, remote)


def triage_outcome(triage: Mapping[str, object] | None) -> str | None:
    """The label of a dossier's triage outcome ('Meest voorkomende storingen'), if any."""
    outcome = (triage or {}).get("outcome")
    label = outcome.get("label") if isinstance(outcome, Mapping) else None
    return label if isinstance(label, str) else None
