"""Finding a protocol's subject by the words a tenant uses ("kraan", "wc", "stroom"): the same
stems and synonyms as the article search, over the subject's own words. Plain Python.

A subject's words weigh by where they stand: its label, id and the tenants' words of
words.yaml most, its help text next, its questions, answers and outcome labels least. Every
word of the query must match somewhere (a word may also be the start of a label word, for
typing: "lek" finds Lekkage); the best total comes first, ties in the protocol's order. When
no subject has every word (a sentence: "ik ruik gaslucht"), those with most of them do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from server.knowledge import words
from server.triage import Protocol, Subject

LABEL, HELP, TREE = 3, 2, 1


@dataclass(frozen=True)
class SubjectMatch:
    id: str
    label: str
    help: str | None
    score: int


def _bag(subject: Subject) -> tuple[dict[str, int], set[str]]:
    """Stem → weight, and the plain words a query word may be the start of."""
    weights: dict[str, int] = {}

    def add(texts: Iterable[str | None], weight: int) -> None:
        for text in texts:
            for s in words.stems(text or ""):
                weights[s] = max(weights.get(s, 0), weight)

    own = [subject.label, subject.id.replace("_", " "), *words.subject_words().get(subject.id, [])]
    add(own, LABEL)
    add([subject.help], HELP)
    tree: list[str | None] = []
    for q in subject.questions:
        tree += [q.text, *(o.label for o in q.options)]
    tree += [o.label for o in subject.outcomes]
    add(tree, TREE)
    starts = {t for text in own for t in words.tokens(text)}
    return weights, starts


def _score(group: tuple[str, ...], plain: str, weights: dict[str, int], starts: set[str]) -> int:
    best = max((weights.get(s, 0) for s in group), default=0)
    if not best and len(plain) >= 2 and any(w.startswith(plain) for w in starts):
        best = TREE
    return best


def find(protocol: Protocol, query: str) -> list[SubjectMatch]:
    """The protocol's subjects that match every word of `query`, best first; an empty query
    (or only stop words and signs) lists them all in the protocol's order."""
    plain = words.query_words(query)
    stemmed = words.query_stems(query)
    found: list[tuple[int, int, int, SubjectMatch]] = []
    for index, subject in enumerate(protocol.subjects):
        weights, starts = _bag(subject)
        scores = [
            _score(group, raw[0], weights, starts)
            for group, raw in zip(stemmed, plain, strict=True)
        ]
        matched = sum(1 for score in scores if score)
        if matched or not stemmed:
            match = SubjectMatch(subject.id, subject.label, subject.help, sum(scores))
            found.append((-matched, -sum(scores), index, match))
    found.sort(key=lambda t: t[:3])
    most = found[0][0] if found else 0
    return [m for matched, _, _, m in found if matched == most]
