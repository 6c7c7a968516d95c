"""The knowledge base's pages: /kennisbank (search and list), an article, writing and editing
(supervisors), and its earlier versions."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import scoping
from server.domain.errors import AppError
from server.domain.roles import DESK_ROLES
from server.knowledge import articles
from server.knowledge.articles import ArticleInput
from server.models import KnowledgeArticle, User
from server.web.auth import current_user
from server.web.params import int_param, text_param
from server.web.templating import templates

PAGE = 50
FIELDS = ("title", "body", "keywords", "subject", "outcome", "reason", "client")


async def _clients(user: User) -> list[Any]:
    return list(await scoping.clients(user).filter(active=True).order_by("name"))


async def article_list(request: Request) -> Response:
    user = current_user(request)
    articles.require_reader(user)
    q = text_param(request, "q", 500)
    client = text_param(request, "klant", 20) if user.role in DESK_ROLES else ""
    page = int_param(request, "pagina", 1, 1, 100_000)
    found = await articles.find(user, q=q, client=client, limit=PAGE, offset=(page - 1) * PAGE)
    context = {
        "found": found,
        "q": q,
        "klant": client,
        "page": page,
        "pages": max(1, -(-found.total // PAGE)),
        "clients": await _clients(user) if user.role in DESK_ROLES else [],
        "may_write": articles.may_write(user),
    }
    return templates.TemplateResponse(request, "knowledge/list.html", context)


async def detail(request: Request) -> Response:
    user = current_user(request)
    article = await articles.get(user, request.path_params["article_id"])
    context = {
        "a": article,
        "versions": await articles.versions(user, article),
        "may_write": articles.may_write(user),
        "saved": request.query_params.get("opgeslagen") == "1",
    }
    return templates.TemplateResponse(request, "knowledge/detail.html", context)


async def version(request: Request) -> Response:
    user = current_user(request)
    article = await articles.get(user, request.path_params["article_id"])
    found = await articles.version(user, article, request.path_params["article_version"])
    return templates.TemplateResponse(request, "knowledge/version.html", {"a": article, "v": found})


def _values(article: KnowledgeArticle | None) -> dict[str, Any]:
    if article is None:
        return {name: "" for name in FIELDS}
    values: dict[str, Any] = {name: getattr(article, name, "") for name in FIELDS[:5]}
    values.update(reason="", client=article.client.code if article.client else "")
    return values


async def _form(
    request: Request,
    user: User,
    article: KnowledgeArticle | None,
    values: dict[str, Any],
    error: AppError | None = None,
) -> Response:
    context = {
        "a": article,
        "values": values,
        "clients": await _clients(user),
        "error": error.message if error else None,
        "error_field": error.field if error else None,
    }
    status = error.status if error else 200
    return templates.TemplateResponse(request, "knowledge/edit.html", context, status_code=status)


async def new_form(request: Request) -> Response:
    user = current_user(request)
    articles.require_writer(user)
    return await _form(request, user, None, _values(None))


async def edit_form(request: Request) -> Response:
    user = current_user(request)
    articles.require_writer(user)
    article = await articles.get(user, request.path_params["article_id"])
    return await _form(request, user, article, _values(article) | {"based_on": article.version})


def _input(values: dict[str, Any]) -> ArticleInput:
    raw = str(values.get("based_on", "")).strip()
    based_on = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
    return ArticleInput(**{k: str(values.get(k, "")) for k in FIELDS}, based_on=based_on)


async def create(request: Request) -> Response:
    user = current_user(request)
    articles.require_writer(user)
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in FIELDS}
    try:
        article = await articles.create(user, _input(values))
    except AppError as exc:
        return await _form(request, user, None, values, exc)
    return RedirectResponse(f"/kennisbank/{article.id}?opgeslagen=1", status_code=303)


async def save(request: Request) -> Response:
    user = current_user(request)
    articles.require_writer(user)
    article = await articles.get(user, request.path_params["article_id"])
    form = await request.form()
    values: dict[str, Any] = {k: str(form.get(k, "")) for k in FIELDS}
    values["based_on"] = str(form.get("based_on", ""))
    try:
        await articles.update(user, article, _input(values))
    except AppError as exc:
        return await _form(request, user, article, values, exc)
    return RedirectResponse(f"/kennisbank/{article.id}?opgeslagen=1", status_code=303)
