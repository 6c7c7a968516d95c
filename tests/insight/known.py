"""A hand-built week of dossiers and events whose figures are worked out by hand.

Period: Monday 24 to Sunday 30 March 2025 (Amsterdam); summer time starts on the 30th at
01:00 UTC, so Sunday's times are UTC+2 and the rest UTC+1. The expected numbers are in
tests/insight/test_figures.py next to each assertion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from server.domain.kpis import Period
from server.models import Client, Dossier, DossierEvent, Technician

PERIOD = Period(date(2025, 3, 24), date(2025, 3, 30))
NOW = datetime(2025, 3, 31, 6, 0, tzinfo=UTC)


def utc(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=UTC)


@dataclass
class Known:
    woonstad: Client
    lichtveld: Client
    dossiers: dict[str, Dossier]


_counter = 0


async def dossier(
    client: Client,
    created: datetime,
    moves: list[tuple[datetime, str, str]],
    **fields: Any,
) -> Dossier:
    global _counter
    _counter += 1
    d = await Dossier.create(
        order_number=f"MK-TEST-{_counter:05d}", client=client, created_at=created, **fields
    )
    await DossierEvent.create(dossier=d, at=created, kind="created", data={})
    for at, source, target in moves:
        await DossierEvent.create(
            dossier=d, at=at, kind="transition", data={"from": source, "to": target}
        )
    return d


def _visit(start: datetime, onsite: datetime, done: datetime) -> list[tuple[datetime, str, str]]:
    return [(onsite, "afspraak_ingepland", "in_uitvoering"), (done, "in_uitvoering", "afgerond")]


async def build() -> Known:
    wst = await Client.create(
        code="WST", name="Woonstad", settings={"acuut_norm_minutes": 60, "first_time_fix_days": 30}
    )
    lvd = await Client.create(code="LVD", name="Lichtveld")
    tech = await Technician.create(name="Piet", trades=["CVI"])
    d: dict[str, Dossier] = {}
    # A: acuut, on site after 50 min (norm 60), fixed in one visit, closed after 2 h.
    d["A"] = await dossier(
        wst,
        utc(24, 7, 30),
        [
            (utc(24, 8), "nieuw", "doorgezet_naar_monteur"),
            (utc(24, 8, 10), "doorgezet_naar_monteur", "afspraak_ingepland"),
            (utc(24, 8, 20), "afspraak_ingepland", "in_uitvoering"),
            (utc(24, 9, 30), "in_uitvoering", "afgerond"),
        ],
        channel="telefoon",
        category="cv_storing",
        urgency="acuut",
        technician=tech,
        first_contact_at=utc(24, 7, 40),
        closed_at=utc(24, 9, 30),
        result_code="verholpen",
        phase="afgerond",
        postcode="3572AB",
        triage={"subject": "cv_storing", "outcome": {"label": "Geen warmte, geen warm water"}},
    )
    # B: urgent, first visit after 26 h (missed), second visit needed; closed after 48 h.
    d["B"] = await dossier(
        wst,
        utc(25, 12),
        [
            (utc(25, 13), "nieuw", "doorgezet_naar_monteur"),
            (utc(25, 14), "doorgezet_naar_monteur", "afspraak_ingepland"),
            (utc(26, 14), "afspraak_ingepland", "in_uitvoering"),
            (utc(26, 15), "in_uitvoering", "doorgezet_naar_monteur"),
            (utc(26, 16), "doorgezet_naar_monteur", "afspraak_ingepland"),
            (utc(27, 10), "afspraak_ingepland", "in_uitvoering"),
            (utc(27, 12), "in_uitvoering", "afgerond"),
        ],
        channel="email",
        category="cv_storing",
        urgency="urgent",
        technician=tech,
        first_contact_at=utc(26, 13),
        closed_at=utc(27, 12),
        result_code="verholpen",
        phase="afgerond",
        postcode="3581CD",
        triage={"subject": "cv_storing", "outcome": {"label": "Geen warmte, geen warm water"}},
    )
    # C: Sunday 12:00 summer time, solved by phone after 1 h.
    d["C"] = await dossier(
        wst,
        utc(30, 10),
        [(utc(30, 11), "nieuw", "op_afstand_opgelost")],
        channel="web",
        category="lekkage_woning",
        urgency="niet_urgent",
        first_contact_at=utc(30, 11),
        closed_at=utc(30, 11),
        result_code="telefonisch_opgelost",
        phase="op_afstand_opgelost",
        postcode="3572AB",
    )
    # D: acuut, nobody went, still open long past the norm; never contacted.
    d["D"] = await dossier(
        wst,
        utc(26, 8),
        [],
        channel="telefoon",
        category="lekkage_woning",
        urgency="acuut",
        postcode="3511AA",
    )
    # F: urgent, on site after 11 h, closed after 12 h, but a repeat came 9 days later.
    d["F"] = await dossier(
        wst,
        utc(27, 9),
        [
            (utc(27, 9, 10), "nieuw", "doorgezet_naar_monteur"),
            (utc(27, 9, 20), "doorgezet_naar_monteur", "afspraak_ingepland"),
            (utc(27, 20), "afspraak_ingepland", "in_uitvoering"),
            (utc(27, 21), "in_uitvoering", "afgerond"),
        ],
        channel="telefoon",
        category="elektra",
        urgency="urgent",
        technician=tech,
        first_contact_at=utc(27, 9, 30),
        closed_at=utc(27, 21),
        result_code="verholpen",
        phase="afgerond",
        postcode="3572AB",
    )
    # G: the repeat of F, after the period.
    d["G"] = await dossier(
        wst, utc(5, 9, month=4), [], channel="telefoon", category="elektra", parent=d["F"]
    )
    # J: Sunday 22:00 summer time, 10 h old at NOW, no contact yet: not counted for 24 h.
    d["J"] = await dossier(wst, utc(30, 20), [], channel="app", category="overig")
    # K: 22:00 UTC on the 30th is Monday 00:00 in Amsterdam: outside the period.
    d["K"] = await dossier(wst, utc(30, 22), [], channel="app", category="overig")
    # H: another client's dossier in the same week.
    d["H"] = await dossier(
        lvd,
        utc(25, 9),
        [(utc(25, 10), "nieuw", "op_afstand_opgelost")],
        channel="telefoon",
        category="glasschade",
        closed_at=utc(25, 10),
        result_code="per_email_opgelost",
        phase="op_afstand_opgelost",
    )
    return Known(wst, lvd, d)
