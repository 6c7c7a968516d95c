"""The archive (/archief): filtered, paged dossiers of the user's scope and Excel exports."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from tempfile import mkstemp
from typing import BinaryIO

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response, StreamingResponse

from server import scoping, settings
from server.domain.errors import AppError, Forbidden
from server.domain.roles import DESK_ROLES, Role
from server.insight import archive, export, export_jobs
from server.models import Contractor, Technician, User
from server.web.auth import current_user
from server.web.params import int_param
from server.web.templating import templates

PAGE_SIZE = 50
MAX_PAGE = 100_000  # keeps the offset within any database's range
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reader(request: Request) -> User:
    """Desk roles and client users; technicians have their own jobs, not an archive."""
    user = current_user(request)
    if user.role not in DESK_ROLES and user.role != Role.CLIENT:
        raise Forbidden("Uw rol heeft geen toegang tot het archief.")
    return user


async def archive_list(request: Request) -> Response:
    user = _reader(request)
    p = request.query_params
    page = int_param(request, "pagina", 1, 1, MAX_PAGE)
    error: AppError | None = None
    try:
        filters = archive.parse(p)
        qs = archive.query(user, filters)
        total = await qs.count()
        items = (
            await qs.order_by("-created_at", "-id")
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
            .prefetch_related("client", "technician")
        )
    except AppError as exc:
        error, filters, total, items = exc, archive.ArchiveFilter(), 0, []
    desk = user.role in DESK_ROLES
    context = {
        "f": filters,
        "items": items,
        "werkbons": await archive.werkbons([d.id for d in items]),
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "query": filters.as_query(),
        "clients": await scoping.clients(user) if desk else [],
        "technicians": await Technician.all().order_by("name") if desk else [],
        "contractors": await Contractor.all().order_by("name"),
        "statuses": archive.STATUSES,
        "columns": export.COLUMNS,
        "default_columns": export.DEFAULT_COLUMNS,
        "exports": export_jobs.mine(user),
        "started": p.get("export", ""),
        "threshold": settings.EXPORT_JOB_ROWS,
        "error": error,
    }
    status = error.status if error else 200
    return templates.TemplateResponse(request, "insight/archive.html", context, status_code=status)


# Route docstrings become OpenAPI YAML, so page handlers explain themselves in comments.
# Small exports download at once; large ones become a job for this user only.
async def export_xlsx(request: Request) -> Response:
    user = _reader(request)
    form = await request.form()
    filters = archive.parse({k: str(v) for k, v in form.items() if k != "kolom"})
    columns = export.pick([str(v) for v in form.getlist("kolom")])
    qs = archive.query(user, filters)
    if await qs.count() > settings.EXPORT_JOB_ROWS:
        token = await export_jobs.start(user, filters, columns)
        query = "&".join(f"{k}={v}" for k, v in filters.as_query().items())
        return RedirectResponse(f"/archief?{query}&export={token}#exports", status_code=303)
    handle, name = mkstemp(suffix=".xlsx", prefix="export-")
    os.close(handle)
    path = Path(name)
    try:
        await export.write(qs, columns, path)
        file = await anyio.to_thread.run_sync(path.open, "rb")
    finally:
        # Tenants' details must not outlive the download, also when it is cut off midway:
        # the open file is read to the end and the name is gone at once.
        await anyio.to_thread.run_sync(_forget, path)
    return StreamingResponse(
        _chunks(file),
        media_type=XLSX,
        headers={
            "Content-Disposition": 'attachment; filename="dossiers.xlsx"',
            "Content-Length": str(os.fstat(file.fileno()).st_size),
        },
    )


def _forget(path: Path) -> None:
    path.unlink(missing_ok=True)


async def _chunks(file: BinaryIO) -> AsyncIterator[bytes]:
    try:
        while chunk := await anyio.to_thread.run_sync(file.read, 64 * 1024):
            yield chunk
    finally:
        file.close()


async def export_download(request: Request) -> Response:
    user = _reader(request)
    path = export_jobs.download(user, request.path_params["token"])
    return FileResponse(path, media_type=XLSX, filename="dossiers.xlsx")
