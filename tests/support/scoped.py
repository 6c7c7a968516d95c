"""Two clients' worth of objects for access tests: for each kind of object a route can name
(dossier, photo, push subscription, absence, export), one the caller may reach and one of
another client or another technician that it must not."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from starlette.types import ASGIApp

from server import settings
from server.contacts import contacts
from server.contacts.contacts import Registration
from server.dispatch import absences
from server.dossiers import dossiers
from server.fieldwork import photos, technician_push
from server.insight import export_jobs
from server.knowledge import articles
from server.messaging.push import b64url
from server.models import (
    ClientReport,
    Contractor,
    Dossier,
    EscalationCase,
    Integration,
    StockImport,
    Technician,
    User,
)
from server.protocols import protocols
from tests.fieldwork.support import jpeg
from tests.support import world
from tests.support.streams import cookie_header, open_stream

# Who plays each role in the access tests (users of tests/support/world.py).
USERS = {
    "admin": "admin",
    "supervisor": "sanne.supervisie",
    "agent": "anna.agent",
    "client": "wim.woonstad",
    "technician": "piet.monteur",
    "contractor": "bas.aannemer",
}
EXPORT_TOKEN = "export-token-0123456789"


@dataclass
class Scoped:
    w: world.World
    # Woonstad's, sent to piet of Installatiebedrijf Noord: the client user's, the technician's
    # and the contractor's (bas.aannemer)
    own: Dossier
    other: Dossier  # Lichtveld's, sent to kees for Dakwerken Zuid: none of theirs
    own_photo: str
    other_photo: str
    own_subscription: int  # piet's
    other_subscription: int  # kees's
    absence: int  # piet's, for the API
    page_absence: int  # piet's, for the planning page
    own_contact: int  # taken in Woonstad's name, about its dossier
    other_contact: int  # taken in Lichtveld's name, about its tenant
    own_article: int = 0  # Woonstad's own knowledge-base article
    other_article: int = 0  # Lichtveld's
    own_case: int = 0  # an escalation case about Woonstad's dossier
    other_case: int = 0  # about Lichtveld's
    integration: int = 0  # a contractor's ERP (server/chain), switched off
    stock_import: int = 0  # a finished housing stock import of Woonstad's
    own_report: int = 0  # Woonstad's weekly report (server/insight/client_report.py)
    other_report: int = 0  # Lichtveld's


def push_json(endpoint: str) -> dict[str, object]:
    """What a browser's `PushSubscription.toJSON()` gives."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"endpoint": endpoint, "keys": {"p256dh": b64url(point), "auth": b64url(os.urandom(16))}}


# The other client's tenant: a name that must never appear in an answer to the caller.
OTHER_TENANT = "Lotte van Lichtveld"
# A contact registered at the desk (a question answered), for the contact routes' bodies.
CONTACT = {"client": "WST", "subject": "Vraag over huur", "result_code": "algemene_vraag"}
# A knowledge-base article's text, to write or save again.
ARTICLE = {"title": "Kraan lekt", "body": "Draai de stopkraan dicht."}


async def _job(
    w: world.World, client: str, technician: Technician, name: str, contractor: Contractor
) -> Dossier:
    d = await dossiers.create(w.agent, world.intake(client, category="elektra", contact_name=name))
    await dossiers.transition(
        w.agent,
        d,
        "doorgezet_naar_monteur",
        {"technician_id": technician.id, "contractor_id": contractor.id},
    )
    return d


def export_file(user: User) -> None:
    """A finished export of `user`'s under EXPORT_TOKEN, as the export job leaves it."""
    now = datetime.now(UTC).isoformat()
    export_jobs._save(user.id, EXPORT_TOKEN, status="klaar", rows=1, requested_at=now)
    export_jobs.file_path(user.id, EXPORT_TOKEN).write_bytes(b"PK\x03\x04 not really a workbook")


def no_exports() -> None:
    """Export files of earlier tests: user ids repeat once the tables are emptied (PostgreSQL)."""
    shutil.rmtree(settings.VAR_DIR / "exports", ignore_errors=True)


