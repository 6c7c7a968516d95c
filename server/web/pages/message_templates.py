"""Pages where supervision, or the client itself, edits the client's message texts."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.communication import client_templates
from server.domain.errors import AppError
from server.web.auth import current_user
from server.web.templating import templates


async def clients(request: Request) -> Response:
    """The clients whose texts this user may edit; a client's user goes straight to his own."""
    found = await client_templates.editable_clients(current_user(request))
    if len(found) == 1:
        return RedirectResponse(f"/sjablonen/{found[0].code}", status_code=303)
    return templates.TemplateResponse(request, "sjablonen/clients.html", {"clients": found})


async def overview(request: Request) -> Response:
    client = await client_templates.editable_client(
        current_user(request), request.path_params["client"]
    )
    context = {"client": client, "kinds": client_templates.overview(client)}
    return templates.TemplateResponse(request, "sjablonen/list.html", context)


def _name(request: Request) -> str:
    return f"{request.path_params['kind']}/{request.path_params['file']}"


async def edit(request: Request) -> Response:
    client = await client_templates.editable_client(
        current_user(request), request.path_params["client"]
    )
    item = client_templates.detail(client, _name(request))
    context = {"client": client, "t": item, "saved": request.query_params.get("opgeslagen")}
    return templates.TemplateResponse(request, "sjablonen/edit.html", context)


async def save(request: Request) -> Response:
    user = current_user(request)
    code = request.path_params["client"]
    form = await request.form()
    text = "" if form.get("herstel") else str(form.get("text", ""))
    try:
        client = await client_templates.save(user, code, _name(request), text)
    except AppError as exc:
        if exc.status != 422:
            raise
        client = await client_templates.editable_client(user, code)
        context = {
            "client": client,
            "t": client_templates.detail(client, _name(request), text),
            "error": exc,
        }
        return templates.TemplateResponse(request, "sjablonen/edit.html", context, status_code=422)
    return RedirectResponse(
        f"/sjablonen/{client.code}/{_name(request)}?opgeslagen=1", status_code=303
    )
