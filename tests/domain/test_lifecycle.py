"""Every phase pair: allowed moves succeed with what they require, all others change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from server.domain.errors import Forbidden
from server.domain.lifecycle import (
    CLOSED_PHASES,
    RULES,
    Actor,
    DossierState,
    LifecycleError,
    Phase,
    plan_transition,
    transitions_for,
)
from server.domain.roles import Role

NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
AGENT = Actor(1, Role.AGENT)
SUPERVISOR = Actor(2, Role.SUPERVISOR)
TECH = Actor(3, Role.TECHNICIAN, technician_id=7)
OTHER_TECH = Actor(4, Role.TECHNICIAN, technician_id=8)
CLIENT = Actor(5, Role.CLIENT)
ALLOWED = {(r.source, r.target) for r in RULES}

# What each target needs to be accepted.
SUFFICIENT: dict[Phase, dict[str, Any]] = {
    Phase.DOORGEZET: {"technician_id": 7, "reason": "materiaal nodig"},
    Phase.AFSPRAAK: {"appointment_start": NOW + timedelta(hours=2)},
    Phase.AFGEROND: {"result_code": "verholpen"},
    Phase.OP_AFSTAND: {"result_code": "telefonisch_opgelost"},
    Phase.DOORVERWEZEN: {"referred_to": "VvE De Linde"},
    Phase.GEANNULEERD: {"reason": "dubbel gemeld"},
}


def state(
    phase: Phase, technician_id: int | None = 7, urgency: str | None = None, werkbon: bool = True
) -> DossierState:
    return DossierState(phase, technician_id, None, None, None, urgency, visit_werkbon=werkbon)


def actor_for(rule_roles: frozenset[Role]) -> Actor:
    if Role.AGENT in rule_roles:
        return AGENT
    return SUPERVISOR


@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_allowed_move_with_requirements(source: Phase, target: Phase) -> None:
    rule = next(r for r in RULES if (r.source, r.target) == (source, target))
    plan = plan_transition(
        state(source, urgency="acuut"),
        target,
        actor_for(rule.roles),
        SUFFICIENT.get(target, {}),
        NOW,
    )
    assert plan.changes["phase"] == target
    if target in CLOSED_PHASES:
        assert plan.changes["closed_at"] == NOW


@pytest.mark.parametrize(
    ("source", "target"),
    [(s, t) for s in Phase for t in Phase if (s, t) not in ALLOWED],
)
def test_illegal_move_is_refused_with_clear_message(source: Phase, target: Phase) -> None:
    with pytest.raises(LifecycleError) as err:
        plan_transition(state(source), target, SUPERVISOR, SUFFICIENT.get(target, {}), NOW)
    assert err.value.field == "to"
    assert "kan een dossier niet naar" in err.value.message


@pytest.mark.parametrize(
    ("source", "target", "data", "field", "message"),
    [
        (
            Phase.IN_UITVOERING,
            Phase.AFGEROND,
            {},
            "result_code",
            "Afsluiten vraagt om een resultaatcode.",
        ),
        (
            Phase.IN_UITVOERING,
            Phase.AFGEROND,
            {"result_code": "zomaar"},
            "result_code",
            "Onbekende resultaatcode 'zomaar'.",
        ),
        (
            Phase.ANALYSEREN,
            Phase.OP_AFSTAND,
            {},
            "result_code",
            "Afsluiten vraagt om een resultaatcode.",
        ),
        (
            Phase.ANALYSEREN,
            Phase.DOORVERWEZEN,
            {"referred_to": "  "},
            "referred_to",
            "Geef aan naar welke partij is doorverwezen.",
        ),
        (Phase.NIEUW, Phase.GEANNULEERD, {}, "reason", "Geef een reden voor het annuleren."),
        (
            Phase.IN_UITVOERING,
            Phase.DOORGEZET,
            {},
            "reason",
            "Geef aan waarom de storing niet is opgelost.",
        ),
        (
            Phase.AFSPRAAK,
            Phase.DOORGEZET,
            {"technician_id": 7, "reason": " "},
            "reason",
            "Geef een reden waarom de afspraak vervalt.",
        ),
        (
            Phase.DOORGEZET,
            Phase.AFSPRAAK,
            {},
            "appointment_start",
            "Een afspraak vraagt om een begintijd.",
        ),
        (
            Phase.DOORGEZET,
            Phase.AFSPRAAK,
            {"appointment_start": NOW, "appointment_end": NOW - timedelta(hours=1)},
            "appointment_end",
            "De eindtijd moet na de begintijd liggen.",
        ),
        (
            Phase.DOORGEZET,
            Phase.AFSPRAAK,
            {"appointment_start": NOW.replace(tzinfo=None)},
            "appointment_start",
            "De begintijd van de afspraak mist een tijdzone.",
        ),
    ],
)
def test_missing_requirement_is_refused(
    source: Phase, target: Phase, data: dict[str, Any], field: str, message: str
) -> None:
    actor = TECH if source == Phase.IN_UITVOERING else AGENT
    with pytest.raises(LifecycleError) as err:
        plan_transition(state(source), target, actor, data, NOW)
    assert (err.value.field, err.value.message) == (field, message)


def test_dispatch_needs_a_technician_or_contractor() -> None:
    with pytest.raises(LifecycleError) as err:
        plan_transition(
            state(Phase.ANALYSEREN, technician_id=None), Phase.DOORGEZET, AGENT, {}, NOW
        )
    assert err.value.message == "Kies een monteur of aannemer om de storing naar door te zetten."


def test_unknown_phase_is_named() -> None:
    with pytest.raises(LifecycleError) as err:
        plan_transition(state(Phase.NIEUW), "klaar", AGENT, {}, NOW)
    assert err.value.message == "Onbekende fase 'klaar'."


def test_technician_moves_only_his_own_job() -> None:
    plan = plan_transition(state(Phase.AFSPRAAK), Phase.IN_UITVOERING, TECH, {}, NOW)
    assert plan.changes["phase"] == Phase.IN_UITVOERING
    with pytest.raises(Forbidden):
        plan_transition(state(Phase.AFSPRAAK), Phase.IN_UITVOERING, OTHER_TECH, {}, NOW)
    with pytest.raises(Forbidden):
        plan_transition(state(Phase.ANALYSEREN), Phase.DOORGEZET, TECH, {"technician_id": 7}, NOW)


def test_client_users_and_agents_cannot_archive() -> None:
    for actor in (CLIENT, AGENT):
        with pytest.raises(Forbidden):
            plan_transition(state(Phase.AFGEROND), Phase.GEARCHIVEERD, actor, {}, NOW)
    assert transitions_for(state(Phase.NIEUW), CLIENT) == []


def test_remote_solution_counts_as_first_contact() -> None:
    plan = plan_transition(
        state(Phase.ANALYSEREN),
        Phase.OP_AFSTAND,
        AGENT,
        {"result_code": "telefonisch_opgelost"},
        NOW,
    )
    assert plan.changes["first_contact_at"] == NOW


def test_offered_moves_match_the_rules() -> None:
    moves = {r.target for r in transitions_for(state(Phase.IN_UITVOERING), TECH)}
    assert moves == {Phase.AFGEROND, Phase.DOORGEZET}
    assert transitions_for(state(Phase.IN_UITVOERING), OTHER_TECH) == []


@pytest.mark.parametrize("urgency", ["acuut", "urgent"])
def test_urgent_work_goes_on_location_without_an_appointment(urgency: str) -> None:
    job = state(Phase.DOORGEZET, urgency=urgency)
    plan = plan_transition(job, Phase.IN_UITVOERING, TECH, {}, NOW)
    assert plan.changes == {"phase": Phase.IN_UITVOERING}
    assert plan.reason == "Op locatie zonder afspraak (acuut of urgent)"
    assert Phase.IN_UITVOERING in {r.target for r in transitions_for(job, TECH)}
    # Still only the technician it was sent to.
    with pytest.raises(Forbidden):
        plan_transition(job, Phase.IN_UITVOERING, OTHER_TECH, {}, NOW)


@pytest.mark.parametrize("urgency", ["niet_urgent", None])
def test_planned_work_waits_for_its_appointment(urgency: str | None) -> None:
    job = state(Phase.DOORGEZET, urgency=urgency)
    with pytest.raises(LifecycleError) as err:
        plan_transition(job, Phase.IN_UITVOERING, TECH, {}, NOW)
    assert err.value.message == (
        "Alleen een acute of urgente opdracht kan zonder afspraak naar 'op locatie'; "
        "plan eerst een afspraak."
    )
    assert Phase.IN_UITVOERING not in {r.target for r in transitions_for(job, TECH)}
    assert Phase.IN_UITVOERING not in {r.target for r in transitions_for(job, AGENT)}


def test_a_lapsing_appointment_needs_a_reason_and_takes_its_times_along() -> None:
    booked = DossierState(Phase.AFSPRAAK, 7, None, NOW + timedelta(days=1), None, "urgent")
    with pytest.raises(LifecycleError) as err:
        plan_transition(booked, Phase.DOORGEZET, AGENT, {}, NOW)
    assert (err.value.field, err.value.message) == (
        "reason",
        "Geef een reden waarom de afspraak vervalt.",
    )
    plan = plan_transition(booked, Phase.DOORGEZET, AGENT, {"reason": " Niet thuis "}, NOW)
    assert plan.changes == {
        "phase": Phase.DOORGEZET,
        "appointment_start": None,
        "appointment_end": None,
        "technician_id": 7,
        "contractor_id": None,
    }
    assert plan.reason == "Niet thuis"
    assert plan.facts == {"lapsed_appointment": NOW + timedelta(days=1)}
    # Another technician in the same move is fine; the technician himself may not lapse it.
    moved = plan_transition(
        booked, Phase.DOORGEZET, AGENT, {"reason": "x", "technician_id": 8}, NOW
    )
    assert moved.changes["technician_id"] == 8
    with pytest.raises(Forbidden):
        plan_transition(booked, Phase.DOORGEZET, TECH, {"reason": "x"}, NOW)


@pytest.mark.parametrize("target", [Phase.DOORGEZET, Phase.AFGEROND])
def test_a_technicians_move_keeps_the_job_his_whatever_he_sends(target: Phase) -> None:
    data: dict[str, Any] = {"reason": "onderdeel besteld", "result_code": "verholpen"}
    data |= {"technician_id": 8, "contractor_id": 3}
    plan = plan_transition(state(Phase.IN_UITVOERING), target, TECH, data, NOW)
    assert "technician_id" not in plan.changes and "contractor_id" not in plan.changes


@pytest.mark.parametrize("code", ["telefonisch_opgelost", "doorverwezen", "dubbele_melding"])
def test_a_technician_closes_only_with_what_he_found_on_site(code: str) -> None:
    with pytest.raises(Forbidden) as refused:
        plan_transition(
            state(Phase.IN_UITVOERING), Phase.AFGEROND, TECH, {"result_code": code}, NOW
        )
    assert refused.value.field == "result_code"
    for found in ("verholpen", "geen_storing", "niet_verholpen"):
        plan = plan_transition(
            state(Phase.IN_UITVOERING), Phase.AFGEROND, TECH, {"result_code": found}, NOW
        )
        assert plan.changes["result_code"] == found
    assert (
        plan_transition(
            state(Phase.IN_UITVOERING), Phase.AFGEROND, AGENT, {"result_code": code}, NOW
        ).changes["result_code"]
        == code
    )


def test_a_technician_closes_only_with_a_werkbon_of_the_visit() -> None:
    """The field's close needs this visit's werkbon; the desk records what it is told."""
    bare = state(Phase.IN_UITVOERING, werkbon=False)
    with pytest.raises(LifecycleError) as refused:
        plan_transition(bare, Phase.AFGEROND, TECH, {"result_code": "verholpen"}, NOW)
    assert (refused.value.field, refused.value.message) == (
        "werkbon",
        "Afsluiten kan alleen met een werkbon van dit bezoek: vul de oorzaak of het uitgevoerde "
        "werk, de materialen en de bestede tijd in.",
    )
    # A bad result code is named first: that is what he must change.
    with pytest.raises(LifecycleError) as unknown:
        plan_transition(bare, Phase.AFGEROND, TECH, {"result_code": "zomaar"}, NOW)
    assert unknown.value.field == "result_code"
    done = plan_transition(bare, Phase.AFGEROND, AGENT, {"result_code": "verholpen"}, NOW)
    assert done.changes["phase"] == Phase.AFGEROND
    # Moving on without closing needs none.
    assert plan_transition(bare, Phase.DOORGEZET, TECH, {"reason": "onderdeel"}, NOW).changes
