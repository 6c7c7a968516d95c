"""Full-text search of articles, per database (migration 0018 made the index).

PostgreSQL: each word group of the query (server/knowledge/words.py: the word and its
synonyms) becomes `websearch_to_tsquery('dutch', word)` OR-ed with its synonyms, the groups
AND-ed, matched against the indexed tsvector and ranked by ts_rank. Only words (letters and
digits) reach the database, as parameters, and websearch_to_tsquery takes any text without a
syntax error; so no input gives a query error.

SQLite: the article's stems are written to knowledge_fts on every save; the query's stems go
into an FTS5 MATCH expression built here from words alone, each quoted, ranked by bm25 with
title and keywords weighing more than the body.

Every word must match; when no article has them all (a sentence: "ik ruik gaslucht"), any
word will do, best ranked first, so a tenant's sentence still finds something.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from server import db
from server.knowledge import words
from server.models import KnowledgeArticle

PG_VECTOR = (
    "setweight(to_tsvector('dutch', title), 'A') || "
    "setweight(to_tsvector('dutch', keywords), 'B') || "
    "to_tsvector('dutch', body)"
)
# bm25 weights of knowledge_fts's columns: title, keywords, body.
FTS_WEIGHTS = "10.0, 5.0, 1.0"


async def index(article: KnowledgeArticle, conn: BaseDBAsyncClient) -> None:
    """Keep the SQLite index in step with the article's current text (PostgreSQL's GIN index
    follows the row by itself)."""
    if db.dialect(conn) == "postgres":
        return
    await conn.execute_query("DELETE FROM knowledge_fts WHERE rowid = ?", [article.id])
    await conn.execute_query(
        "INSERT INTO knowledge_fts (rowid, title, keywords, body) VALUES (?, ?, ?, ?)",
        [
            article.id,
            " ".join(words.stems(article.title)),
            " ".join(words.stems(article.keywords)),
            " ".join(words.stems(article.body)),
        ],
    )


async def ranked_ids(
    conn: BaseDBAsyncClient, query: str, client_ids: list[int] | None
) -> list[int] | None:
    """Ids of the articles matching `query`, best first, among those of `client_ids` (and
    the shared ones; None: every article). None when the query has no words to search for."""
    postgres = db.dialect(conn) == "postgres"
    groups = words.query_words(query) if postgres else words.query_stems(query)
    if not groups:
        return None
    find = _postgres if postgres else _sqlite
    found = await find(conn, groups, client_ids, " && " if postgres else " AND ")
    if not found and len(groups) > 1:
        found = await find(conn, groups, client_ids, " || " if postgres else " OR ")
    return found


def _scope(column: str, client_ids: list[int] | None, params: list[object], mark: str) -> str:
    if client_ids is None:
        return "1 = 1"
    marks = []
    for client_id in client_ids:
        params.append(client_id)
        marks.append(mark.format(len(params)))
    within = f" OR {column} IN ({', '.join(marks)})" if marks else ""
    return f"({column} IS NULL{within})"


async def _postgres(
    conn: BaseDBAsyncClient, groups: list[tuple[str, ...]], client_ids: list[int] | None, op: str
) -> list[int]:
    params: list[object] = []
    parts = []
    for group in groups:
        alternatives = []
        for word in group:
            params.append(word)
            alternatives.append(f"websearch_to_tsquery('dutch', ${len(params)})")
        parts.append("(" + " || ".join(alternatives) + ")")
    query = op.join(parts)
    scope = _scope("client_id", client_ids, params, "${}")
    sql = (
        f"SELECT id FROM knowledge_article, (SELECT {query} AS q) AS s "
        f"WHERE ({PG_VECTOR}) @@ s.q AND {scope} "
        f"ORDER BY ts_rank({PG_VECTOR}, s.q) DESC, title, id"
    )
    rows = await conn.execute_query_dict(sql, params)
    return [int(r["id"]) for r in rows]


async def _sqlite(
    conn: BaseDBAsyncClient, groups: list[tuple[str, ...]], client_ids: list[int] | None, op: str
) -> list[int]:
    # Stems are letters and digits only (words.tokens); quoted, FTS5 reads each as a term.
    match = op.join("(" + " OR ".join(f'"{s}"' for s in group) + ")" for group in groups)
    params: list[object] = [match]
    scope = _scope("a.client_id", client_ids, params, "?")
    sql = (
        "SELECT a.id FROM knowledge_fts JOIN knowledge_article a ON a.id = knowledge_fts.rowid "
        f"WHERE knowledge_fts MATCH ? AND {scope} "
        f"ORDER BY bm25(knowledge_fts, {FTS_WEIGHTS}), a.title, a.id"
    )
    rows = await conn.execute_query_dict(sql, params)
    return [int(r["id"]) for r in rows]