async def build() -> Scoped:
    no_exports()
    w = await world.build()
    own = await _job(w, "WST", w.technician, "Fatima el Amrani", w.contractor)
    other = await _job(w, "LVD", w.other_technician, OTHER_TENANT, w.other_contractor)
    own_photo, _ = await photos.upload(w.tech_user, "photo-own-0001", own.order_number, jpeg())
    other_photo, _ = await photos.upload(
        w.other_tech_user, "photo-other-0001", other.order_number, jpeg(colour=(10, 200, 10))
    )
    mine, _ = await technician_push.subscribe(w.tech_user, push_json("https://push.example/piet"))
    his, _ = await technician_push.subscribe(
        w.other_tech_user, push_json("https://push.example/kees")
    )
    w.technician.position_consent = True
    await w.technician.save(update_fields=["position_consent"])
    days = [(absences.today() + timedelta(days=n)).isoformat() for n in (30, 31)]
    absence, page_absence = [
        await absences.add(w.supervisor, w.technician.id, absences.AbsenceInput(d, d, "verlof"))
        for d in days
    ]
    await protocols.current(w.woonstad)
    await protocols.current(w.lichtveld)
    own_contact, other_contact = [
        await contacts.register(
            w.agent,
            None,
            Registration(
                client=code,
                subject="Vraag over de afspraak",
                result_code="algemene_vraag",
                caller=phone,
                caller_name=name,
                dossiers=[d.order_number],
            ),
        )
        for code, phone, name, d in (
            ("WST", "0612345678", "Fatima el Amrani", own),
            ("LVD", "0687654321", OTHER_TENANT, other),
        )
    ]
    own_article, other_article = [
        await articles.create(
            w.supervisor,
            articles.ArticleInput(f"Sleutel bij de huismeester van {code}", "Tekst.", code),
        )
        for code in ("WST", "LVD")
    ]
    own_case, other_case = [
        await EscalationCase.create(
            client_id=d.client_id,  # type: ignore[attr-defined]
            dossier=d,
            role="projectleider",
            party="Leverancier monitoringsysteem",
            complaint="Klacht niet in behandeling genomen",
            opened_at=datetime.now(UTC),
            contact_due_at=datetime.now(UTC) + timedelta(hours=24),
        )
        for d in (own, other)
    ]
    integration = await Integration.create(
        name="ERP Noord",
        contractor_id=w.technician.contractor_id,  # type: ignore[attr-defined]
        endpoint_url="https://erp.example/vera/v4",
        messages=["onderhoudsorder"],
    )
    stock_import = await StockImport.create(
        client=w.woonstad, file_name="adressen.csv", status="klaar", started_at=datetime.now(UTC)
    )
    reports = [
        await ClientReport.create(
            client=client, kind="week", first_day=date(2026, 6, 1), last_day=date(2026, 6, 7),
            built_at=datetime.now(UTC), pdf=b"%PDF-1.7", xlsx=b"PK", status="verstuurd",
        )
        for client in (w.woonstad, w.lichtveld)
    ]  # fmt: skip
    return Scoped(
        w,
        own,
        other,
        own_photo.key,
        other_photo.key,
        mine.id,
        his.id,
        absence.id,
        page_absence.id,
        own_contact.id,
        other_contact.id,
        own_article.id,
        other_article.id,
        own_case.id,
        other_case.id,
        integration.id,
        stock_import.id,
        reports[0].id,
        reports[1].id,
    )


