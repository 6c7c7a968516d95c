"""Routes of the technician app and the dossier chat (included by server/web/routes.py)."""

from __future__ import annotations

from starlette.routing import Route

from server.web.api import device as api_device
from server.web.api import field as api_field
from server.web.api import materials as api_materials
from server.web.pages import field

api_routes = [
    Route("/sync/push", api_field.sync_push, methods=["POST"]),
    Route("/sync/pull", api_field.sync_pull, methods=["GET"]),
    Route("/photos/{client_id}", api_field.photo_upload, methods=["PUT"]),
    Route("/photos/{key}/{variant}", api_field.photo_file, methods=["GET"]),
    Route("/dossiers/{order_number}/messages", api_field.messages, methods=["GET"]),
    Route("/dossiers/{order_number}/messages", api_field.message_create, methods=["POST"]),
    Route("/me/push-subscriptions", api_device.push_subscriptions, methods=["GET"]),
    Route("/me/push-subscriptions", api_device.push_subscribe, methods=["POST"]),
    Route(
        "/me/push-subscriptions/{subscription_id}",
        api_device.push_unsubscribe,
        methods=["DELETE"],
    ),
    Route("/auth/device-token", api_device.device_token, methods=["POST"]),
    Route("/auth/logout", api_device.logout, methods=["POST"]),
    Route("/clients/{client}/materials", api_materials.client_materials, methods=["GET"]),
    Route("/clients/{client}/materials", api_materials.client_materials_put, methods=["PUT"]),
    Route(
        "/contractors/{contractor_id}/materials",
        api_materials.contractor_materials,
        methods=["GET"],
    ),
    Route(
        "/contractors/{contractor_id}/materials",
        api_materials.contractor_materials_put,
        methods=["PUT"],
    ),
]

page_routes = [
    Route("/monteur", field.shell_redirect, methods=["GET"]),
    Route("/monteur/", field.shell, methods=["GET"]),
    Route("/monteur/sw.js", field.service_worker, methods=["GET"]),
    Route("/monteur/manifest.webmanifest", field.manifest, methods=["GET"]),
    Route("/dossiers/{order_number}/berichten", field.chat_post, methods=["POST"]),
    Route("/dossiers/{order_number}/live", field.dossier_live, methods=["GET"]),
]

# The app shell holds no data and must load offline, before the app has logged in.
PUBLIC_PATHS = frozenset(
    {"/monteur", "/monteur/", "/monteur/sw.js", "/monteur/manifest.webmanifest"}
)
