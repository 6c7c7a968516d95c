"""A call's times and a contact's state from its events: any order, any repetition."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from server.domain.calls import (
    CallEvent,
    CallEventKind,
    ContactFacts,
    ContactState,
    answered_in_time,
    derive,
    fold,
)

T0 = datetime(2026, 11, 17, 13, 0, tzinfo=UTC)
OFFERED = CallEvent(CallEventKind.OFFERED, T0, "anna.agent")
ANSWERED = CallEvent(CallEventKind.ANSWERED, T0 + timedelta(seconds=12), "anna.agent")
ENDED = CallEvent(CallEventKind.ENDED, T0 + timedelta(seconds=192), "anna.agent")


def test_the_order_of_arrival_does_not_change_the_times() -> None:
    results = {fold(order) for order in itertools.permutations([OFFERED, ANSWERED, ENDED])}
    assert len(results) == 1
    times = results.pop()
    assert (times.offered_at, times.answered_at, times.ended_at) == (
        T0,
        ANSWERED.at,
        ENDED.at,
    )
    assert times.agent == "anna.agent"


def test_a_repeated_event_changes_nothing() -> None:
    assert fold([OFFERED, ANSWERED, ANSWERED, ENDED, ENDED]) == fold([OFFERED, ANSWERED, ENDED])


def test_the_agent_who_answers_counts_not_the_last_one_it_rang_at() -> None:
    bram = CallEvent(CallEventKind.OFFERED, T0 + timedelta(seconds=20), "bram.agent")
    answered = CallEvent(CallEventKind.ANSWERED, T0 + timedelta(seconds=25), "bram.agent")
    assert fold([OFFERED, bram]).agent == "bram.agent"
    assert fold([OFFERED, bram, answered]).agent == "bram.agent"
    early = CallEvent(CallEventKind.ANSWERED, T0 + timedelta(seconds=5), "anna.agent")
    assert fold([OFFERED, bram, early]).agent == "anna.agent"


def test_ended_is_when_the_meldkamers_part_ended() -> None:
    """The agent's leg ends first; the caller, transferred on, stays connected elsewhere."""
    transfer = CallEvent(
        CallEventKind.TRANSFERRED, T0 + timedelta(seconds=100), transferred_to="+31302636363"
    )
    caller_leg = CallEvent(CallEventKind.ENDED, T0 + timedelta(seconds=600))
    times = fold([caller_leg, ENDED, transfer, ANSWERED, OFFERED])
    assert times.ended_at == ENDED.at
    assert (times.transferred_to, times.transferred_at) == ("+31302636363", transfer.at)


def test_state_and_seconds_of_a_call() -> None:
    def facts(*events: CallEvent, registered: datetime | None = None) -> ContactFacts:
        t = fold(events)
        return ContactFacts(t.offered_at, t.answered_at, t.ended_at, registered)

    ringing = derive(facts(OFFERED))
    assert (ringing.state, ringing.wait_seconds) == (ContactState.AANGEBODEN, None)
    talking = derive(facts(OFFERED, ANSWERED))
    assert (talking.state, talking.wait_seconds, talking.talk_seconds) == (
        ContactState.IN_GESPREK,
        12,
        None,
    )
    wrap = derive(facts(OFFERED, ANSWERED, ENDED))
    assert (wrap.state, wrap.talk_seconds, wrap.wrap_seconds) == (ContactState.NAWERK, 180, None)
    done = derive(facts(OFFERED, ANSWERED, ENDED, registered=ENDED.at + timedelta(seconds=45)))
    assert (done.state, done.closed_at, done.wrap_seconds) == (
        ContactState.AFGEROND,
        ENDED.at + timedelta(seconds=45),
        45,
    )
    # Registered while still talking (a dossier made during the call): finished at the end.
    early = derive(facts(OFFERED, ANSWERED, ENDED, registered=ANSWERED.at + timedelta(seconds=60)))
    assert (early.state, early.closed_at, early.wrap_seconds) == (
        ContactState.AFGEROND,
        ENDED.at,
        0,
    )
    missed = derive(facts(OFFERED, CallEvent(CallEventKind.ENDED, T0 + timedelta(seconds=40))))
    assert (missed.state, missed.wait_seconds, missed.talk_seconds) == (
        ContactState.GEMIST,
        40,
        None,
    )


def test_a_contact_by_hand_ends_when_registered() -> None:
    begun = ContactFacts(T0, T0, None, None, by_hand=True)
    assert derive(begun).state == ContactState.IN_GESPREK
    done = derive(ContactFacts(T0, T0, None, T0 + timedelta(minutes=4), by_hand=True))
    assert (done.state, done.talk_seconds, done.wait_seconds) == (ContactState.AFGEROND, 240, None)


def test_service_level_norm_is_thirty_seconds() -> None:
    assert answered_in_time(30, answered=True)
    assert not answered_in_time(31, answered=True)
    assert not answered_in_time(10, answered=False)


events = st.lists(
    st.builds(
        CallEvent,
        st.sampled_from(list(CallEventKind)),
        st.integers(0, 3600).map(lambda s: T0 + timedelta(seconds=s)),
        st.sampled_from(["", "anna.agent", "bram.agent"]),
        st.sampled_from(["", "+31302636363"]),
    ),
    min_size=1,
    max_size=8,
)


@given(events, st.randoms())
def test_any_order_and_any_repetition_give_the_same_contact(
    found: list[CallEvent], rnd: object
) -> None:
    shuffled = list(found) + found[: len(found) // 2]
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    first, second = fold(found), fold(shuffled)
    assert first == second
    derived = derive(ContactFacts(first.offered_at, first.answered_at, first.ended_at, None))
    assert all(
        s is None or s >= 0
        for s in (derived.wait_seconds, derived.talk_seconds, derived.wrap_seconds)
    )
