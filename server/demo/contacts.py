"""The demo's contacts: each client's line, transfer numbers and greeting, and the last hours
of calls at the desk: some made a dossier, most did not (seed 002: about half do), one caller
hung up before anyone answered.

One tenant's number is fixed (06 12345678, an open dossier of Woonstad's), so the screen pop
can be tried with a known caller (README, docs/contacts.md).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from server.contacts.contacts import rederive
from server.demo.call_year import write_year
from server.demo.stock import CLIENTS
from server.domain import greeting, result_codes, transfer_hours
from server.domain.codes import CATEGORY_LABELS
from server.domain.lifecycle import FINAL_PHASES
from server.domain.normalise import normalise_phone
from server.models import (
    Client,
    Contact,
    ContactDossier,
    Dossier,
    InboundLine,
    TransferTarget,
    User,
)

# The number each client's tenants dial (fictional 085 numbers).
LINES = {"WST": "085 200 1400", "LVD": "085 200 2200", "VBM": "085 200 5500"}
KNOWN_CALLER = "+31612345678"
YEAR_SEED = 2029
OFFICE = "ma-vr 08:00-17:00"
ON_CALL = "ma-vr 00:00-08:00; ma-vr 17:00-24:00; za-zo,fd 00:00-24:00"


@dataclass(frozen=True)
class Call:
    minutes_ago: int
    client: str
    caller: str
    name: str
    subject: str
    result: str  # a result code; "" for a call nobody answered
    agent: str = "anna.agent"
    note: str = ""
    referred_to: str = ""
    wait: int = 12
    talk: int = 150
    transfer: bool = False
    concerns_open_dossier: bool = False


CALLS = (
    Call(
        400,
        "WST",
        "0612873410",
        "Jan Bakker",
        "Vraag over huurverhoging",
        "algemene_vraag",
        note="Verwezen naar het huurteam (werkdagen 9-12).",
    ),
    Call(
        340,
        "LVD",
        "0650918273",
        "Ria de Wit",
        "Lift staat stil in het trappenhuis",
        "doorverwezen",
        agent="bram.agent",
        referred_to="Liftleverancier van het complex",
        note="Liftleverancier gebeld, monteur komt binnen 2 uur.",
        wait=41,
    ),
    Call(
        290,
        "VBM",
        "0302281190",
        "Henk Vos",
        "Schilderwerk gemeenschappelijke gang",
        "doorverwezen",
        referred_to="VvE-beheerder",
        note="Geen storing: VvE-zaak.",
    ),
    Call(
        230,
        "WST",
        "0687120934",
        "Naima Ouali",
        "Wil de huur opzeggen",
        "doorverbonden",
        agent="bram.agent",
        transfer=True,
        talk=60,
    ),
    Call(170, "LVD", "0201234567", "", "Verkeerd verbonden", "geen_actie", talk=20),
    Call(
        120,
        "WST",
        KNOWN_CALLER,
        "",
        "Wanneer komt de monteur?",
        "herhaalmelding",
        note="Afspraak staat; huurder gerustgesteld.",
        concerns_open_dossier=True,
    ),
    Call(
        75,
        "WST",
        "0623456789",
        "Kees Jansen",
        "Cv-ketel op storing",
        "op_afstand_opgelost",
        agent="bram.agent",
        note="Ketel gereset via de knop, warm water is er weer.",
        wait=28,
    ),
    Call(40, "LVD", "0645678123", "", "", "", agent="", wait=55, talk=0),
)


async def write_contacts(clients: dict[str, Client], users: dict[str, User], now: datetime) -> int:
    """Lines, transfer numbers and greeting for every demo client, and the day's calls."""
    for spec in CLIENTS:
        client = clients[spec.code]
        await InboundLine.create(
            client=client,
            kind="telefoon",
            value=normalise_phone(LINES[spec.code]),
            label=f"Storingslijn {spec.name}",
        )
        for position, (name, number, hours) in enumerate(
            (
                (f"Klantenservice {spec.name}", spec.phone, OFFICE),
                (spec.oncall_name, spec.oncall_phone, ON_CALL),
            )
        ):
            windows = transfer_hours.parse(hours)
            await TransferTarget.create(
                client=client,
                name=name,
                number=normalise_phone(number),
                hours=[w.as_json() for w in windows],
                position=position,
            )
        client.settings = {
            **client.settings,
            "greeting": greeting.DEFAULT,
            "result_codes": [c.as_json() for c in result_codes.DEFAULT],
            # The monthly telephony report (docs/contacts.md "Figures").
            "report_email": f"rapportage@{spec.domain}",
        }
        await client.save(update_fields=["settings"])
    known = await _known_caller(clients["WST"])
    # The year before the day's calls below (and the last hours' reports they made).
    year = await write_year(
        clients, users, LINES, now, random.Random(YEAR_SEED), now - timedelta(hours=8)
    )
    made = await _calls_with_dossiers(clients, users, now)
    for index, call in enumerate(CALLS):
        await _call(clients, users, now, call, f"demo:{index}", known)
    return year + made + len(CALLS)


