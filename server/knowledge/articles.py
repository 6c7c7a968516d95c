"""Knowledge-base use cases: reading and searching articles, writing them (every save a new
version), and the article an outcome of the protocol shows.

Who: supervisors and admins write; the desk reads every article; a client's user reads the
shared ones and its own client's, never another client's (that is "not found").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from server import scoping
from server.domain.codes import TriageAction
from server.domain.errors import Conflict, Forbidden, NotFound, Unprocessable
from server.domain.numbers import row_id
from server.domain.roles import DESK_ROLES, Role
from server.knowledge import search
from server.models import Client, KnowledgeArticle, KnowledgeVersion, User
from server.protocols import protocols
from server.triage import Protocol, default_protocol

WRITERS = frozenset({Role.ADMIN, Role.SUPERVISOR})
MAX_TITLE = 200
MAX_BODY = 20_000
MAX_KEYWORDS = 500
MAX_REASON = 500
_ID = re.compile(r"[a-z][a-z0-9_]{0,59}")


def now() -> datetime:
    return datetime.now(UTC)


def require_reader(user: User) -> None:
    if user.role not in DESK_ROLES and user.role != Role.CLIENT:
        raise Forbidden("Uw rol heeft geen toegang tot de kennisbank.")


def require_writer(user: User) -> None:
    if user.role not in WRITERS:
        raise Forbidden("Alleen supervisie schrijft en wijzigt artikelen in de kennisbank.")


def may_write(user: User) -> bool:
    return user.role in WRITERS


def visible(user: User) -> QuerySet[KnowledgeArticle]:
    """The desk reads every article; a client's user the shared ones and its own."""
    if user.role in DESK_ROLES:
        return KnowledgeArticle.all()
    if user.role == Role.CLIENT:
        own = user.client_id  # type: ignore[attr-defined]
        return KnowledgeArticle.filter(Q(client_id=None) | Q(client_id=own))
    return KnowledgeArticle.filter(id__in=[])


def article_id(raw: object) -> int:
    value = row_id(str(raw).strip())
    if value is None:
        raise NotFound(f"Artikel '{str(raw)[:40]}' niet gevonden.", "article")
    return value


async def get(user: User, raw_id: object) -> KnowledgeArticle:
    require_reader(user)
    found = await visible(user).get_or_none(id=article_id(raw_id))
    if found is None:
        raise NotFound(f"Artikel '{str(raw_id)[:40]}' niet gevonden.", "article")
    await found.fetch_related("client")
    return found


@dataclass(frozen=True)
class Found:
    items: list[KnowledgeArticle]
    total: int


async def find(
    user: User,
    q: str = "",
    client: str = "",
    subject: str = "",
    limit: int = 50,
    offset: int = 0,
) -> Found:
    """Articles matching the tenant's words `q` (best first; without words: by title), of
    `client` and the shared ones when a client is named, of a protocol subject if given."""
    require_reader(user)
    qs = visible(user)
    client_ids: list[int] | None = None
    if client.strip():
        chosen = await scoping.client(user, client)
        client_ids = [chosen.id]
        qs = qs.filter(Q(client_id=None) | Q(client_id=chosen.id))
    elif user.role == Role.CLIENT:
        client_ids = [user.client_id]  # type: ignore[attr-defined]
    if subject.strip():
        qs = qs.filter(subject=subject.strip()[:60])
    async with in_transaction() as conn:
        ranked = await search.ranked_ids(conn, q, client_ids)
    if ranked is None:
        total = await qs.count()
        items = await qs.order_by("title", "id").offset(offset).limit(limit)
    else:
        ids = await qs.filter(id__in=ranked).values("id")
        allowed = {int(r["id"]) for r in ids}
        order = [i for i in ranked if i in allowed]
        total = len(order)
        page = order[offset : offset + limit]
        rows = {a.id: a for a in await KnowledgeArticle.filter(id__in=page)}
        items = [rows[i] for i in page if i in rows]
    for item in items:
        await item.fetch_related("client")
    return Found(items, total)


@dataclass
class ArticleInput:
    title: str
    body: str
    client: str = ""  # a client's code; empty: shared (only when creating)
    keywords: str = ""
    subject: str = ""
    outcome: str = ""
    reason: str = ""
    # The version the writer started from: a save over a newer one is refused (409).
    based_on: int | None = None


