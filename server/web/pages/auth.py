"""Log in and out of the desk and portal pages (session cookie)."""

from __future__ import annotations

from urllib.parse import urlparse

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from tortoise.expressions import F

from server.admin import two_factor
from server.auth import login as login_service
from server.domain.errors import AppError
from server.domain.roles import Role
from server.models import User
from server.web.auth import current_user, offer_handover
from server.web.errors import error_headers
from server.web.templating import templates


def safe_next(target: str | None) -> str:
    """Only same-site paths: a login link must not bounce the user to another site."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


# Where each role starts: the technician in his app, a client or contractor in its portal, the
# desk at work.
HOMES = {Role.TECHNICIAN: "/monteur/", Role.CLIENT: "/portaal", Role.CONTRACTOR: "/aannemer"}


def home_for(role: str) -> str:
    return HOMES.get(Role(role), "/dossiers")


async def login_form(request: Request) -> Response:
    context = {
        "next": safe_next(request.query_params.get("next")),
        "username": request.query_params.get("gebruiker", "")[:80],
        "password_set": request.query_params.get("ingesteld") == "1",
    }
    return templates.TemplateResponse(request, "login.html", context)


async def login(request: Request) -> Response:
    form = await request.form()
    username = str(form.get("username", ""))
    target = safe_next(str(form.get("next", "")))
    remote = request.client.host if request.client else ""
    try:
        user = await login_service.authenticate(username, str(form.get("password", "")), remote)
    except AppError as exc:
        return templates.TemplateResponse(
            request,
            "login.html",
            {"error": exc.message, "username": username, "next": target},
            status_code=exc.status,
            headers=error_headers(exc),
        )
    if await two_factor.enrolled(user):
        return begin_second_step(request, user, target, enrol=False)
    if await two_factor.must_enrol(user):
        return begin_second_step(request, user, target, enrol=True)
    request.session.clear()
    request.session.update({"uid": user.id, "epoch": user.session_epoch})
    response = RedirectResponse(target if target != "/" else home_for(user.role), status_code=303)
    return offer_handover(response, user.role == Role.TECHNICIAN)


def begin_second_step(request: Request, user: User, target: str, enrol: bool) -> Response:
    """The password was right; the session holds a pending login, not a login."""
    request.session.clear()
    request.session.update(
        {
            "pending": user.id,
            "pending_epoch": user.session_epoch,
            "pending_next": target,
        }
    )
    return RedirectResponse("/login/tweestaps" if enrol else "/login/code", status_code=303)


async def logout(request: Request) -> Response:
    """The cookie is signed, not stored: a copy of it would still work, so logging out moves
    the user's session epoch on, which ends every session of his (and their live streams)."""
    uid = request.session.get("uid")
    if isinstance(uid, int):
        await User.filter(id=uid).update(session_epoch=F("session_epoch") + 1)
    request.session.clear()
    return offer_handover(RedirectResponse("/login", status_code=303), False)


async def home(request: Request) -> Response:
    user = current_user(request)
    return RedirectResponse(home_for(user.role), status_code=303)
