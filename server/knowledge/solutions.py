"""Contacts solved with an article ('opgelost met artikel'): the agent chooses the article
when registering the result 'op afstand opgelost'; the dashboard counts them per article."""

from __future__ import annotations

from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from server.domain.errors import Unprocessable
from server.domain.numbers import row_id
from server.models import Client, Contact, ContactArticle, KnowledgeArticle

# The result code an article goes with (server/domain/result_codes.py's default list).
REMOTE = "op_afstand_opgelost"


async def checked(client: Client, result_code: str, raw: object) -> KnowledgeArticle | None:
    """The article chosen for a contact of `client` with `result_code`, or an error naming the
    field 'article': it must exist, be shared or the client's own, and go with
    'op afstand opgelost'."""
    if raw is None or str(raw).strip() == "":
        return None
    number = row_id(str(raw).strip())
    article = None if number is None else await KnowledgeArticle.get_or_none(id=number)
    if article is None or article.client_id not in (None, client.id):
        raise Unprocessable(f"Artikel '{str(raw)[:40]}' niet gevonden.", "article")
    if result_code != REMOTE:
        raise Unprocessable(
            "Een artikel hoort bij het resultaat 'Op afstand opgelost'; kies dat resultaat of "
            "geen artikel.",
            "article",
        )
    return article


async def record(
    contact: Contact,
    article: KnowledgeArticle | None,
    given: bool,
    at: datetime,
    conn: BaseDBAsyncClient,
) -> None:
    """Keep the contact's article in step with its result: set (or cleared) when `given`; gone
    when the result is no longer 'op afstand opgelost'; else left as it was."""
    existing = await ContactArticle.filter(contact_id=contact.id).using_db(conn).first()
    if contact.result_code != REMOTE or (given and article is None):
        if existing is not None:
            await existing.delete(using_db=conn)
        return
    if not given or article is None:
        return
    if existing is None:
        await ContactArticle.create(
            contact=contact,
            article=article,
            article_version=article.version,
            at=at,
            using_db=conn,
        )
    elif existing.article_id != article.id:
        existing.article_id = article.id
        existing.article_version = article.version
        existing.at = at
        await existing.save(using_db=conn)


async def of_contact(contact: Contact) -> KnowledgeArticle | None:
    link = await ContactArticle.get_or_none(contact_id=contact.id).prefetch_related("article")
    return link.article if link else None


async def choices(client_id: int | None) -> list[KnowledgeArticle]:
    """The articles an agent may choose for a contact of this client, by title."""
    if client_id is None:
        return list(await KnowledgeArticle.filter(client_id=None).order_by("title", "id"))
    articles = await KnowledgeArticle.filter(client_id__in=[client_id]).order_by("title")
    shared = await KnowledgeArticle.filter(client_id=None).order_by("title")
    return sorted([*articles, *shared], key=lambda a: (a.title.casefold(), a.id))
