"""The telephony figures as tables: the same rows on the dashboard, in its Excel download and
in the monthly report, so no figure has two definitions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.domain import kpis
from server.domain.calls import CONTACT_CHANNEL_LABELS, SERVICE_LEVEL_SECONDS
from server.insight.telephony import Telephony


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""


def summary(t: Telephony) -> Table:
    c = t.calls.total
    level = c.service_level
    verdict = "" if level is None else ("gehaald" if level >= t.norm else "niet gehaald")
    rows: list[list[Any]] = [
        ["Aangeboden gesprekken", c.offered],
        ["Aangenomen", c.answered],
        [f"Aangenomen binnen {SERVICE_LEVEL_SECONDS} seconden", c.within],
        ["Servicelevel (%)", level],
        ["Norm (%)", t.norm],
        ["Verloren (opgehangen voor aannemen)", c.abandoned],
        ["Verloren (%)", c.abandon_rate],
        ["Gemiddelde wachttijd (s)", c.average_wait],
        ["Gemiddelde gespreksduur (s)", c.average_talk],
        ["Gemiddelde afhandeltijd (s)", c.average_handling],
        ["Doorverbonden", c.transferred],
        ["Contacten (alle kanalen)", t.contacts],
        ["Leidt tot opdracht (%)", t.order_share],
    ]
    note = f"Servicelevel {verdict} (norm {t.norm}%)." if verdict else "Geen gesprekken."
    return Table("telefonie", "Telefonie: kerncijfers", ["Cijfer", "Waarde"], rows, note)


def service_levels(t: Telephony) -> Table:
    grain = kpis.GRAIN_LABELS[t.calls.grain].lower()
    rows = [
        [f"{start:%d-%m-%Y}", n.offered, n.answered, n.within, n.service_level, n.abandoned]
        for start, n in t.calls.series.items()
    ]
    return Table(
        "servicelevel",
        f"Servicelevel {grain} (norm {t.norm}% binnen {SERVICE_LEVEL_SECONDS} s)",
        ["Vanaf", "Aangeboden", "Aangenomen", "Binnen 30 s", "Servicelevel (%)", "Verloren"],
        rows,
    )


def heatmap(t: Telephony, answered: bool = False) -> Table:
    grid = t.calls.grid.answered if answered else t.calls.grid.offered
    what = "aangenomen" if answered else "aangeboden"
    return Table(
        f"bezetting_{what}",
        f"Gesprekken {what} per weekdag en uur (Nederlandse tijd)",
        ["Dag", *[f"{h:02d}" for h in range(24)]],
        [[kpis.WEEKDAY_LABELS[d], *grid[d]] for d in range(7)],
    )


def per_hour(t: Telephony) -> Table:
    return Table(
        "per_uur",
        "Gesprekken per uur van de dag",
        ["Uur", "Aangeboden", "Aangenomen"],
        [[f"{h:02d}:00", o, a] for h, o, a in t.calls.grid.per_hour()],
    )


def channels(t: Telephony) -> Table:
    return Table(
        "contactkanalen",
        "Contacten per kanaal",
        ["Kanaal", "Contacten"],
        [[CONTACT_CHANNEL_LABELS.get(k, k), n] for k, n in t.channels],
    )


def results(t: Telephony) -> Table:
    return Table(
        "contactresultaten",
        "Contacten per resultaatcode",
        ["Resultaatcode", "Contacten"],
        [[label, n] for _, label, n in t.results],
        note=f"{t.orders} van {t.registered} contacten met een resultaat leidden tot een opdracht.",
    )


def tables(t: Telephony) -> list[Table]:
    return [
        summary(t),
        service_levels(t),
        heatmap(t),
        heatmap(t, answered=True),
        per_hour(t),
        channels(t),
        results(t),
    ]
