"""What a client report holds (server/insight/client_report.py), apart from how it is read
from the database: the PDF and the workbook are written from this."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from server.domain import telephony as telephony_rules
from server.domain.kpis import Period
from server.models import Client

WEEK, MONTH = "week", "maand"
KIND_LABELS = {WEEK: "Weekrapportage", MONTH: "Maandrapportage"}


def period_name(kind: str, period: Period) -> str:
    """'week 23 2026 (01-06-2026 t/m 07-06-2026)' or 'november 2026'."""
    if kind == MONTH:
        return telephony_rules.month_label(period)
    year, week, _ = period.first.isocalendar()
    return f"week {week} {year} ({period.label})"


def period_code(kind: str, period: Period) -> str:
    """For file names and the CLI: 2026-W23 or 2026-11."""
    if kind == MONTH:
        return f"{period.first:%Y-%m}"
    year, week, _ = period.first.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class Line:
    """One figure in the three periods."""

    label: str
    unit: str  # dutch.UNITS
    values: tuple[float | None, float | None, float | None]
    higher_is_better: bool = True


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]]
    units: list[str]
    note: str = ""
    empty: str = "Geen."


@dataclass
class Content:
    client: Client
    kind: str
    period: Period
    previous: Period
    last_year: Period
    built_at: datetime
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{KIND_LABELS[self.kind]} {self.client.name}"

    @property
    def subtitle(self) -> str:
        return period_name(self.kind, self.period)

    @property
    def columns(self) -> list[str]:
        return [
            "Cijfer",
            f"Deze periode ({self.period.label})",
            f"Vorige periode ({self.previous.label})",
            f"Vorig jaar ({self.last_year.label})",
        ]

    def line(self, label: str) -> Line:
        return next(x for x in self.lines if x.label == label)
