"""Words for search, the same on SQLite and PostgreSQL: tokens, Dutch stop words, Dutch
stems, and the tenants' synonyms of words.yaml. Plain Python.

PostgreSQL's `dutch` text-search configuration stems with Snowball's original Dutch
algorithm and drops the words of its `dutch.stop`; SQLite's FTS5 has no Dutch, so the text
it indexes and the words it is asked for are stemmed here with the same algorithm
(`dutch_porter` in snowballstemmer 3; PostgreSQL 15 to 17 ship it as `dutch`) and the same
stop words, and both databases find the same articles.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import snowballstemmer
import yaml

# Letters and digits; everything else (punctuation, operators, quotes, emoji, NUL) separates.
_TOKEN = re.compile(r"[^\W_]+")
# A query uses its first words only: a pasted e-mail is not a search.
MAX_QUERY_WORDS = 12
# PostgreSQL's dutch.stop (Snowball's Dutch stop word list).
STOP_WORDS = frozenset(
    """de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar
    om hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar
    haar naar heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch
    al waren veel meer doen toen moet ben zonder kan hun dus alles onder ja eens hier wie werd
    altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand geweest
    andere""".split()  # noqa: SIM905 (the list as PostgreSQL spells it, a word apart)
)
_STEMMER = snowballstemmer.stemmer("dutch_porter")
_DATA = Path(__file__).with_name("words.yaml")


def tokens(text: str) -> list[str]:
    """Lower-cased words of `text` (NFKC, so 'ﬁ' and full-width letters read as plain)."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def stems(text: str) -> list[str]:
    """The stems of `text`'s words that are no stop words, in order (what FTS5 indexes)."""
    return [stem(t) for t in tokens(text) if t not in STOP_WORDS]


@cache
def _data() -> dict[str, dict[str, list[str]]]:
    raw = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    return {
        part: {str(k).casefold(): [str(w) for w in v] for k, v in (raw.get(part) or {}).items()}
        for part in ("synonyms", "subjects")
    }


def synonyms() -> dict[str, list[str]]:
    return _data()["synonyms"]


def subject_words() -> dict[str, list[str]]:
    """Per subject id, the words tenants use for it."""
    return _data()["subjects"]


def query_words(text: str) -> list[tuple[str, ...]]:
    """What a search asks for: per word of the query (stop words left out) the word and its
    synonyms' words, as plain lower-cased tokens. Every group must match (AND); within a
    group any word will do (OR)."""
    groups: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for token in tokens(text):
        if token in STOP_WORDS or token in seen:
            continue
        seen.add(token)
        alternatives = [token]
        for other in synonyms().get(token, []):
            alternatives += [t for t in tokens(other) if t not in STOP_WORDS]
        groups.append(tuple(dict.fromkeys(alternatives)))
        if len(groups) == MAX_QUERY_WORDS:
            break
    return groups


def query_stems(text: str) -> list[tuple[str, ...]]:
    """`query_words` stemmed: what FTS5 is asked for (and what the subject search compares)."""
    return [tuple(dict.fromkeys(stem(w) for w in group)) for group in query_words(text)]
