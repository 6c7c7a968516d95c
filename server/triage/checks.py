"""Structural checks: a protocol with any problem cannot be published."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator

from server.domain import codes
from server.triage import graph
from server.triage.errors import Loc
from server.triage.model import Branch, Outcome, Protocol, Subject, Target
from server.triage.outcome_checks import OutcomeRules, check_outcome
from server.triage.problems import Problem
from server.triage.templates import placeholders


def check_protocol(
    protocol: Protocol,
    *,
    order_types: Collection[str] = tuple(codes.ORDER_TYPE_LABELS),
    trades: Collection[str] = tuple(codes.TRADE_LABELS),
) -> list[Problem]:
    """Every problem found; an empty list means the protocol can be published.

    `order_types` and `trades` default to the shared code lists; pass a client's own list
    when it has one.
    """
    rules = OutcomeRules(order_types=order_types, trades=trades)
    problems = [
        Problem("duplicate_id", ("subjects", sid), f"onderwerp {sid!r} komt meer dan eens voor")
        for sid in _duplicates(s.id for s in protocol.subjects)
    ]
    if not protocol.subjects:
        problems.append(
            Problem("no_subjects", ("subjects",), "het protocol heeft geen onderwerpen")
        )
    for subject in protocol.subjects:
        problems.extend(_check_subject(subject, rules))
    return problems


def _check_subject(subject: Subject, rules: OutcomeRules) -> Iterator[Problem]:
    loc: Loc = ("subjects", subject.id)
    yield from _duplicate_ids(subject, loc)
    known = {q.id for q in subject.questions} | {o.id for o in subject.outcomes}
    yield from _targets(subject.start, known, loc + ("start",))
    for question in subject.questions:
        qloc = loc + ("questions", question.id)
        if not question.options:
            yield Problem("no_way_out", qloc, f"vraag {question.id!r} heeft geen antwoorden")
        for i, option in enumerate(question.options):
            yield from _targets(option.next, known, qloc + ("options", i, "next"))
    for outcome in subject.outcomes:
        yield from check_outcome(outcome, loc + ("outcomes", outcome.id), rules)
    yield from _reachability(subject, loc)


def _duplicate_ids(subject: Subject, loc: Loc) -> Iterator[Problem]:
    for node_id in _duplicates(
        [q.id for q in subject.questions] + [o.id for o in subject.outcomes]
    ):
        yield Problem(
            "duplicate_id", loc, f"id {node_id!r} komt meer dan eens voor in {subject.id!r}"
        )
    for question in subject.questions:
        for value in _duplicates(option.value for option in question.options):
            yield Problem(
                "duplicate_id",
                loc + ("questions", question.id, "options"),
                f"antwoord {value!r} komt meer dan eens voor bij vraag {question.id!r}",
            )


def _targets(target: Target | None, known: set[str], loc: Loc) -> Iterator[Problem]:
    if target is None:
        yield Problem("missing_target", loc, "geen vervolg: verwijs naar een vraag of uitkomst")
    elif isinstance(target, Branch):
        yield from _targets(target.then, known, loc + ("then",))
        yield from _targets(target.otherwise, known, loc + ("else",))
    elif target not in known:
        yield Problem("unknown_target", loc, f"onbekende vraag of uitkomst {target!r}")


def _reachability(subject: Subject, loc: Loc) -> Iterator[Problem]:
    cycle = graph.find_cycle(subject)
    if cycle is not None:
        yield Problem("cycle", loc, f"de vragen vormen een kring: {' -> '.join(cycle)}")
    reached = graph.reachable(subject)
    for question in subject.questions:
        if question.id not in reached:
            where = loc + ("questions", question.id)
            yield Problem("unreachable", where, f"vraag {question.id!r} is onbereikbaar")
    for outcome in subject.outcomes:
        if outcome.id not in reached:
            where = loc + ("outcomes", outcome.id)
            yield Problem("unreachable", where, f"uitkomst {outcome.id!r} is onbereikbaar")
    if cycle is None:
        yield from _habitability(subject, loc)
        yield from _description_placeholders(subject, loc)


def _habitability(subject: Subject, loc: Loc) -> Iterator[Problem]:
    """Habitability in danger and telling the client at once go together (the seed's rule):
    an answer or outcome that endangers habitability leads only to acuut outcomes that
    inform, and an outcome that informs is reached only with habitability in danger."""
    for question in subject.questions:
        for i, option in enumerate(question.options):
            if not option.endangers_habitability:
                continue
            for outcome_id in sorted(_outcomes_after(subject, option.next)):
                outcome = subject.outcome(outcome_id)
                if outcome and not _acute_and_informs(outcome):
                    yield Problem(
                        "habitability_not_acuut",
                        loc + ("questions", question.id, "options", i, "next"),
                        f"bewoonbaarheid in gevaar moet leiden tot een acute uitkomst die de "
                        f"opdrachtgever informeert; {outcome_id!r} doet dat niet",
                    )
    for outcome in subject.outcomes:
        if outcome.endangers_habitability and not _acute_and_informs(outcome):
            yield Problem(
                "habitability_not_acuut",
                loc + ("outcomes", outcome.id),
                f"uitkomst {outcome.id!r} zet de bewoonbaarheid in gevaar en moet dus acuut zijn "
                "en de opdrachtgever informeren",
            )
    safe = _reached_without_danger(subject)
    for outcome in subject.outcomes:
        if outcome.inform_client and not outcome.endangers_habitability and outcome.id in safe:
            yield Problem(
                "inform_without_habitability",
                loc + ("outcomes", outcome.id, "inform_client"),
                f"uitkomst {outcome.id!r} informeert de opdrachtgever direct, maar is te bereiken "
                "zonder dat de bewoonbaarheid in gevaar is; markeer het antwoord of de uitkomst "
                "met endangers_habitability, of informeer niet",
            )


def _acute_and_informs(outcome: Outcome) -> bool:
    return outcome.urgency == codes.Urgency.ACUUT and outcome.inform_client


def _reached_without_danger(subject: Subject) -> set[str]:
    """Outcomes some way reaches with no answer on it that endangers habitability."""
    seen: set[str] = set()
    todo = list(graph.leaves(subject.start))
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        question = subject.question(node)
        if question is not None:
            for option in question.options:
                if not option.endangers_habitability:
                    todo.extend(graph.leaves(option.next))
    return {node for node in seen if subject.outcome(node) is not None}


def _outcomes_after(subject: Subject, target: Target | None) -> set[str]:
    seen: set[str] = set()
    todo = list(graph.leaves(target))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph.successors(subject, node))
    return {node for node in seen if subject.outcome(node) is not None}


def _description_placeholders(subject: Subject, loc: Loc) -> Iterator[Problem]:
    must = graph.questions_on_every_path(subject)
    for outcome in subject.outcomes:
        where = loc + ("outcomes", outcome.id, "description")
        for name in placeholders(outcome.description):
            if name == "onderwerp":
                continue
            if subject.question(name) is None:
                yield Problem(
                    "unknown_placeholder", where, f"onbekende vraag {{{name}}} in de omschrijving"
                )
            elif outcome.id in must and name not in must[outcome.id]:
                yield Problem(
                    "placeholder_not_on_path",
                    where,
                    f"{{{name}}} is niet op elke weg naar {outcome.id!r} beantwoord",
                )


def _duplicates(ids: Iterator[str] | list[str]) -> list[str]:
    return [key for key, count in Counter(ids).items() if count > 1]
