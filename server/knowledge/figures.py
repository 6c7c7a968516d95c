"""The knowledge base on the dashboard: contacts solved remotely, per article, and the share
of contacts solved without a technician (the seed's "is een servicemonteur wel nodig?").

Counted over contacts offered in the period that have a result, per client or for the whole
meldkamer (docs/kpis.md, "Knowledge base").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from server.domain import result_codes
from server.knowledge.solutions import REMOTE
from server.models import Contact, ContactArticle, KnowledgeArticle

# Results that mean a technician (or contractor) was sent for: a dossier came of it.
DISPATCHED = (result_codes.ORDER, "herhaalmelding")


@dataclass
class RemoteFigures:
    contacts: int = 0  # with a result registered
    remote: int = 0  # op afstand opgelost
    with_article: int = 0  # of those, with an article
    dispatched: int = 0  # leidt tot opdracht, herhaalmelding
    # (article title, whose: client code or 'gedeeld', contacts solved with it), most first
    per_article: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def share_of_contacts(self) -> float | None:
        return round(100 * self.remote / self.contacts, 1) if self.contacts else None

    @property
    def share_of_faults(self) -> float | None:
        """Of the contacts about a fault (solved remotely, or a dossier sent out), the share
        solved without a technician."""
        faults = self.remote + self.dispatched
        return round(100 * self.remote / faults, 1) if faults else None


def _contacts(
    client_ids: tuple[int, ...] | None, start: datetime, end: datetime, conn: BaseDBAsyncClient
) -> QuerySet[Contact]:
    qs = Contact.filter(offered_at__gte=start, offered_at__lt=end, result_code__isnull=False)
    if client_ids is not None:
        qs = qs.filter(client_id__in=list(client_ids))
    return qs.using_db(conn)


async def remote_solutions(
    client_ids: tuple[int, ...] | None, start: datetime, end: datetime, conn: BaseDBAsyncClient
) -> RemoteFigures:
    """The figures for the clients `client_ids` (None: all) over [start, end)."""
    if client_ids is not None and not client_ids:
        return RemoteFigures()
    rows = (
        await _contacts(client_ids, start, end, conn)
        .annotate(n=Count("id"))
        .group_by("result_code")
        .values("result_code", "n")
    )
    by_code = {str(r["result_code"]): int(r["n"]) for r in rows}
    out = RemoteFigures(
        contacts=sum(by_code.values()),
        remote=by_code.get(REMOTE, 0),
        dispatched=sum(by_code.get(code, 0) for code in DISPATCHED),
    )
    links = ContactArticle.filter(
        contact__offered_at__gte=start, contact__offered_at__lt=end, contact__result_code=REMOTE
    )
    if client_ids is not None:
        links = links.filter(contact__client_id__in=list(client_ids))
    solved = (
        await links.using_db(conn)
        .annotate(n=Count("id"))
        .group_by("article_id")
        .values("article_id", "n")
    )
    counts = {int(r["article_id"]): int(r["n"]) for r in solved}
    out.with_article = sum(counts.values())
    titles = {
        a.id: (a.title, a.client.code if a.client else "gedeeld")
        for a in await KnowledgeArticle.filter(id__in=list(counts))
        .using_db(conn)
        .prefetch_related("client")
    }
    out.per_article = sorted(
        ((*titles[i], n) for i, n in counts.items() if i in titles),
        key=lambda row: (-row[2], row[0]),
    )
    return out
