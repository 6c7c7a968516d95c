"""The demo data set: complete, consistent with the lifecycle, loaded once, and usable."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from tortoise.transactions import in_transaction

from server.auth.users import create_user
from server.demo import PASSWORD, load_demo
from server.demo.clock import local
from server.domain.errors import Conflict
from server.domain.lifecycle import FINAL_PHASES
from server.dossiers import ordernumbers
from server.models import (
    Address,
    AddressParty,
    Client,
    Complex,
    Contractor,
    Dossier,
    DossierEvent,
    Survey,
    Technician,
    User,
)
from tests.insight import facts

MODELS = (Client, Complex, Address, AddressParty, User, Contractor, Technician, Dossier)

DEMO_NOW = datetime(2026, 11, 17, 13, 0, tzinfo=UTC)  # Tuesday 14:00: jobs are under way


async def _counts() -> dict[str, int]:
    counts = {model.__name__: await model.all().count() for model in MODELS}
    counts["DossierEvent"] = await DossierEvent.all().count()
    return counts


async def test_demo_loads_a_realistic_consistent_world_once(http: httpx.AsyncClient) -> None:
    # A fixed moment: which phases the open dossiers are in depends on the time of day
    # (at night no technician is on site), so the check of phases needs a fixed clock.
    logins = await load_demo(now=DEMO_NOW)

    clients = await Client.all()
    assert {c.code for c in clients} == {"WST", "LVD", "VBM"}
    assert all(c.settings["heating_season"] == {"start": "10-01", "end": "04-30"} for c in clients)
    assert all(c.oncall_phone.startswith("+31") and c.office_hours["mon"] for c in clients)
    addresses = await Address.all()
    assert len(addresses) >= 300
    assert all(re.fullmatch(r"(34|35|37|39)\d\d[A-Z]{2}", a.postcode) for a in addresses)
    assert all(
        51.95 < (a.latitude or 0) < 52.2 and 4.95 < (a.longitude or 0) < 5.35 for a in addresses
    )
    assert len({(a.street, a.house_number, a.suffix, a.city) for a in addresses}) == len(addresses)
    assert {p.kind for p in await AddressParty.all()} == {
        "vve",
        "huismeester",
        "lift",
        "monitoring",
    }
    technicians = await Technician.all().prefetch_related("user")
    assert len(technicians) >= 12
    assert all(t.user is not None and t.user.role == "technician" for t in technicians)
    assert {"CVI", "LOO", "ELE", "TIM", "GLA", "DAK", "ONT"} <= {
        x for t in technicians for x in t.trades
    }
    assert await Contractor.all().count() == 3

    dossiers = await Dossier.all().order_by("id")
    assert len(dossiers) >= 300
    events = await DossierEvent.all().order_by("at", "id")
    by_dossier: dict[int, list[DossierEvent]] = {}
    for event in events:
        by_dossier.setdefault(event.dossier_id, []).append(event)  # type: ignore[attr-defined]
    for dossier in dossiers:
        timeline = by_dossier[dossier.id]
        assert timeline[0].kind == "created" and timeline[0].at == dossier.created_at
        moves = [e for e in timeline if e.kind == "transition"]
        assert dossier.phase == (moves[-1].data["to"] if moves else "nieuw"), dossier.order_number
        assert [e.id for e in timeline] == sorted(e.id for e in timeline), "written in time order"
        if dossier.phase in {"afgerond", "op_afstand_opgelost"}:
            assert dossier.result_code and dossier.closed_at
    phases = Counter(d.phase for d in dossiers)
    open_count = sum(n for phase, n in phases.items() if phase not in FINAL_PHASES)
    assert 20 <= open_count <= 60, phases
    assert phases["gearchiveerd"] > len(dossiers) / 2
    assert {"afgerond", "afspraak_ingepland", "in_uitvoering", "analyseren"} <= set(phases)
    assert sum(d.parent_id is not None for d in dossiers) >= 10  # type: ignore[attr-defined]
    contacted = [d for d in dossiers if d.first_contact_at]
    within_day = [d for d in contacted if d.first_contact_at - d.created_at <= timedelta(hours=24)]  # type: ignore[operator]
    assert len(within_day) > 0.8 * len(dossiers)
    assert all(d.urgency for d in dossiers)
    assert all(d.order_type for d in dossiers if d.technician_id)  # type: ignore[attr-defined]
    # Triaged through the protocol: the triage card explains the urgency the dossier has.
    triaged = [d for d in dossiers if d.triage]
    assert len(triaged) > 0.85 * len(dossiers), len(triaged)
    assert all(d.triage["outcome"]["urgency"] == d.urgency for d in triaged)
    assert all(d.triage["outcome"]["label"] and d.triage["protocol"] for d in triaged)
    # What the dashboard reads instead of the timeline was kept as the demo wrote it.
    assert await facts.mismatches() == []

    # Some tenants rated the visit, after it was closed.
    answered = await Survey.all()
    by_id = {d.id: d for d in dossiers}
    assert 0.2 * phases["gearchiveerd"] < len(answered) < 0.5 * phases["gearchiveerd"]
    for survey in answered:
        rated = by_id[survey.dossier_id]  # type: ignore[attr-defined]
        assert rated.closed_at is not None and rated.closed_at < survey.submitted_at <= DEMO_NOW

    # The rhythm of a meldkamer: busy Mondays, heating faults in winter.
    weekdays = Counter(local(d.created_at).weekday() for d in dossiers)
    assert weekdays[0] > weekdays[4] > weekdays[6]
    months = Counter(local(d.created_at).month for d in dossiers if d.category == "cv_storing")
    assert months[12] + months[1] + months[2] > 2 * (months[6] + months[7] + months[8])

    before = await _counts()
    assert await load_demo(now=DEMO_NOW) == logins
    assert await _counts() == before

    roles = {username: role for username, _, role in logins}
    assert roles["klant.wst"] == "Opdrachtgever Woonstad Utrecht"
    assert roles["monteur.piet"] == "Servicemonteur (cv-installateur, loodgieter)"
    assert roles["bram.aannemer"] == "Aannemer Bouw- en Onderhoudsbedrijf Van Rijn"
    for username in (
        "admin",
        "sanne.supervisie",
        "anna.agent",
        "klant.wst",
        "monteur.piet",
        "bram.aannemer",
    ):
        response = await http.post(
            "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
        )
        assert response.status_code == 200, (username, response.text)


async def test_reset_replaces_the_demo_and_leaves_other_data_alone(db_clean: None) -> None:
    own = await Client.create(code="EIG", name="Eigen Woningbeheer")
    await create_user("eigen.admin", "admin", "kaasschaaf fietsbel regenjas")
    now = datetime.now(UTC)
    await load_demo(now=now)
    first = await _counts()
    numbers = await Dossier.all().order_by("id").values_list("order_number", flat=True)

    await load_demo(reset=True, now=now)

    assert await _counts() == first
    again = await Dossier.all().order_by("id").values_list("order_number", flat=True)
    assert again == numbers, "order numbers start over where the demo's began"
    assert await Client.exists(id=own.id)
    assert await User.exists(username="eigen.admin")
    # The next intake continues after the demo's highest number of this year (on PostgreSQL
    # from the year's sequence, on SQLite from the counter row).
    year = now.astimezone(ZoneInfo("Europe/Amsterdam")).year
    highest = max(int(n.rsplit("-", 1)[1]) for n in numbers if n.startswith(f"MK-{year}-"))
    async with in_transaction() as conn:
        following = await ordernumbers.next_order_number(conn, now)
    assert following == ordernumbers.format_order_number(year, highest + 1)


async def test_demo_refuses_names_that_real_data_uses(db_clean: None) -> None:
    await create_user("admin", "admin", "kaasschaaf fietsbel regenjas")
    await Client.create(code="LVD", name="Een echte opdrachtgever")

    with pytest.raises(Conflict) as refused:
        await load_demo()

    assert refused.value.message == (
        "De demo kan niet geladen worden: al in gebruik door eigen gegevens: "
        "opdrachtgever LVD, gebruiker admin."
    )
    assert await Client.all().count() == 1
    assert await Dossier.all().count() == 0


async def test_demo_crew_is_on_duty_for_the_board(db_clean: None) -> None:
    from server.models import RosterEntry

    await load_demo(now=DEMO_NOW)
    technicians = await Technician.all()
    rostered = set(await RosterEntry.all().values_list("technician_id", flat=True))
    assert rostered == {t.id for t in technicians}
    assert any(t.on_call_evenings for t in technicians)
    assert any(t.on_call_weekends for t in technicians)


async def test_open_emergencies_are_recent(db_clean: None) -> None:
    await load_demo(now=DEMO_NOW)
    open_acute = await Dossier.filter(urgency="acuut").exclude(phase__in=list(FINAL_PHASES))
    assert open_acute, "the board should have an emergency to show"
    assert all(DEMO_NOW - d.created_at <= timedelta(hours=5) for d in open_acute)
    open_urgent = await Dossier.filter(urgency="urgent").exclude(phase__in=list(FINAL_PHASES))
    assert all(DEMO_NOW - d.created_at <= timedelta(hours=22) for d in open_urgent)


async def test_demo_contacts_some_with_a_dossier_most_without(db_clean: None) -> None:
    from server.models import Contact, ContactDossier, InboundLine, TransferTarget

    await load_demo(now=DEMO_NOW)
    assert await InboundLine.all().count() == 3
    assert await TransferTarget.all().count() == 6
    contacts = await Contact.all().prefetch_related("client")
    made = set(await ContactDossier.filter(created=True).values_list("contact_id", flat=True))
    assert 0 < len(made) < len(contacts) / 2 + 1
    assert {c.state for c in contacts} == {"afgerond", "gemist"}
    assert {c.result_code for c in contacts} >= {
        "opdracht",
        "algemene_vraag",
        "doorverwezen",
        "doorverbonden",
        "geen_actie",
        "herhaalmelding",
        "op_afstand_opgelost",
    }
    assert all(c.offered_at <= DEMO_NOW and c.client is not None for c in contacts)
    # The known caller of docs/contacts.md has an open dossier, for the screen pop.
    known = await Dossier.filter(contact_phone="+31612345678")
    assert [d.phase for d in known if d.phase not in FINAL_PHASES]
    await _a_year_of_contacts_with_the_rhythm(contacts)
    await load_demo(reset=True, now=DEMO_NOW)
    assert await Contact.all().count() == len(contacts)


async def _a_year_of_contacts_with_the_rhythm(contacts: list[Any]) -> None:
    """A year of calls and e-mails: about half lead to a dossier, Monday mornings are busy
    and Friday afternoons quiet, and the storm days stand out (server/demo/call_year.py)."""
    from statistics import median

    from server.demo.call_year import storm_days
    from server.domain.kpis import TZ
    from server.models import ContactDossier

    assert len(contacts) > 1000
    assert min(c.offered_at for c in contacts) >= DEMO_NOW - timedelta(days=366)
    assert {c.channel for c in contacts} == {"telefoon_in", "telefoon_uit", "email"}
    linked = set(await ContactDossier.all().values_list("contact_id", flat=True))
    assert 0.4 < len(linked) / len(contacts) < 0.6
    local = [c.offered_at.astimezone(TZ) for c in contacts]
    monday_morning = sum(1 for t in local if t.weekday() == 0 and 8 <= t.hour < 12)
    friday_afternoon = sum(1 for t in local if t.weekday() == 4 and 13 <= t.hour < 17)
    assert monday_morning > 3 * friday_afternoon
    per_day = Counter(t.date() for t in local if t.weekday() < 5)
    for storm in storm_days(DEMO_NOW):
        assert per_day[storm] > 3 * median(per_day.values())


async def test_demo_contractor_has_new_orders_in_its_portal(db_clean: None) -> None:
    from server.contractors import orders

    await load_demo(now=DEMO_NOW)
    user = await User.get(username="bram.aannemer")
    assert (user.role, (await orders.contractor_of(user)).code) == ("contractor", "VRB")
    open_orders = await orders.open_orders(user)
    new = [d for d in open_orders if d.contractor_accepted_at is None]
    assert len(new) == 3 and all(d.phase == "doorgezet_naar_monteur" for d in new)
    assert all(d.trade in ("TIM", "GLA", "DAK") for d in new)
