"""Knowledge-base API: search and read articles, write them (a new version per save), their
history, and the intake's subject search by tenants' words. Docstrings hold each endpoint's
OpenAPI description."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from server.knowledge import articles, intake
from server.web.api.common import int_param, parse, text_param
from server.web.api.knowledge_schemas import (
    ArticleCreate,
    ArticleUpdate,
    article_json,
    version_json,
)
from server.web.auth import current_user

# A search is a few words; longer is refused with a Dutch message rather than cut.
MAX_QUERY = 500


async def article_list(request: Request) -> JSONResponse:
    """
    summary: Search the knowledge base by the words tenants use
    description: >-
      Dutch stemming and the tenants' synonyms (wc, ketel, stroom, ...): every word must
      match (or one of its synonyms). Without words, every article by title. A client's user
      sees the shared articles and its own client's.
    tags: [knowledge]
    parameters:
      - {name: q, in: query, schema: {type: string, maxLength: 500}}
      - name: client
        in: query
        schema: {type: string}
        description: "that client's articles and the shared ones"
      - {name: subject, in: query, schema: {type: string}, description: 'a protocol subject id'}
      - {name: limit, in: query, schema: {type: integer, default: 50, maximum: 200}}
      - {name: offset, in: query, schema: {type: integer, default: 0}}
    responses:
      200: ArticleList
    """
    user = current_user(request)
    found = await articles.find(
        user,
        q=text_param(request, "q", MAX_QUERY),
        client=text_param(request, "client", 20),
        subject=text_param(request, "subject", 60),
        limit=int_param(request, "limit", 50, 1, 200),
        offset=int_param(request, "offset", 0, 0, 10_000_000),
    )
    items = [article_json(a, body=False) for a in found.items]
    return JSONResponse({"total": found.total, "items": items})


async def article_create(request: Request) -> JSONResponse:
    """
    summary: Write a new article (version 1)
    tags: [knowledge]
    body: ArticleCreate
    responses:
      201: Article
      403: Supervisors and admins only
      422: 'Invalid input: {"error": {"message", "field"}}'
    """
    user = current_user(request)
    articles.require_writer(user)
    body = await parse(request, ArticleCreate)
    article = await articles.create(user, body.to_input())
    return JSONResponse(article_json(article), status_code=201)


async def article_detail(request: Request) -> JSONResponse:
    """
    summary: One article, its current version
    tags: [knowledge]
    responses:
      200: Article
      404: Not found, or not visible to the caller
    """
    user = current_user(request)
    article = await articles.get(user, request.path_params["article_id"])
    return JSONResponse(article_json(article))


async def article_update(request: Request) -> JSONResponse:
    """
    summary: Save a new version of an article
    description: The earlier versions stay readable, with who saved them and when.
    tags: [knowledge]
    body: ArticleUpdate
    responses:
      200: Article
      403: Supervisors and admins only
      409: Saved by someone else since the version in based_on
      422: 'Invalid input: {"error": {"message", "field"}}'
    """
    user = current_user(request)
    articles.require_writer(user)
    body = await parse(request, ArticleUpdate)
    article = await articles.get(user, request.path_params["article_id"])
    article = await articles.update(user, article, body.to_input())
    return JSONResponse(article_json(article))


async def article_versions(request: Request) -> JSONResponse:
    """
    summary: Every saved version of an article, newest first
    tags: [knowledge]
    responses:
      200: [ArticleVersion]
    """
    user = current_user(request)
    article = await articles.get(user, request.path_params["article_id"])
    return JSONResponse([version_json(v) for v in await articles.versions(user, article)])


async def article_version(request: Request) -> JSONResponse:
    """
    summary: One saved version of an article
    tags: [knowledge]
    responses:
      200: ArticleVersion
      404: No such article or version, or not visible to the caller
    """
    user = current_user(request)
    article = await articles.get(user, request.path_params["article_id"])
    found = await articles.version(user, article, request.path_params["article_version"])
    return JSONResponse(version_json(found))


async def subject_search(request: Request) -> JSONResponse:
    """
    summary: The subjects of a client's protocol that match the words a tenant uses
    description: >-
      The intake's subject search: Dutch stems, the tenants' synonyms and each subject's own
      words (label, help, questions, answers); every word must match. Without words, every
      subject in the protocol's order.
    tags: [triage]
    parameters:
      - {name: q, in: query, schema: {type: string, maxLength: 500}}
    responses:
      200: [SubjectMatch]
      404: Unknown client, or not the caller's own
    """
    user = current_user(request)
    found = await intake.find_subjects(
        user, request.path_params["client"], text_param(request, "q", MAX_QUERY)
    )
    return JSONResponse([{"id": m.id, "label": m.label, "help": m.help} for m in found])