async def _known_caller(client: Client) -> Dossier:
    """A tenant with an appointment coming (or else any open report), whose number is the one
    to try the screen pop with: 06 12345678."""
    open_ones = Dossier.filter(client_id=client.id).exclude(
        phase__in=[p.value for p in FINAL_PHASES]
    )
    dossier = await open_ones.filter(phase="afspraak_ingepland").order_by("created_at").first()
    dossier = dossier or await open_ones.order_by("created_at").first()
    assert dossier is not None, "the demo has open dossiers"
    await Dossier.filter(id=dossier.id).update(contact_phone=KNOWN_CALLER)
    dossier.contact_phone = KNOWN_CALLER
    return dossier


async def _calls_with_dossiers(
    clients: dict[str, Client], users: dict[str, User], now: datetime
) -> int:
    """The calls in which the day's latest phoned-in reports were made."""
    codes = {c.id: code for code, c in clients.items()}
    recent = (
        await Dossier.filter(
            client_id__in=[c.id for c in clients.values()],
            channel="telefoon",
            created_at__gte=now - timedelta(hours=8),
        )
        .exclude(phase__in=[p.value for p in FINAL_PHASES])
        .order_by("-created_at")
        .limit(4)
    )
    for index, dossier in enumerate(recent):
        offered = dossier.created_at - timedelta(minutes=4)
        agent = users["anna.agent" if index % 2 == 0 else "bram.agent"]
        contact = Contact(
            client_id=dossier.client_id,  # type: ignore[attr-defined]
            channel="telefoon_in",
            source="api",
            call_id=f"demo:dossier:{dossier.id}",
            caller=dossier.contact_phone,
            caller_name=dossier.contact_name,
            line=normalise_phone(LINES[codes[dossier.client_id]]),  # type: ignore[attr-defined]
            address_id=dossier.address_id,  # type: ignore[attr-defined]
            agent=agent,
            agent_name=str(agent),
            agent_ref=agent.username,
            offered_at=offered,
            answered_at=offered + timedelta(seconds=9),
            ended_at=dossier.created_at + timedelta(seconds=90),
            registered_at=dossier.created_at,
            subject=CATEGORY_LABELS.get(dossier.category, dossier.category),
            result_code=result_codes.ORDER,
            result_label="Leidt tot opdracht",
            created_at=offered,
        )
        rederive(contact)
        await contact.save()
        await ContactDossier.create(
            contact=contact, dossier=dossier, created=True, at=dossier.created_at
        )
    return len(recent)


async def _call(
    clients: dict[str, Client],
    users: dict[str, User],
    now: datetime,
    call: Call,
    call_id: str,
    known: Dossier,
) -> None:
    client = clients[call.client]
    offered = now - timedelta(minutes=call.minutes_ago)
    answered = offered + timedelta(seconds=call.wait) if call.result else None
    ended = (answered or offered + timedelta(seconds=call.wait)) + timedelta(seconds=call.talk)
    agent = users.get(call.agent)
    label = {c.code: c.label for c in result_codes.DEFAULT}.get(call.result, "")
    contact = Contact(
        client=client,
        channel="telefoon_in",
        source="api",
        call_id=call_id,
        caller=normalise_phone(call.caller),
        caller_name=call.name,
        line=normalise_phone(LINES[call.client]),
        agent=agent,
        agent_name=str(agent) if agent else "",
        agent_ref=call.agent,
        offered_at=offered,
        answered_at=answered,
        ended_at=ended,
        registered_at=ended + timedelta(seconds=35) if call.result else None,
        subject=call.subject,
        result_code=call.result or None,
        result_label=label,
        note=call.note,
        referred_to=call.referred_to,
        created_at=offered,
    )
    if call.transfer:
        office = await TransferTarget.filter(client_id=client.id).order_by("position").first()
        assert office is not None
        contact.transferred_to, contact.transferred_name = office.number, office.name
        contact.transferred_at = ended - timedelta(seconds=5)
    rederive(contact)
    await contact.save()
    if call.concerns_open_dossier:
        contact.caller_name = known.contact_name
        contact.address_id = known.address_id  # type: ignore[attr-defined]
        await contact.save(update_fields=["caller_name", "address_id"])
        await ContactDossier.create(contact=contact, dossier=known, created=False, at=ended)
