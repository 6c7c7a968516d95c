"""Languages for tenants: Dutch (the source language of every text) and English, from gettext
message catalogues under server/i18n/locale/<language>/LC_MESSAGES/messages.po.

Texts are marked in Dutch, the language the product is written in: `_("Uw melding")` in Python,
`{{ _("Uw melding") }}` or `{% trans %}` in templates. Another language is one more .po file
(`pybabel init -D messages -i <extracted .pot> -d server/i18n/locale -l de`, then add it to
LANGUAGES); no code changes. The .po files are read directly (no compiled .mo in the tree).

The language of the text being rendered is a context variable: a public page sets it from the
tenant's choice (`choose`) before rendering, a message job from the dossier's language, so
texts rendered in one request or job never leak into another's.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

SOURCE = "nl"
# Language code -> its own name, as a tenant picks it from the page.
LANGUAGES: Mapping[str, str] = {"nl": "Nederlands", "en": "English"}
# Query parameter and cookie that carry the tenant's choice on public pages.
PARAMETER = "taal"
COOKIE = "taal"
LOCALE_DIR = Path(__file__).parent / "locale"

_current: ContextVar[str] = ContextVar("language", default=SOURCE)


def supported(code: str | None) -> str | None:
    """The supported language `code` names (nl, en, en-GB, EN), else None."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


@cache
def catalogue(language: str) -> NullTranslations:
    """The translations of `language`, read from its .po once per process; the source language
    (and a language without a file) translates nothing."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == SOURCE or not path.exists():
        return NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain="messages")


def current() -> str:
    return _current.get()


def activate(language: str | None) -> str:
    """Render what follows in `language` (an unsupported one falls back to Dutch)."""
    chosen = supported(language) or SOURCE
    _current.set(chosen)
    return chosen


@contextmanager
def using(language: str | None) -> Iterator[str]:
    """Render a block in `language`, then restore the language before it (for jobs that render
    several dossiers' messages in turn)."""
    token = _current.set(supported(language) or SOURCE)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    return catalogue(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalogue(_current.get()).ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:
    """Marks a text for the catalogues where it is defined (a table of texts); it is translated
    where it is shown, with gettext."""
    return message


def choose(
    asked: str | None = None,
    cookie: str | None = None,
    stored: str | None = None,
    accept_language: str | None = None,
) -> str:
    """The tenant's language: what they just picked, else what they picked before on this
    device, else what the dossier records, else what their browser asks for, else Dutch."""
    for candidate in (asked, cookie, stored):
        if found := supported(candidate):
            return found
    if accept_language:
        wanted = [
            part.split(";")[0].strip().replace("-", "_") for part in accept_language.split(",")
        ]
        try:
            best = Locale.negotiate([w for w in wanted if w and w != "*"], list(LANGUAGES), sep="_")
        except (UnknownLocaleError, ValueError):
            best = None
        if best is not None and (found := supported(str(best))):
            return found
    return SOURCE
