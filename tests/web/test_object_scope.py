"""Object-level scope: every route that names a dossier, a photo, a client, a subscription or
an export refuses one outside the caller's scope, changes nothing and shows nothing of it."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import httpx
import openpyxl
import pytest
from starlette.types import ASGIApp

from server.jobs import queue
from server.models import Dossier, DossierEvent, DossierMessage, Photo, PushSubscription, User
from tests.fieldwork.support import jpeg
from tests.support import scoped
from tests.support.pages import csrf, login
from tests.support.streams import cookie_header, open_stream
from tests.support.world import dossier_body, token_for
from tests.web.test_access import ACCESS


async def _footprint(d: Dossier) -> tuple[int, int, int, int]:
    """What a write to the dossier would change: version, timeline, chat, photos."""
    fresh = await Dossier.get(id=d.id)
    return (
        fresh.version,
        await DossierEvent.filter(dossier_id=d.id).count(),
        await DossierMessage.filter(dossier_id=d.id).count(),
        await Photo.filter(dossier_id=d.id).count(),
    )


async def _session(http: httpx.AsyncClient, username: str) -> tuple[dict[str, str], str]:
    headers = await token_for(http, username)
    await login(http, username)
    return headers, csrf((await http.get("/login")).text)


@pytest.mark.parametrize("role", ["client", "technician", "contractor"])
async def test_another_clients_dossier_and_photo_on_every_route(
    http: httpx.AsyncClient, app: ASGIApp, role: str
) -> None:
    """The client's user gets Lichtveld's dossier; the technician gets Kees's job; the
    contractor another contractor's order."""
    s = await scoped.build()
    bodies = scoped.bodies(s)
    headers, token = await _session(http, scoped.USERS[role])
    before = await _footprint(s.other)
    wrong = []
    for method, template in ACCESS:
        if not any(k in template for k in ("{order_number}", "{key}/", "{contact_id}")):
            continue
        path = scoped.concrete(template, s, other=True)
        body = bodies.get((method, template))
        status, text = await scoped.call(http, app, headers, method, path, body, token)
        if status not in (403, 404) or scoped.OTHER_TENANT in text:
            wrong.append(f"{method} {path}: {status}")
    await queue.stop_inline(0)
    assert not wrong, "\n".join(wrong)
    assert await _footprint(s.other) == before


async def test_a_client_sees_its_own_contacts_only(http: httpx.AsyncClient, app: ASGIApp) -> None:
    """Lichtveld's contact is not found, not listed, not searchable, for Woonstad's user."""
    s = await scoped.build()
    headers, _ = await _session(http, "wim.woonstad")
    listed = (await http.get("/api/v1/contacts", headers=headers)).json()
    assert [c["id"] for c in listed["items"]] == [s.own_contact]
    for q in ("0687654321", "Lichtveld", "Vraag"):
        found = await http.get(
            "/api/v1/contacts", params={"q": q, "client": "LVD"}, headers=headers
        )
        assert found.json() == {"total": 0, "items": []}, q
    refused = await http.get(f"/api/v1/contacts/{s.other_contact}", headers=headers)
    assert refused.status_code == 404
    assert refused.json()["error"]["message"] == f"Contact '{s.other_contact}' niet gevonden."
    own = (await http.get(f"/api/v1/contacts/{s.own_contact}", headers=headers)).json()
    assert own["dossiers"] == [{"order_number": s.own.order_number, "created": False}]
    assert "transfer_now" not in own  # the desk's business
    for page in ["/contacten", "/contacten?klant=LVD", "/contacten?q=0687654321"]:
        text = (await http.get(page)).text
        assert scoped.OTHER_TENANT not in text and f"/contacten/{s.other_contact}" not in text
    assert (await http.get(f"/contacten/{s.other_contact}")).status_code == 404
    # Read-only: the client's page of its own contact has no form.
    mine = await http.get(f"/contacten/{s.own_contact}")
    assert mine.status_code == 200 and "<form" not in mine.text.split("<main", 1)[1]


