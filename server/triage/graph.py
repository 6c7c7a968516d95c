"""A subject's decision tree as a graph: which node leads where, what is reachable, cycles."""

from __future__ import annotations

from collections.abc import Iterator

from server.triage.model import Branch, Subject, Target


def leaves(target: Target | None) -> Iterator[str]:
    """Every id a target can lead to, whatever its conditions turn out to be."""
    if isinstance(target, Branch):
        yield from leaves(target.then)
        yield from leaves(target.otherwise)
    elif target is not None:
        yield target


def successors(subject: Subject, node_id: str) -> list[str]:
    """Ids that a question's answers lead to (an outcome has none)."""
    question = subject.question(node_id)
    if question is None:
        return []
    return [leaf for option in question.options for leaf in leaves(option.next)]


def reachable(subject: Subject) -> set[str]:
    seen: set[str] = set()
    todo = list(leaves(subject.start))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(successors(subject, node))
    return seen


def find_cycle(subject: Subject) -> list[str] | None:
    """A list of question ids that leads back to its first one, or None."""
    done: set[str] = set()
    for question in subject.questions:
        cycle = _cycle_from(subject, question.id, [], done)
        if cycle is not None:
            return cycle
    return None


def _cycle_from(subject: Subject, node: str, trail: list[str], done: set[str]) -> list[str] | None:
    if node in trail:
        return trail[trail.index(node) :] + [node]
    if node in done:
        return None
    for successor in successors(subject, node):
        cycle = _cycle_from(subject, successor, trail + [node], done)
        if cycle is not None:
            return cycle
    done.add(node)
    return None


def questions_on_every_path(subject: Subject) -> dict[str, set[str]]:
    """Per reachable node: the questions answered on every path from the start to it.

    Only meaningful for an acyclic tree (check cycles first). Nodes are visited in
    topological order so each node's predecessors are final before it is used.
    """
    order = _topological(subject)
    must: dict[str, set[str]] = {node: set() for node in leaves(subject.start)}
    for node in order:
        through = must.get(node, set()) | ({node} if subject.question(node) else set())
        for successor in successors(subject, node):
            must[successor] = must[successor] & through if successor in must else set(through)
    return must


def _topological(subject: Subject) -> list[str]:
    visited: set[str] = set()
    order: list[str] = []

    def visit(node: str) -> None:
        if node in visited:
            return
        visited.add(node)
        for successor in successors(subject, node):
            visit(successor)
        order.append(node)

    for node in leaves(subject.start):
        visit(node)
    return order[::-1]