def concrete(path: str, s: Scoped, other: bool = False) -> str:
    """`path` with its parameters filled in: the caller's own objects, or with `other`
    another client's dossier and photo (another technician's job)."""
    values = {
        "order_number": (s.other if other else s.own).order_number,
        "client": "WST",
        "version": "1",
        "technician_id": str(s.w.technician.id),
        "contractor_id": str(s.w.technician.contractor_id),  # type: ignore[attr-defined]
        "absence_id": str(s.absence),
        "client_id": "photo-new-0001",
        "key": s.other_photo if other else s.own_photo,
        "variant": "thumb",
        "subscription_id": str(s.own_subscription),
        "token": EXPORT_TOKEN,
        "kind": "melding_ontvangen",
        "file": "sms.txt",
        "contact_id": str(s.other_contact if other else s.own_contact),
        "article_id": str(s.other_article if other else s.own_article),
        "article_version": "1",
        "case_id": str(s.other_case if other else s.own_case),
        "integration_id": str(s.integration),
        # The admin screens: another client's user (deactivating him harms no later call).
        "user_id": str(s.w.other_client_user.id),
        "import_id": str(s.stock_import),
        "report_id": str(s.other_report if other else s.own_report),
    }
    path = path.replace("{key}.xlsx", "meldingen.xlsx")
    path = path.replace("afwezigheid/{absence_id}", f"afwezigheid/{s.page_absence}")
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    # Query parameters that name what the route is about (the client, the job, the device).
    query = {
        "/api/v1/addresses": "?client=WST&postcode=3572AB",
        "/api/v1/sync/pull": "?device_id=device-access",
        "/api/v1/photos/photo-new-0001": f"?job={s.own.order_number}",
        "/portaal": "?klant=WST",
        "/portaal/live": "?klant=WST",
        "/portaal/rapportages": "?klant=WST",
        "/api/v1/callers": "?number=0612345678",
    }
    return path + query.get(path, "")


