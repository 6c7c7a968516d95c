"""Pages without a full login: setting a password with an e-mailed link, asking for one
("wachtwoord vergeten"), and the second step of a login with two-factor verification (the
code, or enrolment when the role requires it)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.admin import accounts, two_factor
from server.domain.errors import AppError, TooManyRequests
from server.models import User
from server.web.auth import current_user, offer_handover
from server.web.errors import error_headers
from server.web.pages.auth import home_for
from server.web.templating import templates

SAME_ANSWER = (
    "Als dit adres bij een actieve gebruiker hoort, is er een mail met een link onderweg."
    " De link werkt 2 uur en één keer."
)


def _page(
    request: Request, name: str, context: dict[str, Any], status: int = 200, **kw: Any
) -> Response:
    return templates.TemplateResponse(
        request, f"account/{name}.html", context, status_code=status, **kw
    )


async def password_form(request: Request) -> Response:
    token = request.path_params["token"]
    try:
        link, user = await accounts.link_user(token)
    except AppError as exc:
        return _page(request, "password", {"gone": exc.message}, exc.status)
    return _page(request, "password", {"user": user, "purpose": link.purpose, "token": token})


async def password_save(request: Request) -> Response:
    token = request.path_params["token"]
    form = await request.form()
    try:
        user = await accounts.set_password_by_link(
            token, str(form.get("password", "")), str(form.get("repeat", ""))
        )
    except AppError as exc:
        try:
            link, user = await accounts.link_user(token)
        except AppError as gone:
            return _page(request, "password", {"gone": gone.message}, gone.status)
        context = {
            "user": user,
            "purpose": link.purpose,
            "token": token,
            "error": exc.message,
            "error_field": exc.field,
        }
        return _page(request, "password", context, exc.status, headers=error_headers(exc))
    request.session.clear()
    return RedirectResponse(f"/login?ingesteld=1&next=/&gebruiker={user.username}", status_code=303)


async def forgot_form(request: Request) -> Response:
    return _page(request, "forgot", {})


async def forgot(request: Request) -> Response:
    form = await request.form()
    email = str(form.get("email", ""))[:300]
    remote = request.client.host if request.client else ""
    try:
        await accounts.request_reset(email, remote)
    except TooManyRequests as exc:
        return _page(
            request,
            "forgot",
            {"error": exc.message, "email": email},
            429,
            headers=error_headers(exc),
        )
    return _page(request, "forgot", {"sent": SAME_ANSWER})


# -- the second step of a login --------------------------------------------------------------


async def _pending(request: Request) -> User | None:
    uid = request.session.get("pending")
    if not isinstance(uid, int):
        return None
    user = await User.get_or_none(id=uid, active=True)
    if user is None or user.session_epoch != request.session.get("pending_epoch"):
        request.session.clear()
        return None
    return user


def _finish(request: Request, user: User) -> str:
    target = str(request.session.get("pending_next") or "/")
    request.session.clear()
    # `tf`: this session passed the second step (server/web/second_step.py).
    request.session.update({"uid": user.id, "epoch": user.session_epoch, "tf": True})
    return target if target != "/" else home_for(user.role)


async def code_form(request: Request) -> Response:
    if await _pending(request) is None:
        return RedirectResponse("/login", status_code=303)
    return _page(request, "code", {})


async def code(request: Request) -> Response:
    user = await _pending(request)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    form = await request.form()
    try:
        right = await two_factor.check(user, str(form.get("code", ""))[:40])
    except TooManyRequests as exc:
        request.session.clear()
        return templates.TemplateResponse(
            request, "login.html", {"error": exc.message, "next": "/"}, status_code=429
        )
    if not right:
        return _page(
            request,
            "code",
            {
                "error": "Deze code klopt niet. Probeer de code die uw app nu toont, of een"
                " herstelcode.",
                "error_field": "code",
            },
            422,
        )
    target = _finish(request, user)
    return offer_handover(RedirectResponse(target, status_code=303), False)


async def _enrolling(request: Request) -> tuple[User | None, bool]:
    """Who enrols: the pending login that must, or the logged-in user who wants to."""
    pending = await _pending(request)
    if pending is not None:
        return pending, True
    principal = request.scope.get("user")
    model = getattr(principal, "model", None)
    return (model if isinstance(model, User) else None), False


async def _enrol_page(
    request: Request, user: User, pending: bool, error: AppError | None = None
) -> Response:
    if user.role not in two_factor.ELIGIBLE:
        return _page(request, "enrol", {"not_for_role": True}, 403)
    if await two_factor.enrolled(user):
        return _page(
            request, "enrol", {"done_before": True, "left": await two_factor.recovery_left(user)}
        )
    row = await two_factor.start(user)
    uri = two_factor.uri(user, row)
    context = {
        "qr": two_factor.qr_svg(uri),
        "secret": " ".join(row.secret[i : i + 4] for i in range(0, len(row.secret), 4)),
        "pending": pending,
        "required": user.role in await two_factor.required_roles(),
    }
    if error is not None:
        context.update(error=error.message, error_field=error.field)
    return _page(request, "enrol", context, error.status if error else 200)


async def enrol_form(request: Request) -> Response:
    user, pending = await _enrolling(request)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    return await _enrol_page(request, user, pending)


async def enrol(request: Request) -> Response:
    user, pending = await _enrolling(request)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    form = await request.form()
    try:
        await two_factor.take_try(user)
        codes = await two_factor.confirm(user, str(form.get("code", ""))[:40])
    except TooManyRequests as exc:
        request.session.clear()
        return templates.TemplateResponse(
            request, "login.html", {"error": exc.message, "next": "/"}, status_code=429
        )
    except AppError as exc:
        return await _enrol_page(request, user, pending, exc)
    await two_factor.tries_succeeded(user)
    if pending:
        target = _finish(request, user)
    else:
        # Set up while logged in: this session has shown he holds the second factor.
        request.session["tf"] = True
        target = home_for(user.role)
    return _page(request, "recovery", {"codes": codes, "target": target})


async def account_enrol_form(request: Request) -> Response:
    current_user(request)
    return await enrol_form(request)


async def account_enrol(request: Request) -> Response:
    current_user(request)
    return await enrol(request)
