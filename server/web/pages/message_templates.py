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
    """Save the text (or put the built-in one back), or only show a preview of it
    (`voorbeeld`). A text written with [fields] (`vorm=invulvelden`) is turned into its
    template first."""
    user = current_user(request)
    code = request.path_params["client"]
    name = _name(request)
    form = await request.form()
    typed = str(form.get("text", "")).replace("\r\n", "\n")
    with_fields = form.get("vorm") == "invulvelden"
    try:
        text = "" if form.get("herstel") else client_templates.template_of(name, typed, with_fields)
        if form.get("voorbeeld"):
            client = await client_templates.editable_client(user, code)
            client_templates.check(text, name)
            item = client_templates.detail(client, name, text if text.strip() else None)
            context = {"client": client, "t": item, "typed": typed, "previewing": True}
            return templates.TemplateResponse(request, "sjablonen/edit.html", context)
        client = await client_templates.save(user, code, name, text)
    except AppError as exc:
        if exc.status != 422:
            raise
        client = await client_templates.editable_client(user, code)
        context = {
            "client": client,
            "t": client_templates.detail(client, name),
            "typed": typed,
            "error": exc,
        }
        return templates.TemplateResponse(request, "sjablonen/edit.html", context, status_code=422)
    return RedirectResponse(f"/sjablonen/{client.code}/{name}?opgeslagen=1", status_code=303)
