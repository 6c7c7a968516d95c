"""The rule for a new password: at least MIN_LENGTH characters and hard to guess.

"Hard to guess" is zxcvbn's estimate (score 3 or more: about 10^8 guesses), which knows common
passwords, English words, names, keyboard patterns, repeats, sequences and dates. It is told the
Dutch words people build passwords from, and the user's own username, name and e-mail, so
"Welkom2025!" and a password equal to the username fail; what is left of a password without
the user's details must be hard to guess on its own ("SanneDekker99"). The refusal says in
Dutch what makes the password easy, from the part of it that zxcvbn found most guessable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from zxcvbn import zxcvbn
from zxcvbn.matching import add_frequency_lists

from server.domain.errors import Unprocessable

MIN_LENGTH = 10
MIN_SCORE = 3
# zxcvbn refuses longer input (its cost grows with length); the start of a long one decides.
_CHECKED_LENGTH = 72

# Dutch words of leaked Dutch password lists, and the words of this workplace, most common
# first (zxcvbn ranks them: the first costs an attacker one guess).
_DUTCH_TEXT = """
welkom wachtwoord geheim hallo meldkamer voetbal ajax feyenoord psv nederland holland oranje
amsterdam rotterdam utrecht denhaag zomer winter lente herfst voorjaar najaar liefde schatje
lieverd prinses konijn hond poes paard kaas fiets januari februari maart april mei juni juli
augustus september oktober november december maandag dinsdag woensdag donderdag vrijdag
zaterdag zondag welkom01 wachtwoord1 storing monteur servicemonteur woonstad wonen huurder
kantoor werk bedrijf beheer beheerder supervisie inloggen gebruiker
"""
_DUTCH = "nl_common"
add_frequency_lists({_DUTCH: _DUTCH_TEXT.split()})

_ADVICE = (
    "Kies bijvoorbeeld drie of vier losse woorden die niets met u, uw werk of de meldkamer te"
    " maken hebben; hoofdletters, cijfers en tekens zijn dan niet nodig."
)
_COMMON = "het is (of lijkt op) een veelgebruikt wachtwoord"
_REASONS = {
    "user_inputs": "het bestaat vooral uit uw gebruikersnaam, naam of e-mailadres",
    "passwords": _COMMON,
    _DUTCH: _COMMON,
    "repeat": "het herhaalt tekens of stukjes, zoals 'aaa' of 'abcabc'",
    "sequence": "het is een reeks zoals 'abc' of '6543'",
    "spatial": "het is een toetsenbordpatroon, zoals 'qwerty' of 'zxcvbn'",
    "regex": "het draait om een jaartal",
    "date": "het draait om een datum",
}
_WORD = "het is vooral een bekend woord of een naam"
_SHORT = "het is te kort en te voorspelbaar"


def personal_words(*details: str) -> list[str]:
    """The user's details and their parts ("Sanne de Wit" -> sanne, wit), for zxcvbn."""
    words: list[str] = []
    for detail in details:
        detail = detail.strip().lower()
        if detail:
            words.append(detail)
            words += [part for part in re.split(r"[^\w]+", detail) if len(part) >= 3]
    return words


def weakness(password: str, personal: Iterable[str] = ()) -> str | None:
    """Why this password is too easy to guess, in Dutch, or None when it will do."""
    if len(password) < MIN_LENGTH:
        return f"Het wachtwoord moet minstens {MIN_LENGTH} tekens hebben."
    personal = list(personal)
    result = zxcvbn(password[:_CHECKED_LENGTH], user_inputs=personal)
    if result["score"] < MIN_SCORE:
        return _too_easy(_reason(result["sequence"]))
    # zxcvbn scores several known parts in a row generously; whoever guesses knows the user.
    rest = _without(password, personal)
    if rest != password and zxcvbn(rest[:_CHECKED_LENGTH])["score"] < MIN_SCORE:
        return _too_easy(_REASONS["user_inputs"])
    return None


def check(password: str, personal: Iterable[str] = ()) -> None:
    """Refuse a new password that breaks the rule (422 on the field `password`)."""
    problem = weakness(password, personal)
    if problem is not None:
        raise Unprocessable(problem, "password")


def _too_easy(reason: str) -> str:
    return f"Dit wachtwoord is te makkelijk te raden: {reason}. {_ADVICE}"


def _without(password: str, personal: list[str]) -> str:
    for word in sorted(personal, key=len, reverse=True):
        password = re.sub(re.escape(word), "", password, flags=re.IGNORECASE)
    return password


def _reason(sequence: list[dict[str, Any]]) -> str:
    # Like zxcvbn's own feedback: the longest part it recognised says most about the whole.
    if not sequence:
        return _SHORT
    match = max(sequence, key=lambda m: len(m["token"]))
    pattern = match["pattern"]
    if pattern == "dictionary":
        return _REASONS.get(match["dictionary_name"], _WORD)
    return _REASONS.get(pattern, _SHORT)
