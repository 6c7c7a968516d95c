"""The contacts and telephony API in the OpenAPI description: operation ids and schemas."""

from __future__ import annotations

import httpx

from tests.support import world

OPERATIONS = {
    ("get", "/api/v1/contacts"): "contact_list",
    ("post", "/api/v1/contacts"): "contact_register",
    ("get", "/api/v1/contacts/{contact_id}"): "contact_detail",
    ("patch", "/api/v1/contacts/{contact_id}"): "contact_update",
    ("post", "/api/v1/contacts/{contact_id}/transfer"): "contact_transfer",
    ("get", "/api/v1/callers"): "caller",
    ("get", "/api/v1/clients/{client}/contact-setup"): "setup_get",
    ("put", "/api/v1/clients/{client}/contact-setup"): "setup_put",
    ("post", "/api/v1/telephony/events"): "call_event",
    ("post", "/api/v1/telephony/twilio"): "twilio_status",
}


async def test_every_contact_route_has_an_operation_id_and_its_body_a_schema(
    http: httpx.AsyncClient, w: world.World
) -> None:
    spec = (await http.get("/api/v1/openapi.json")).json()
    found = {
        (method, path): op.get("operationId")
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if (method, path) in OPERATIONS
    }
    assert found == OPERATIONS
    ids = [op.get("operationId") for item in spec["paths"].values() for op in item.values()]
    assert len([i for i in ids if i]) == len({i for i in ids if i}), "operationIds repeat"
    event = spec["components"]["schemas"]["CallEventBody"]
    assert set(event["required"]) == {"call_id", "event", "at"}
    assert event["properties"]["event"]["enum"] == ["offered", "answered", "transferred", "ended"]
    assert "from" in event["properties"]
    telephony = spec["paths"]["/api/v1/telephony/events"]["post"]
    assert telephony["security"] == []
    assert "X-Meldkamer-Signature" in telephony["description"]
    for name in ("ContactRegister", "ContactUpdate", "TransferBody", "ContactSetupBody"):
        assert name in spec["components"]["schemas"], name
