"""CM's delivery reports: only with the secret in the path, only for references we sent."""

from __future__ import annotations

import httpx
import pytest

from server import settings
from server.models import DossierEvent, OutboundMessage
from tests.support import world
from tests.support.channels import new_dossier


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


def report(reference: str, code: str, error: str = "") -> dict[str, object]:
    return {
        "messages": {
            "msg": {
                "received": "2026-03-04T02:15:07",
                "to": "0031612345678",
                "reference": reference,
                "status": {
                    "code": code,
                    "errorCode": "5" if error else "",
                    "errorDescription": error,
                },
            }
        }
    }


async def _sent(w: world.World, reference: str) -> OutboundMessage:
    d = await new_dossier(w)
    return await OutboundMessage.create(
        key=f"test:{reference}",
        dossier=d,
        client=w.woonstad,
        channel="sms",
        kind="afspraak_ingepland",
        recipient=d.contact_phone,
        body="Test",
        deliver_after=d.created_at,
        created_at=d.created_at,
        status="verzonden",
        provider_id=reference,
    )


async def test_reports_mark_delivered_and_failed(http: httpx.AsyncClient, w: world.World) -> None:
    url = f"/api/v1/webhooks/sms/{settings.SMS_WEBHOOK_SECRET}"
    ok, bad = await _sent(w, "MK1001"), await _sent(w, "MK1002")
    assert (await http.post(url, json=report("MK1001", "2"))).json() == {"status": "afgeleverd"}
    response = await http.post(url, json=report("MK1002", "3", "Absent subscriber"))
    assert response.json() == {"status": "mislukt"}
    await ok.refresh_from_db()
    await bad.refresh_from_db()
    assert (ok.status, ok.delivered_at is not None) == ("afgeleverd", True)
    assert (bad.status, bad.last_error) == ("mislukt", "Absent subscriber (5)")
    event = await DossierEvent.get(dossier_id=bad.dossier_id, kind="bericht")  # type: ignore[attr-defined]
    assert (event.data["status"], event.data["reason"]) == ("mislukt", "Absent subscriber (5)")
    # CM repeats a report until it is acknowledged: the first one counts, nothing doubles.
    assert (await http.post(url, json=report("MK1001", "3"))).json() == {"status": "afgeleverd"}
    assert await DossierEvent.filter(kind="bericht").count() == 2
    # A GET with parameters, as CM can also send them.
    assert (await http.get(url, params={"reference": "MK9", "statuscode": "2"})).json() == {
        "status": "onbekend"
    }


async def test_wrong_secret_is_not_found_and_garbage_is_refused(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await _sent(w, "MK1001")
    wrong = await http.post("/api/v1/webhooks/sms/raden", json=report("MK1001", "2"))
    assert wrong.status_code == 404
    assert (await OutboundMessage.get(provider_id="MK1001")).status == "verzonden"
    url = f"/api/v1/webhooks/sms/{settings.SMS_WEBHOOK_SECRET}"
    garbage = await http.post(url, json={"iets": "anders"})
    assert garbage.status_code == 400
    assert garbage.json()["error"]["message"].startswith("Geen statusrapport")
