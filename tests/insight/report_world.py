"""Dossiers for the client reports, with their figures worked out by hand.

Week 23 of 2026: Monday 1 to Sunday 7 June (Amsterdam, UTC+2). The previous week is 25 to 31
May, the same week last year 2 to 8 June 2025. Woonstad's complex BLT holds both Biltstraat
addresses.

- This week, Woonstad: 4 reports. W1 acuut at Biltstraat 10, closed 3 June after one visit
  'verholpen' (a first-time fix); W2 urgent at Biltstraat 10, a herhaalmelding of P1, deadline
  3 June 12:00 and still open (over the deadline); W3 and W4 niet urgent, at Biltstraat 10A
  and without an address. Urgency shares: 25% acuut, 25% urgent, 50% niet urgent. One survey
  (4, 5, 4, 5: mean 4.5).
- The previous week: 1 report, P1 at Biltstraat 10, closed 28 May after one visit; W2
  repeats it within 30 days, so no first-time fix (0% before, 100% now).
- Complex BLT: 3 reports against 1 (a rising signal); Biltstraat 10: 2 against 1.
- The same week last year: 2 reports.
- Lichtveld: 5 reports this week, in nobody's figures but its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from server.domain.kpis import Period
from server.models import Address, Client, Complex, Dossier, Survey
from tests.support import world

WEEK = Period(date(2026, 6, 1), date(2026, 6, 7))
# Monday 8 June 2026, 06:10 UTC: the cron's moment the week after.
NOW = datetime(2026, 6, 8, 6, 10, tzinfo=UTC)
RECIPIENTS = ["rapportage@woonstad.example.nl", "directie@woonstad.example.nl"]


@dataclass
class ReportWorld:
    w: world.World
    complex: Complex


_n = 0


async def _dossier(client: Client, at: datetime, address: Address | None, **fields: Any) -> Dossier:
    global _n
    _n += 1
    values: dict[str, Any] = {"channel": "telefoon", "category": "cv_storing", "phase": "nieuw"}
    if address is not None:
        values |= {
            "street": address.street,
            "house_number": address.house_number,
            "suffix": address.suffix,
            "postcode": address.postcode,
            "city": address.city,
        }
    return await Dossier.create(
        order_number=f"MK-2026-{_n:06d}",
        client=client,
        created_at=at,
        address=address,
        **(values | fields),
    )


async def build() -> ReportWorld:
    global _n
    _n = 0
    w = await world.build()
    wst = w.woonstad
    wst.settings = {"report_weekly": True, "report_recipients": RECIPIENTS}
    await wst.save()
    blt = await Complex.create(client=wst, code="BLT", name="Biltstraat-blok")
    ten, ten_a, dorp = w.addresses
    for a in (ten, ten_a):
        a.complex = blt  # type: ignore[assignment]
        await a.save()

    def utc(y: int, m: int, d: int, h: int = 8) -> datetime:
        return datetime(y, m, d, h, tzinfo=UTC)

    p1 = await _dossier(
        wst, utc(2026, 5, 26), ten, urgency="niet_urgent", phase="afgerond",
        closed_at=utc(2026, 5, 28), result_code="verholpen", visits=1,
        first_visit_at=utc(2026, 5, 27),
    )  # fmt: skip
    w1 = await _dossier(
        wst, utc(2026, 6, 1), ten, urgency="acuut", phase="afgerond",
        first_visit_at=datetime(2026, 6, 1, 9, tzinfo=UTC), visits=1,
        closed_at=utc(2026, 6, 3), result_code="verholpen",
    )  # fmt: skip
    await _dossier(
        wst, utc(2026, 6, 2), ten, urgency="urgent", parent=p1, category="lekkage_woning",
        deadline_at=datetime(2026, 6, 3, 10, tzinfo=UTC), phase="doorgezet_naar_monteur",
    )  # fmt: skip
    await _dossier(wst, utc(2026, 6, 4), ten_a, urgency="niet_urgent")
    await _dossier(wst, utc(2026, 6, 6), None, urgency="niet_urgent")
    for day in (2, 5):
        await _dossier(wst, utc(2025, 6, day), ten, urgency="niet_urgent")
    for day in range(1, 6):
        await _dossier(w.lichtveld, utc(2026, 6, day), dorp, urgency="acuut")
    await Survey.create(
        dossier=w1, client=wst, friendliness=4, expertise=5, helpfulness=4, solution=5,
        submitted_at=utc(2026, 6, 4),
    )  # fmt: skip
    return ReportWorld(w, blt)
