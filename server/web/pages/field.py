"""The technician app's shell, manifest and service worker; the dossier chat on the pages.

The shell, manifest and service worker hold no data and are served without a login: the app
must start offline, and it logs in with a bearer token it keeps on the device.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from server import live, scoping, settings
from server.domain.errors import AppError
from server.fieldwork import chat
from server.models import User
from server.web.auth import current_user, still_allowed
from server.web.pages import dossiers as dossier_pages
from server.web.static import static_url
from server.web.templating import templates

PWA = settings.ROOT / "pwa"
# Everything a cold start offline needs; the service worker caches these on install.
SHELL = [
    "/monteur/",
    "/monteur/manifest.webmanifest",
    "/static/monteur/app.css",
    "/static/monteur/app.js",
    "/static/monteur/api.js",
    "/static/monteur/db.js",
    "/static/monteur/outbox.js",
    "/static/monteur/sync.js",
    "/static/monteur/photos.js",
    "/static/monteur/push.js",
    "/static/monteur/views.js",
    "/static/monteur/closing.js",
    "/static/monteur/signature.js",
    "/static/monteur/format.js",
    "/static/monteur/icon-192.png",
    "/static/monteur/icon-512.png",
    "/static/vendor/idb/index.js",
]
# The files the shell page and the manifest name by their content-hashed names
# (server/web/static.py); the service worker caches those names too, or a cold start offline
# would miss them. The modules app.js imports keep their plain names, listed above.
HASHED = ["monteur/app.css", "monteur/app.js", "monteur/icon-192.png", "monteur/icon-512.png"]


@lru_cache(maxsize=1)
def shell_urls() -> list[str]:
    return SHELL + [static_url(path) for path in HASHED]


@lru_cache(maxsize=1)
def shell_version() -> str:
    """Changes whenever a file of the shell changes, so browsers install the new worker."""
    digest = hashlib.sha256()
    for name in [
        "service-worker.js",
        "static/monteur/sw-strategies.js",
        "templates/monteur/app.html",
    ]:
        digest.update((PWA / name).read_bytes())
    for url in SHELL:  # the hashed names are of these same files
        if url.startswith("/static/"):
            digest.update((PWA / url.removeprefix("/")).read_bytes())
    return digest.hexdigest()[:12]


async def shell(request: Request) -> Response:
    return templates.TemplateResponse(
        request,
        "monteur/app.html",
        {"version": shell_version()},
        headers={"Cache-Control": "no-cache"},
    )


async def shell_redirect(request: Request) -> Response:
    return RedirectResponse("/monteur/", status_code=308)


async def service_worker(request: Request) -> Response:
    text = (PWA / "service-worker.js").read_text()
    text = text.replace("__VERSION__", shell_version()).replace(
        "__SHELL__", ", ".join(f'"{u}"' for u in shell_urls())
    )
    return Response(
        text,
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/monteur/"},
    )


PNG = {"type": "image/png"}


async def manifest(request: Request) -> Response:
    return JSONResponse(
        {
            "name": "Meldkamer Monteur",
            "short_name": "Monteur",
            "lang": "nl",
            "start_url": "/monteur/",
            "scope": "/monteur/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b5394",
            "icons": [
                {"src": static_url("monteur/icon-192.png"), "sizes": "192x192", **PNG},
                {"src": static_url("monteur/icon-512.png"), "sizes": "512x512", **PNG},
                {
                    "src": static_url("monteur/icon-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        },
        media_type="application/manifest+json",
    )


async def chat_post(request: Request) -> Response:
    """A chat message from the desk or the client portal (form post, works without script)."""
    user = current_user(request)
    dossier = await scoping.dossier(user, request.path_params["order_number"])
    form = await request.form()
    try:
        message = await chat.write(user, dossier, str(form.get("text", "")))
    except AppError as exc:
        return await dossier_pages.detail(request, exc)
    await chat.announce(dossier, message)
    return RedirectResponse(f"/dossiers/{dossier.order_number}#chat", status_code=303)


async def dossier_live(request: Request) -> Response:
    """Server-sent events of one dossier, for those who may see it."""
    user = current_user(request)
    dossier = await scoping.dossier(user, request.path_params["order_number"])

    async def sees(now: User) -> bool:
        return await scoping.sees_dossier(now, dossier.id)

    return live.stream(request, [f"dossier:{dossier.order_number}"], still_allowed(request, sees))