def _text(value: str, limit: int, what: str, name: str, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise Unprocessable(f"Vul {what} in.", name)
    if len(value) > limit:
        raise Unprocessable(f"{what[:1].upper()}{what[1:]} is langer dan {limit} tekens.", name)
    return value


async def _protocol_of(client: Client | None) -> Protocol:
    if client is None:
        return default_protocol()
    return protocols.protocol(client, await protocols.current(client))


async def _link(client: Client | None, subject: str, outcome: str) -> tuple[str, str]:
    """The subject and outcome an article belongs to, checked against the protocol it will
    be shown by (the client's; for a shared article, the default)."""
    subject, outcome = subject.strip(), outcome.strip()
    if not subject:
        if outcome:
            raise Unprocessable("Kies bij een uitkomst ook het onderwerp.", "subject")
        return "", ""
    if not _ID.fullmatch(subject):
        raise Unprocessable(f"'{subject[:60]}' is geen onderwerp van het protocol.", "subject")
    protocol = await _protocol_of(client)
    found = protocol.subject(subject)
    whose = client.name if client else "het standaardprotocol"
    if found is None:
        raise Unprocessable(f"Onderwerp '{subject}' bestaat niet in {whose}.", "subject")
    if outcome:
        end = found.outcome(outcome) if _ID.fullmatch(outcome) else None
        if end is None:
            raise Unprocessable(
                f"Uitkomst '{outcome[:60]}' bestaat niet bij onderwerp '{subject}'.", "outcome"
            )
        if end.action is not TriageAction.OP_AFSTAND_OPLOSSEN:
            raise Unprocessable(
                f"Uitkomst '{outcome}' wordt niet op afstand opgelost; alleen zo'n uitkomst "
                "toont een artikel.",
                "outcome",
            )
    return subject, outcome


async def _values(data: ArticleInput, client: Client | None) -> dict[str, str]:
    subject, outcome = await _link(client, data.subject, data.outcome)
    return {
        "title": " ".join(_text(data.title, MAX_TITLE, "de titel", "title", True).split()),
        "body": _text(data.body, MAX_BODY, "de tekst", "body", True).replace("\r\n", "\n"),
        "keywords": " ".join(
            _text(data.keywords, MAX_KEYWORDS, "de zoekwoorden", "keywords").split()
        ),
        "subject": subject,
        "outcome": outcome,
    }


async def _save_version(
    article: KnowledgeArticle, user: User, reason: str, at: datetime, conn: BaseDBAsyncClient
) -> None:
    await KnowledgeVersion.create(
        article=article,
        version=article.version,
        title=article.title,
        body=article.body,
        keywords=article.keywords,
        subject=article.subject,
        outcome=article.outcome,
        reason=_text(reason, MAX_REASON, "de reden", "reason"),
        saved_by=user,
        saved_by_name=str(user),
        saved_at=at,
        using_db=conn,
    )


async def create(user: User, data: ArticleInput, at: datetime | None = None) -> KnowledgeArticle:
    require_writer(user)
    at = at or now()
    client = await scoping.client(user, data.client) if data.client.strip() else None
    values = await _values(data, client)
    async with in_transaction() as conn:
        article = await KnowledgeArticle.create(
            client=client,
            version=1,
            created_at=at,
            updated_at=at,
            updated_by=str(user),
            using_db=conn,
            **values,
        )
        await _save_version(article, user, data.reason or "Nieuw artikel", at, conn)
        await search.index(article, conn)
    return await get(user, article.id)


async def update(
    user: User, article: KnowledgeArticle, data: ArticleInput, at: datetime | None = None
) -> KnowledgeArticle:
    """Save a new version; the earlier ones stay readable."""
    require_writer(user)
    at = at or now()
    await article.fetch_related("client")
    values = await _values(data, article.client)
    async with in_transaction() as conn:
        row = await KnowledgeArticle.select_for_update().using_db(conn).get(id=article.id)
        if data.based_on is not None and data.based_on != row.version:
            raise Conflict(
                f"Het artikel is intussen gewijzigd door {row.updated_by} (versie {row.version}); "
                "laad het opnieuw en breng uw wijziging daarin aan.",
                "based_on",
            )
        for key, value in values.items():
            setattr(row, key, value)
        row.version += 1
        row.updated_at = at
        row.updated_by = str(user)
        await row.save(using_db=conn)
        await _save_version(row, user, data.reason, at, conn)
        await search.index(row, conn)
    return await get(user, article.id)


async def versions(user: User, article: KnowledgeArticle) -> list[KnowledgeVersion]:
    require_reader(user)
    return await KnowledgeVersion.filter(article_id=article.id).order_by("-version")


async def version(user: User, article: KnowledgeArticle, raw: object) -> KnowledgeVersion:
    require_reader(user)
    number = row_id(str(raw).strip())
    found = (
        None
        if number is None
        else await KnowledgeVersion.get_or_none(article_id=article.id, version=number)
    )
    if found is None:
        raise NotFound(f"Versie '{str(raw)[:40]}' van dit artikel bestaat niet.", "version")
    return found


async def for_outcome(client: Client, subject: str, outcome: str) -> KnowledgeArticle | None:
    """The article an outcome shows: the client's own before a shared one, one made for this
    outcome before one for the whole subject; the newest save decides a tie."""
    candidates = await KnowledgeArticle.filter(
        Q(client_id=None) | Q(client_id=client.id),
        subject=subject,
        outcome__in=[outcome, ""],
    ).order_by("-updated_at", "-id")
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda a: (a.client_id is None, a.outcome != outcome),
    )
