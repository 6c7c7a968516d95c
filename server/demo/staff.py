"""The people of the demo: meldkamer staff, client users, contractors and their technicians."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from geo.point import Point
from server.auth.passwords import hash_password
from server.demo.places import HOME_BASES
from server.demo.stock import CLIENTS
from server.dispatch import technicians as technician_service
from server.domain.codes import TRADE_LABELS
from server.domain.dispatch import ZONE
from server.domain.normalise import normalise_phone
from server.domain.roles import ROLE_LABELS, Role
from server.models import Absence, Client, Contractor, RosterEntry, Technician, User

# Shared by every demo user; printed by `meldkamer demo` and in the README. It is public and
# fails the password rule on purpose (a demo, on a demo database): write_staff hashes it
# directly instead of going through services.users, where every real password is checked.
PASSWORD = "meldkamer-demo"
# Every demo e-mail address is under a reserved domain, so nothing can reach a real person.
MAIL_DOMAIN = "meldkamer-demo.example"


@dataclass(frozen=True)
class Person:
    username: str
    full_name: str
    role: Role
    client: str | None = None


STAFF = (
    Person("admin", "Marieke Admiraal", Role.ADMIN),
    Person("sanne.supervisie", "Sanne Dekker", Role.SUPERVISOR),
    Person("anna.agent", "Anna Visser", Role.AGENT),
    Person("bram.agent", "Bram Yılmaz", Role.AGENT),
    Person("klant.wst", "Wim Woudstra (Woonstad Utrecht)", Role.CLIENT, "WST"),
    Person("klant.lvd", "Lisa Lindeman (Lichtveld Wonen)", Role.CLIENT, "LVD"),
    Person("klant.vbm", "Vera Brink (VvE Beheer Midden)", Role.CLIENT, "VBM"),
)


# (first name, kind, first day, last day relative to the demo's today, note). Jeroen is the
# only plumber on weekend call and Sandra the only electrician on evening call, so their
# absences leave holes in the rota that the dispatch board warns about.
ABSENCES = (
    ("Jeroen", "verlof", -2, 5, "Wintersport"),
    ("Sandra", "ziek", 0, 0, "Ziek gemeld om 07:10"),
    ("Lotte", "cursus", 7, 8, "VCA-herhaling"),
)


@dataclass(frozen=True)
class ContractorSpec:
    code: str
    name: str
    phone: str
    trades: tuple[str, ...]


CONTRACTORS = (
    ContractorSpec("ITD", "Installatietechniek Domstad", "030 767 3100", ("CVI", "LOO", "ELE")),
    ContractorSpec(
        "VRB", "Bouw- en Onderhoudsbedrijf Van Rijn", "030 603 8700", ("TIM", "GLA", "DAK")
    ),
    ContractorSpec("RMN", "Rioolservice Midden-Nederland", "0348 47 5500", ("ONT", "LOO")),
)


@dataclass(frozen=True)
class TechnicianSpec:
    first: str
    last: str
    contractor: str
    trades: tuple[str, ...]
    home: int  # index into HOME_BASES
    phone: str

    @property
    def username(self) -> str:
        return f"monteur.{self.first.lower()}"


TECHNICIANS = (
    TechnicianSpec("Piet", "van Dam", "ITD", ("CVI", "LOO"), 0, "06 2381 4410"),
    TechnicianSpec("Mohamed", "Ouali", "ITD", ("CVI",), 1, "06 2381 4411"),
    TechnicianSpec("Erik", "Hoekstra", "ITD", ("CVI",), 2, "06 2381 4412"),
    TechnicianSpec("Sandra", "de Wit", "ITD", ("ELE",), 3, "06 2381 4413"),
    TechnicianSpec("Youssef", "El Idrissi", "ITD", ("ELE", "CVI"), 4, "06 2381 4414"),
    TechnicianSpec("Jeroen", "Kok", "ITD", ("LOO",), 5, "06 2381 4415"),
    TechnicianSpec("Kees", "Verhoef", "VRB", ("TIM",), 6, "06 4122 9030"),
    TechnicianSpec("Dennis", "Bos", "VRB", ("TIM", "GLA"), 7, "06 4122 9031"),
    TechnicianSpec("Lotte", "Janssen", "VRB", ("GLA",), 8, "06 4122 9032"),
    TechnicianSpec("Ruud", "Vermeulen", "VRB", ("DAK", "TIM"), 9, "06 4122 9033"),
    TechnicianSpec("Bart", "van Leeuwen", "VRB", ("DAK",), 10, "06 4122 9034"),
    TechnicianSpec("Marco", "Pinas", "RMN", ("ONT", "LOO"), 11, "06 5170 6620"),
    TechnicianSpec("Hakan", "Yıldız", "RMN", ("ONT",), 12, "06 5170 6621"),
)

# The contractor portal's planner (server/demo/contractor_portal.py).
CONTRACTOR_LOGIN = ("bram.aannemer", "VRB")
DEMO_USERNAMES = (
    tuple(p.username for p in STAFF)
    + tuple(t.username for t in TECHNICIANS)
    + (CONTRACTOR_LOGIN[0],)
)
DEMO_CONTRACTOR_CODES = tuple(c.code for c in CONTRACTORS)


def logins() -> list[tuple[str, str, str]]:
    """(username, password, what the account is) for every demo user."""
    rows = []
    names = {spec.code: spec.name for spec in CLIENTS}
    for person in STAFF:
        role = ROLE_LABELS[person.role]
        if person.client:
            role = f"{role} {names[person.client]}"
        rows.append((person.username, PASSWORD, role))
    for tech in TECHNICIANS:
        trades = ", ".join(TRADE_LABELS[t].lower() for t in tech.trades)
        rows.append((tech.username, PASSWORD, f"{ROLE_LABELS['technician']} ({trades})"))
    contractor = next(c.name for c in CONTRACTORS if c.code == CONTRACTOR_LOGIN[1])
    rows.append((CONTRACTOR_LOGIN[0], PASSWORD, f"{ROLE_LABELS['contractor']} {contractor}"))
    return rows


@dataclass
class Staff:
    users: dict[str, User]
    technicians: list[Technician]
    # Technician id -> the technician's own login.
    technician_users: dict[int, User]
    password_hash: str = ""


async def write_staff(clients: dict[str, Client]) -> Staff:
    # One hash for all: the demo password is public, and argon2 is slow on purpose.
    password_hash = hash_password(PASSWORD)
    users: dict[str, User] = {}
    for person in STAFF:
        users[person.username] = await User.create(
            username=person.username,
            full_name=person.full_name,
            email=f"{person.username}@{MAIL_DOMAIN}",
            role=person.role,
            client=clients[person.client] if person.client else None,
            password_hash=password_hash,
        )
    contractors = {}
    for spec in CONTRACTORS:
        contractors[spec.code] = await Contractor.create(
            code=spec.code,
            name=spec.name,
            phone=normalise_phone(spec.phone),
            email=f"planning@{spec.code.lower()}.{MAIL_DOMAIN}",
            trades=list(spec.trades),
        )
    technicians: list[Technician] = []
    technician_users = {}
    for tech in TECHNICIANS:
        name = f"{tech.first} {tech.last}"
        user = await User.create(
            username=tech.username,
            full_name=name,
            email=f"{tech.username}@{MAIL_DOMAIN}",
            role=Role.TECHNICIAN,
            password_hash=password_hash,
        )
        users[tech.username] = user
        _, lat, lon, postcode = HOME_BASES[tech.home]
        technician = await technician_service.create(
            name,
            technician_service.spec(tech.trades, postcode, tech.phone),
            user=user,
            contractor=contractors[tech.contractor],
            home=Point(lat, lon),
            # A rota: a third of the crew covers evenings, a quarter weekends and holidays.
            on_call_evenings=len(technicians) % 3 == 0,
            on_call_weekends=len(technicians) % 4 == 1,
            on_call_holidays=len(technicians) % 4 == 1,
        )
        await RosterEntry.bulk_create(
            RosterEntry(technician=technician, weekday=day, start_minute=450, end_minute=990)
            for day in range(5)  # Monday to Friday, 07:30-16:30
        )
        technicians.append(technician)
        technician_users[technician.id] = user
    return Staff(users, technicians, technician_users, password_hash)


async def write_absences(technicians: list[Technician], now: datetime) -> None:
    """A few absences around the demo's today (see ABSENCES)."""
    today = now.astimezone(ZONE).date()
    by_first = {t.name.split()[0]: t for t in technicians}
    for first, kind, begin, end, note in ABSENCES:
        await Absence.create(
            technician=by_first[first],
            kind=kind,
            starts_on=today + timedelta(days=begin),
            ends_on=today + timedelta(days=end),
            note=note,
            created_by="Sanne Dekker",
            created_at=now,
        )
