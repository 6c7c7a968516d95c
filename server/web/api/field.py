"""The technician app's API: sync push and pull, photo upload and photo files; dossier chat."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from media import CONTENT_TYPE
from server import scoping
from server.domain.errors import BadRequest, Forbidden
from server.domain.numbers import whole_number
from server.fieldwork import chat, photos, sync_mutators, sync_store
from server.web.api.common import int_param, parse
from server.web.auth import current_user
from server.web.responses import JSONResponse
from sync import ProtocolError, parse_ops, pull, push

# The app's clock when it sent the request (ISO 8601): the server measures the offset from it.
DEVICE_TIME = "x-device-time"


class PushBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    device_id: str = Field(
        max_length=64, description="Random id the app made at install (8-64 of A-Z a-z 0-9 - _)"
    )
    ops: list[object] = Field(description="Operations in order: {seq, op_id, kind, job, ...}")


class MessageBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str


async def _store(request: Request, device_id: str) -> sync_store.DeviceStore:
    user = current_user(request)
    technician, device = await sync_store.technician_with_device(user, device_id)
    if technician is None:
        raise Forbidden("Alleen servicemonteurs synchroniseren met de app.")
    device = device or await sync_store.device_for(user, device_id)
    return sync_store.DeviceStore(user, technician, device)


async def sync_push(request: Request) -> JSONResponse:
    """
    summary: Push the device's queued operations (docs/sync.md)
    tags: [sync]
    parameters:
      - name: X-Device-Time
        in: header
        schema: {type: string, format: date-time}
        description: The device's clock at sending; the server corrects device times by it
    body: PushBody
    responses:
      200: PushResult
      400: The batch breaks the protocol (no usable seq or op_id, holes)
      403: Technicians only
    """
    current_user(request)
    # No text check on the whole batch: a bad operation is refused on its own by the sync
    # layer, so one bad op cannot block the app's queue behind a 422 for all of them.
    body = await parse(request, PushBody, check_text=False)
    store = await _store(request, body.device_id)
    try:
        ops = parse_ops(body.ops)
    except ProtocolError as exc:
        raise BadRequest(exc.message, exc.field) from None
    await store.measure_clock(request.headers.get(DEVICE_TIME))
    result = await push(store, sync_mutators.REGISTRY, ops)
    await store.save_clock()
    return JSONResponse(
        {
            "outcomes": [o.as_json() for o in result.outcomes],
            "last_seq": result.last_seq,
            "stop": result.stop.as_json() if result.stop else None,
            "epoch": store.row.epoch,
        }
    )


async def sync_pull(request: Request) -> JSONResponse:
    """
    summary: What changed for this device since its cursor, or a full reset (docs/sync.md)
    tags: [sync]
    parameters:
      - {name: device_id, in: query, required: true, schema: {type: string}}
      - {name: cursor, in: query, schema: {type: string}}
      - {name: limit, in: query, schema: {type: integer, default: 200, minimum: 1, maximum: 500}}
    responses:
      200: PullResult
      403: Technicians only
    """
    store = await _store(request, request.query_params.get("device_id", ""))
    limit = int_param(request, "limit", 200, 1, 500)
    result = await pull(store, request.query_params.get("cursor"), limit)
    return JSONResponse(result.as_json())


async def photo_upload(request: Request) -> JSONResponse:
    """
    summary: Upload a photo of a job under the id the app gave it (idempotent)
    tags: [sync]
    parameters:
      - {name: job, in: query, required: true, schema: {type: string}, description: order number}
      - {name: taken_at, in: query, schema: {type: string, format: date-time}}
    requestBody:
      content:
        image/jpeg: {schema: {type: string, format: binary}}
        multipart/form-data:
          schema: {type: object, properties: {file: {type: string, format: binary}}}
    responses:
      201: PhotoStored
      200: PhotoStored
      404: The job is not the caller's, or the photo id is another user's
      413: Too large
      415: Not a photo, or an unsupported format
      422: Corrupt, too many pixels, too much memory to process, or a bad id
    """
    user = current_user(request)
    client_id = photos.check_client_id(request.path_params["client_id"])
    declared = request.headers.get("content-length")
    photos.check_size(whole_number(declared, 0, 10**18) if declared else None)
    data = await _photo_bytes(request)
    photo, created = await photos.upload(
        user,
        client_id,
        request.query_params.get("job", ""),
        data,
        _time(request.query_params.get("taken_at")),
    )
    return JSONResponse(
        {"client_id": photo.client_id, "key": photo.key, "created": created},
        status_code=201 if created else 200,
    )


async def _photo_bytes(request: Request) -> bytes:
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=5)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise BadRequest("Stuur de foto in het veld 'file'.", "file")
        data = await upload.read()
        await form.close()
        return data
    return await request.body()


def _time(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise BadRequest(f"'{raw}' is geen tijdstip (ISO 8601).", "taken_at") from None
    return value if value.tzinfo else None


async def photo_file(request: Request) -> Response:
    """
    summary: A photo file, for users who may see its dossier
    tags: [sync]
    responses:
      200: {description: The photo, content: {image/jpeg: {schema: {type: string, format: binary}}}}
      404: No such photo, or not visible to the caller
    """
    user = current_user(request)
    p = request.path_params
    path = await photos.file_for(user, p["key"], p["variant"])
    return FileResponse(
        path,
        media_type=CONTENT_TYPE,
        filename=f"foto-{p['key'][:12]}-{p['variant']}.jpg",
        content_disposition_type="inline",
        headers={"Cache-Control": "private, max-age=31536000, immutable"},
    )


async def messages(request: Request) -> JSONResponse:
    """
    summary: The chat of a dossier
    tags: [dossiers]
    responses:
      200: Messages
    """
    user = current_user(request)
    dossier = await scoping.dossier(user, request.path_params["order_number"])
    return JSONResponse({"items": [chat.as_json(m) for m in await chat.thread(dossier)]})


async def message_create(request: Request) -> JSONResponse:
    """
    summary: Write in the chat of a dossier (desk, client portal, technician)
    tags: [dossiers]
    body: MessageBody
    responses:
      201: Message
      422: Empty or too long
    """
    user = current_user(request)
    body = await parse(request, MessageBody)
    dossier = await scoping.dossier(user, request.path_params["order_number"])
    message = await chat.write(user, dossier, body.text)
    await chat.announce(dossier, message)
    return JSONResponse(chat.as_json(message), status_code=201)
