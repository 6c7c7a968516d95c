"""The admin screens (/beheer): users and the two-factor setting for the admin; clients,
technicians and the housing stock for admin and supervisie (docs/admin.md)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.admin import accounts, changes, two_factor
from server.admin.mail import MailNotSent
from server.domain.errors import AppError
from server.domain.roles import ROLE_LABELS, Role
from server.models import AccountLink, Client, Contractor, TwoFactor, User
from server.web.auth import require_role
from server.web.errors import error_headers
from server.web.templating import templates

ADMIN = (Role.ADMIN,)
STAFF = (Role.ADMIN, Role.SUPERVISOR)
USER_FIELDS = ("username", "full_name", "email", "role", "client", "contractor")


def page(
    request: Request,
    name: str,
    context: dict[str, Any],
    status: int = 200,
    error: AppError | None = None,
) -> Response:
    if error is not None:
        context.update(error=error.message, error_field=error.field)
        status = error.status
    headers = error_headers(error) if error is not None else None
    return templates.TemplateResponse(
        request, f"admin/{name}.html", context, status_code=status, headers=headers
    )


async def index(request: Request) -> Response:
    require_role(request, *STAFF)
    return page(request, "index", {})


# -- users (admin only) ----------------------------------------------------------------------


async def _user_choices() -> dict[str, Any]:
    return {
        "roles": ROLE_LABELS,
        "clients": await Client.filter(active=True).order_by("name"),
        "contractors": await Contractor.all().order_by("name"),
    }


async def user_list(request: Request) -> Response:
    require_role(request, *ADMIN)
    users = await User.all().order_by("username").prefetch_related("client", "contractor")
    enrolled = set(
        await TwoFactor.filter(confirmed_at__isnull=False).values_list("user_id", flat=True)
    )
    context = {
        "users": users,
        "enrolled": enrolled,
        "invited": {u.id for u in users if u.password_hash == accounts.NO_PASSWORD},
        "required": await two_factor.required_roles(),
    }
    return page(request, "users", context)


async def invite_form(request: Request) -> Response:
    require_role(request, *ADMIN)
    return page(request, "invite", {**await _user_choices(), "values": {}})


def _user_input(form: Any) -> accounts.UserInput:
    return accounts.UserInput(
        username=str(form.get("username", ""))[:200],
        full_name=str(form.get("full_name", ""))[:300],
        email=str(form.get("email", ""))[:300],
        role=str(form.get("role", "")),
        client_code=str(form.get("client", ""))[:40],
        contractor_code=str(form.get("contractor", ""))[:40],
    )


async def invite(request: Request) -> Response:
    me = require_role(request, *ADMIN)
    form = await request.form()
    data = _user_input(form)
    try:
        user, link = await accounts.invite(me, data)
    except MailNotSent:
        # The user exists; the invitation can be sent again once mail works.
        created = await User.get(username=data.username.strip().lower())
        return RedirectResponse(f"/beheer/gebruikers/{created.id}?niet_gemaild=1", status_code=303)
    except AppError as exc:
        values = {k: str(form.get(k, "")) for k in USER_FIELDS}
        return page(request, "invite", {**await _user_choices(), "values": values}, error=exc)
    return RedirectResponse(f"/beheer/gebruikers/{user.id}?uitgenodigd=1", status_code=303)


async def _user_context(user: User) -> dict[str, Any]:
    return {
        **await _user_choices(),
        "user": user,
        "values": {
            "full_name": user.full_name,
            "email": user.email,
            "role": user.role,
            "client": user.client.code if user.client else "",
            "contractor": user.contractor.code if user.contractor else "",
        },
        "invited": user.password_hash == accounts.NO_PASSWORD,
        "open_invite": await AccountLink.filter(
            user_id=user.id, purpose="invite", used_at=None
        ).first(),
        "enrolled": await two_factor.enrolled(user),
        "eligible": user.role in two_factor.ELIGIBLE,
        "changes": await changes.of("user", user.id),
    }


async def user_detail(request: Request) -> Response:
    require_role(request, *ADMIN)
    user = await accounts.get_user(request.path_params["user_id"])
    context = await _user_context(user)
    context["notice"] = {
        "uitgenodigd": f"Uitnodiging verstuurd naar {user.email}.",
        "opgeslagen": "Opgeslagen.",
        "gedeactiveerd": f"{user} is gedeactiveerd; zijn sessies en tokens zijn beëindigd.",
        "geactiveerd": f"{user} is weer actief.",
        "tweestaps": "Tweestapsverificatie verwijderd en zijn sessies en tokens beëindigd; bij"
        " de volgende login stelt hij die opnieuw in als zijn rol dat vereist.",
    }.get(next((k for k in request.query_params if request.query_params[k] == "1"), ""), "")
    if request.query_params.get("niet_gemaild") == "1":
        context["error"] = (
            "De uitnodiging is niet gemaild (geen mailserver of een fout): gebruik 'Nieuwe"
            " uitnodiging' zodra de mail werkt."
        )
    return page(request, "user", context)


async def user_save(request: Request) -> Response:
    me = require_role(request, *ADMIN)
    user = await accounts.get_user(request.path_params["user_id"])
    form = await request.form()
    data = _user_input(form)
    try:
        await accounts.update(me, user, data)
    except AppError as exc:
        context = await _user_context(user)
        context["values"] = {k: str(form.get(k, "")) for k in USER_FIELDS}
        return page(request, "user", context, error=exc)
    return RedirectResponse(f"/beheer/gebruikers/{user.id}?opgeslagen=1", status_code=303)


async def user_active(request: Request) -> Response:
    me = require_role(request, *ADMIN)
    user = await accounts.get_user(request.path_params["user_id"])
    form = await request.form()
    active = form.get("active") == "ja"
    try:
        await accounts.set_active(me, user, active)
    except AppError as exc:
        return page(request, "user", await _user_context(user), error=exc)
    flag = "geactiveerd" if active else "gedeactiveerd"
    return RedirectResponse(f"/beheer/gebruikers/{user.id}?{flag}=1", status_code=303)


async def user_reinvite(request: Request) -> Response:
    me = require_role(request, *ADMIN)
    user = await accounts.get_user(request.path_params["user_id"])
    try:
        await accounts.resend_invite(me, user)
    except MailNotSent:
        return RedirectResponse(f"/beheer/gebruikers/{user.id}?niet_gemaild=1", status_code=303)
    except AppError as exc:
        return page(request, "user", await _user_context(user), error=exc)
    return RedirectResponse(f"/beheer/gebruikers/{user.id}?uitgenodigd=1", status_code=303)


async def user_two_factor_reset(request: Request) -> Response:
    me = require_role(request, *ADMIN)
    user = await accounts.get_user(request.path_params["user_id"])
    await two_factor.reset(me, user)
    return RedirectResponse(f"/beheer/gebruikers/{user.id}?tweestaps=1", status_code=303)


async def settings_form(request: Request) -> Response:
    require_role(request, *ADMIN)
    context = {
        "eligible": [(r.value, ROLE_LABELS[r]) for r in two_factor.ELIGIBLE],
        "required": await two_factor.required_roles(),
        "changes": await changes.of("settings", "platform"),
        "saved": request.query_params.get("opgeslagen") == "1",
    }
    return page(request, "settings", context)


async def settings_save(request: Request) -> Response:
    me = require_role(request, *ADMIN)
    form = await request.form()
    roles = [str(r) for r in form.getlist("two_factor_roles")][:10]
    try:
        await two_factor.set_required_roles(me, roles)
    except AppError as exc:
        context = {
            "eligible": [(r.value, ROLE_LABELS[r]) for r in two_factor.ELIGIBLE],
            "required": roles,
            "changes": await changes.of("settings", "platform"),
        }
        return page(request, "settings", context, error=exc)
    return RedirectResponse("/beheer/instellingen?opgeslagen=1", status_code=303)