def bodies(s: Scoped) -> dict[tuple[str, str], dict[str, Any]]:
    """A valid body per write route, so a refusal is about who asks, not what was sent."""
    piet = s.w.technician.id
    day = (absences.today() + timedelta(days=40)).isoformat()
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    local = start.astimezone(ZoneInfo("Europe/Amsterdam")).replace(tzinfo=None)
    d = "/dossiers/{order_number}"
    api = "/api/v1" + d
    return {
        ("POST", "/api/v1/dossiers"): world.dossier_body(),
        ("PATCH", api): {"description": "Lekkage boven de keuken."},
        ("POST", api + "/transitions"): {"to": "analyseren"},
        ("POST", api + "/notes"): {"text": "Gebeld."},
        ("POST", "/api/v1/triage/evaluate"): {"client": "WST", "subject": "elektra"},
        ("POST", api + "/triage"): {"subject": "elektra"},
        ("POST", "/api/v1/protocols/{client}"): {"text": "x: 1", "reason": "Test"},
        ("POST", "/api/v1/protocols/{client}/check"): {"text": "x: 1"},
        ("POST", api + "/assign"): {"technician_id": piet},
        ("POST", api + "/appointment"): {
            "technician_id": piet,
            "start": start.isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(),
        },
        ("POST", api + "/appointment/cancel"): {"reason": "Huurder belde af."},
        ("POST", "/api/v1/technician/position"): {"latitude": 52.09, "longitude": 5.12},
        ("PUT", "/api/v1/technicians/{technician_id}/duty"): {"on_call_evenings": True},
        ("POST", "/api/v1/technicians/{technician_id}/absences"): {
            "kind": "ziek",
            "starts_on": day,
            "ends_on": day,
        },
        ("POST", "/api/v1/sync/push"): {"device_id": "device-access", "ops": []},
        ("PUT", "/api/v1/clients/{client}/materials"): {"materials": ["Sifon 32 mm"]},
        ("PUT", "/api/v1/contractors/{contractor_id}/materials"): {"materials": ["Kit"]},
        ("POST", api + "/messages"): {"text": "Hallo"},
        ("POST", "/api/v1/me/push-subscriptions"): push_json("https://push.example/new"),
        ("POST", "/dossiers/nieuw"): {
            "client": "WST",
            "postcode": "3572AB",
            "house_number": "10",
            "contact_name": "Fatima el Amrani",
            "contact_phone": "0612345678",
            "channel": "telefoon",
            "category": "elektra",
        },
        ("POST", d + "/fase"): {"to": "analyseren"},
        ("POST", d + "/notitie"): {"text": "Gebeld."},
        ("POST", d + "/contact"): {"how": "telefoon", "summary": "Gebeld."},
        ("POST", d + "/toewijzen"): {"technician_id": str(piet)},
        ("POST", d + "/afspraak"): {
            "technician_id": str(piet),
            "appointment_start": local.isoformat(),
            "appointment_end": (local + timedelta(hours=1)).isoformat(),
        },
        ("POST", d + "/afspraak/annuleren"): {"reason": "Huurder belde af."},
        ("POST", "/planning/afwezigheid"): {
            "technician_id": str(piet),
            "starts_on": day,
            "ends_on": day,
            "kind": "ziek",
        },
        ("POST", "/planning/toewijzen/{client}"): {"enabled": "ja"},
        ("POST", d + "/triage"): {"triage_subject": "elektra", "triage_answers": "{}"},
        ("POST", "/protocollen/{client}/bewerken"): {"text": "x: 1", "reason": "Test"},
        ("POST", d + "/gegevens"): {"description": "Lekkage boven de keuken."},
        ("POST", "/sjablonen/{client}/{kind}/{file}"): {"text": "Melding {{ order_number }}"},
        ("POST", d + "/berichten"): {"text": "Hallo"},
        ("POST", "/api/v1/contacts"): CONTACT,
        ("PATCH", "/api/v1/contacts/{contact_id}"): CONTACT,
        ("POST", "/api/v1/contacts/{contact_id}/transfer"): {"number": "030 263 6363"},
        ("PUT", "/api/v1/clients/{client}/contact-setup"): {
            "greeting": "{dagdeel}, {opdrachtgever}.",
            "inbound": [],
            "transfers": [],
            "result_codes": [{"code": "opdracht", "label": "Leidt tot opdracht"}],
        },
        ("POST", "/contacten/registreren"): CONTACT,
        ("POST", "/contacten/{contact_id}"): CONTACT,
        ("POST", "/contacten/{contact_id}/doorverbinden"): {"number": "030 263 6363"},
        ("POST", "/api/v1/knowledge"): ARTICLE,
        ("PUT", "/api/v1/knowledge/{article_id}"): ARTICLE,
        ("POST", "/kennisbank/nieuw"): ARTICLE,
        ("POST", "/kennisbank/{article_id}/bewerken"): ARTICLE,
        ("POST", "/aannemer/opdrachten/{order_number}/weigeren"): {"reason": "Geen capaciteit."},
        ("POST", "/aannemer/opdrachten/{order_number}/inplannen"): {
            "datum": local.date().isoformat(),
            "van": "09:00",
            "tot": "10:00",
        },
        ("POST", "/aannemer/opdrachten/{order_number}/monteur"): {"technician_id": str(piet)},
        ("POST", "/aannemer/opdrachten/{order_number}/gereed"): {
            "result_code": "verholpen",
            "work_done": "Groep vervangen.",
            "minutes": "30",
        },
        ("POST", "/contactinstellingen/{client}"): {
            "greeting": "{dagdeel}, {opdrachtgever}.",
            "result_codes": "opdracht | Leidt tot opdracht | dossier",
        },
        ("POST", "/escalaties/{case_id}/stap"): {"kind": "contact", "text": "Gebeld"},
    }


async def call(
    http: httpx.AsyncClient,
    app: ASGIApp,
    headers: dict[str, str],
    method: str,
    path: str,
    body: dict[str, Any] | None,
    csrf_token: str,
) -> tuple[int, str]:
    """Status and text of `method path`, with the caller's token (API) or session (pages);
    of a live stream, its status and what it sent at once (an error page, or nothing)."""
    if path.split("?")[0].endswith("/live"):
        async with open_stream(app, path, cookie_header(http)) as stream:
            return stream.status, await stream.text_within(0.05)
    if path.startswith("/api/v1/photos/") and method == "PUT":
        response = await http.put(path, content=jpeg(), headers=headers)
    elif path.startswith("/api/"):
        response = await http.request(method, path, headers=headers, json=body or {})
    elif method == "GET":
        response = await http.get(path)
    else:
        response = await http.post(path, data={**(body or {}), "csrf_token": csrf_token})
    return response.status_code, response.text
