"""A small dispatch world on top of tests.support.world: rosters, homes, a triaged dossier."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from server.dispatch import duty
from server.dossiers import dossiers
from server.models import Contractor, Dossier, Technician, User
from tests.support import world

ZONE = ZoneInfo("Europe/Amsterdam")
# Tuesday 24 November 2026, 10:00 in Utrecht: a plain working day.
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=ZONE)
UTRECHT = (52.09, 5.13)  # the Biltstraat address of the test world has these coordinates
WEEKDAYS = [(day, "08:00", "17:00") for day in range(5)]
ALWAYS = [(day, "00:00", "24:00") for day in range(7)]


async def technician(
    name: str,
    trades: list[str],
    home: tuple[float, float],
    roster: list[tuple[int, str, str]] | None = None,
    contractor: Contractor | None = None,
    user: User | None = None,
) -> Technician:
    tech = await Technician.create(name=name, trades=trades, contractor=contractor, user=user)
    await set_duty(tech, roster if roster is not None else WEEKDAYS, home)
    return tech


async def set_duty(
    tech: Technician, roster: list[tuple[int, str, str]], home: tuple[float, float], **flags: bool
) -> None:
    admin = await User.get(username="admin")
    await duty.set_duty(
        admin,
        str(tech.id),
        duty.DutyInput(roster=roster, home_latitude=home[0], home_longitude=home[1], **flags),
    )


async def triaged_dossier(
    agent: User,
    trade: str = "LOO",
    urgency: str = "urgent",
    deadline: datetime | None = TUESDAY_10 + timedelta(hours=24),
    labour_minutes: int = 60,
    client: str = "WST",
) -> Dossier:
    """A dossier at the Biltstraat (coordinates from the stock) with triage's outcome set."""
    d = await dossiers.create(
        agent, world.intake(client, contact_name="Huurder"), at=TUESDAY_10 - timedelta(minutes=5)
    )
    await Dossier.filter(id=d.id).update(
        trade=trade, urgency=urgency, deadline_at=deadline, labour_minutes=labour_minutes
    )
    return await Dossier.get(id=d.id)


async def build() -> world.World:
    w = await world.build()
    await set_duty(w.technician, WEEKDAYS, UTRECHT)
    await set_duty(w.other_technician, WEEKDAYS, UTRECHT)
    return w