async def test_client_user_cannot_widen_to_another_client(
    http: httpx.AsyncClient, app: ASGIApp
) -> None:
    s = await scoped.build()
    other = s.other.order_number
    headers, token = await _session(http, "wim.woonstad")
    lvd_address = s.w.addresses[2].id
    refused = {
        "GET /api/v1/addresses?client=LVD&postcode=3451BC": await http.get(
            "/api/v1/addresses?client=LVD&postcode=3451BC", headers=headers
        ),
        "POST /api/v1/dossiers client=LVD": await http.post(
            "/api/v1/dossiers", json=dossier_body(client="LVD"), headers=headers
        ),
        "POST /api/v1/dossiers parent=other": await http.post(
            "/api/v1/dossiers", json=dossier_body(parent=other), headers=headers
        ),
        "POST /api/v1/triage/evaluate client=LVD": await http.post(
            "/api/v1/triage/evaluate", json={"client": "LVD", "subject": "elektra"}, headers=headers
        ),
        "GET /dossiers/nieuw?herhaling=other": await http.get(f"/dossiers/nieuw?herhaling={other}"),
        "POST /dossiers/nieuw client=LVD": await http.post(
            "/dossiers/nieuw",
            data={
                **scoped.bodies(s)["POST", "/dossiers/nieuw"],
                "client": "LVD",
                "csrf_token": token,
            },
        ),
        "GET /dashboard?klant=LVD": await http.get("/dashboard?klant=LVD"),
        "GET /dashboard/grafiek/meldingen.xlsx?klant=LVD": await http.get(
            "/dashboard/grafiek/meldingen.xlsx?klant=LVD"
        ),
    }
    for client_path in [
        "/api/v1/protocols/LVD",
        "/api/v1/protocols/LVD/export",
        "/api/v1/protocols/LVD/versions",
        "/api/v1/protocols/LVD/versions/1",
    ]:
        refused[client_path] = await http.get(client_path, headers=headers)
    for page in ["/protocollen/LVD", "/protocollen/LVD/versies/1", "/sjablonen/LVD"]:
        refused[page] = await http.get(page)
    refused["/sjablonen/LVD/melding_ontvangen/sms.txt"] = await http.post(
        "/sjablonen/LVD/melding_ontvangen/sms.txt", data={"csrf_token": token, "text": "Hoi"}
    )
    async with open_stream(app, "/dashboard/live?klant=LVD", cookie_header(http)) as live:
        refused["/dashboard/live?klant=LVD"] = httpx.Response(live.status)
    assert {k: r.status_code for k, r in refused.items()} == dict.fromkeys(refused, 404)
    # An address of Lichtveld's stock under Woonstad's name is refused, not borrowed.
    borrowed = await http.post(
        "/api/v1/dossiers", json=dossier_body(address={"id": lvd_address}), headers=headers
    )
    assert borrowed.status_code == 422
    assert (
        borrowed.json()["error"]["message"]
        == f"Adres {lvd_address} hoort niet bij opdrachtgever WST."
    )
    assert await Dossier.filter(client_id=s.w.lichtveld.id).count() == 1

    # Filters that name the other client narrow the client's own view to nothing.
    listed = await http.get("/api/v1/dossiers?client=LVD&phase=", headers=headers)
    assert listed.json() == {"total": 0, "items": []}
    for page in ["/dossiers?klant=LVD&fase=", "/archief?klant=LVD", "/portaal?klant=LVD"]:
        text = (await http.get(page)).text
        assert other not in text and scoped.OTHER_TENANT not in text, page
    # The portal is Woonstad's whatever is asked.
    assert s.own.order_number in (await http.get("/portaal?klant=LVD")).text
    export = await http.post(
        "/archief/export", data={"csrf_token": token, "klant": "LVD", "kolom": ["ordernummer"]}
    )
    rows = list(
        openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
    )
    assert rows == [("Ordernummer",)]


async def test_dashboard_without_a_client_is_the_users_own(
    http: httpx.AsyncClient,
) -> None:
    """Leaving the client out does not widen a client user's figures to everyone's."""
    s = await scoped.build()
    # The dashboard counts local days: the UTC date is the day before from 23:00 or 22:00 UTC.
    day = s.own.created_at.astimezone(ZoneInfo("Europe/Amsterdam")).date().isoformat()
    query = f"?van={day}&tot={day}&per=dag"

    async def reports(username: str) -> int:
        await login(http, username)
        sheet = await http.get(f"/dashboard/grafiek/meldingen.xlsx{query}")
        book = openpyxl.load_workbook(io.BytesIO(sheet.content))
        return sum(int(r[1]) for r in list(book.active.iter_rows(values_only=True))[1:])

    assert await reports("anna.agent") == 2
    assert await reports("wim.woonstad") == 1
    assert await reports("lisa.lichtveld") == 1


async def test_technician_cannot_touch_another_technicians_things(
    http: httpx.AsyncClient,
) -> None:
    s = await scoped.build()
    piet = await token_for(http, "piet.monteur")
    gone = await http.delete(f"/api/v1/me/push-subscriptions/{s.other_subscription}", headers=piet)
    assert gone.status_code == 404
    assert await PushSubscription.filter(id=s.other_subscription).exists()
    listed = (await http.get("/api/v1/me/push-subscriptions", headers=piet)).json()
    assert [i["id"] for i in listed["items"]] == [s.own_subscription]
    upload = await http.put(
        "/api/v1/photos/photo-stray-0001",
        params={"job": s.other.order_number},
        content=jpeg(colour=(1, 2, 3)),
        headers=piet,
    )
    assert upload.status_code == 404
    assert await Photo.filter(client_id="photo-stray-0001").count() == 0
    # Kees's photo id cannot be claimed by piet for his own job either, and is not found
    # (a 409 would tell that it exists).
    claimed = await http.put(
        "/api/v1/photos/photo-other-0001",
        params={"job": s.own.order_number},
        content=jpeg(),
        headers=piet,
    )
    assert claimed.status_code == 404
    jobs = (await http.get("/api/v1/technician/jobs", headers=piet)).json()["items"]
    assert [j["order_number"] for j in jobs] == [s.own.order_number]


async def test_an_export_is_only_for_who_asked_for_it(http: httpx.AsyncClient) -> None:
    await scoped.build()
    agent = await User.get(username="anna.agent")
    scoped.export_file(agent)
    await login(http, "anna.agent")
    assert (await http.get(f"/archief/exports/{scoped.EXPORT_TOKEN}")).status_code == 200
    for username in ["sanne.supervisie", "admin", "wim.woonstad"]:
        await login(http, username)
        response = await http.get(f"/archief/exports/{scoped.EXPORT_TOKEN}")
        assert response.status_code == 404, username
    # Names that try to leave the user's own folder are not found either.
    await login(http, "anna.agent")
    for name in ["..%2F..%2Fsecret_key", "%2e%2e", f"..%2F{agent.id}%2F{scoped.EXPORT_TOKEN}"]:
        assert (await http.get(f"/archief/exports/{name}")).status_code == 404, name
