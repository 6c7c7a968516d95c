"""A client's calendar and identity on the admin screen: office hours, closure days, heating
season, acuut norm, emergency number, glass fund, logo and colour.

The form speaks as people write (08:00-17:00; 15-05-2026 Brugdag; 01-10); the client's
settings keep what the triage engine reads (server/triage/client_calendar.py), and every value
is checked by that same engine before anything is stored.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from PIL import Image
from tortoise.exceptions import IntegrityError

from media.errors import PhotoError
from media.limits import MB, MEGAPIXEL, Limits
from media.normalise import normalise
from media.validate import open_image
from server import settings
from server.admin import changes
from server.domain import brand, kpis
from server.domain.errors import Conflict, Unprocessable
from server.domain.numbers import whole_number
from server.models import Client, User
from server.triage.client_calendar import DEFAULT_HEATING_SEASON, WEEKDAY_KEYS, ClientCalendar
from server.triage.errors import TriageError

DAY_LABELS = dict(
    zip(
        WEEKDAY_KEYS,
        ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
        strict=True,
    )
)
LOGO_LIMITS = Limits(max_bytes=2 * MB, max_pixels=8 * MEGAPIXEL, max_memory=200 * MB)
LOGO_BOX = (480, 160)
DEFAULT_COLOUR = brand.DEFAULT_COLOUR
_COLOUR = brand.COLOUR
_DUTCH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})-(\d{1,2})$")
_INTERVAL = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
MAX_CLOSURE_DAYS = 200


@dataclass
class ClientForm:
    hours: dict[str, str]
    closure_days: str
    heating_start: str
    heating_end: str
    acuut_norm: str
    oncall_name: str
    oncall_phone: str
    oncall_email: str
    glass_fund: bool
    colour: str


_CODE = re.compile(r"^[A-Z0-9]{2,10}$")


async def create(by: User, code: str, name: str) -> Client:
    """A new client with the usual office hours and heating season; the rest is set on its
    page. The code is what staff type and what the API and order numbers use: fixed for good."""
    code = code.strip().upper()
    name = " ".join(name.split())
    if not _CODE.match(code):
        raise Unprocessable(
            "Een code is 2 tot 10 hoofdletters of cijfers, zoals WST of PORT2.", "code"
        )
    if not 2 <= len(name) <= 200:
        raise Unprocessable("Vul de naam van de opdrachtgever in (2 tot 200 tekens).", "name")
    if await Client.exists(code=code):
        raise Conflict(f"Er is al een opdrachtgever met code {code}.", "code")
    try:
        client = await Client.create(
            code=code, name=name, settings={"heating_season": dict(DEFAULT_HEATING_SEASON)}
        )
    except IntegrityError:  # the same code typed twice at once
        raise Conflict(f"Er is al een opdrachtgever met code {code}.", "code") from None
    await changes.record(by, "client", client.id, {"code": ("", code), "naam": ("", name)})
    return client


def form_of(client: Client) -> ClientForm:
    season = client.settings.get("heating_season") or DEFAULT_HEATING_SEASON
    return ClientForm(
        hours={k: hours_text(client.office_hours.get(k) or []) for k in WEEKDAY_KEYS},
        closure_days=closure_text(client.settings.get("closure_days") or []),
        heating_start=_dd_mm(season["start"]),
        heating_end=_dd_mm(season["end"]),
        acuut_norm=str(client.settings.get("acuut_norm_minutes", kpis.ACUUT_NORM_MINUTES)),
        oncall_name=client.oncall_name,
        oncall_phone=client.oncall_phone,
        oncall_email=client.oncall_email,
        glass_fund=bool(client.settings.get("glass_fund", True)),
        colour=str(client.settings.get("brand_colour") or DEFAULT_COLOUR),
    )


def hours_text(intervals: list[list[str]]) -> str:
    return ", ".join(f"{a}-{b}" for a, b in intervals)


def closure_text(days: list[dict[str, str]]) -> str:
    lines = []
    for item in sorted(days, key=lambda d: d["date"]):
        day = date.fromisoformat(item["date"])
        lines.append(f"{day:%d-%m-%Y} {item.get('reason', '')}".strip())
    return "\n".join(lines)


def _dd_mm(mmdd: str) -> str:
    month, day = mmdd.split("-")
    return f"{day}-{month}"


def parse_hours(key: str, text: str) -> list[list[str]]:
    """'08:00-12:00, 13:00-17:00' -> [['08:00', '12:00'], ['13:00', '17:00']]; '' is closed."""
    intervals = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        match = _INTERVAL.match(part)
        if match is None:
            raise Unprocessable(
                f"{DAY_LABELS[key].capitalize()}: '{part[:30]}' is geen tijdvak als 08:00-17:00.",
                f"hours_{key}",
            )
        h1, m1, h2, m2 = match.groups()
        intervals.append([f"{int(h1):02d}:{m1}", f"{int(h2):02d}:{m2}"])
    return intervals


def parse_closure_days(text: str) -> list[dict[str, str]]:
    """One per line: '15-05-2026 Brugdag' (or 2026-05-15); the reason is optional."""
    days: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        first, _, reason = line.partition(" ")
        day = _day(first)
        if day is None:
            raise Unprocessable(
                f"Sluitingsdag op regel {number}: '{first[:20]}' is geen datum als 15-05-2026.",
                "closure_days",
            )
        reason = " ".join(reason.replace("|", " ").split())[:100] or "kantoor gesloten"
        days[day.isoformat()] = reason
    if len(days) > MAX_CLOSURE_DAYS:
        raise Unprocessable(f"Hoogstens {MAX_CLOSURE_DAYS} sluitingsdagen.", "closure_days")
    return [{"date": d, "reason": r} for d, r in sorted(days.items())]


def _day(text: str) -> date | None:
    match = _DUTCH_DAY.match(text)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _mm_dd(text: str, field_name: str) -> str:
    match = _DAY_MONTH.match(text.strip())
    if match is None:
        raise Unprocessable(f"'{text[:20]}' is geen dag-maand als 01-10.", field_name)
    return f"{int(match[2]):02d}-{int(match[1]):02d}"


def _settings_view(client: Client) -> dict[str, Any]:
    """What the change record compares: the values as the form shows them."""
    form = form_of(client)
    return {
        **{f"openingstijden {DAY_LABELS[k]}": v for k, v in form.hours.items()},
        "sluitingsdagen": form.closure_days.replace("\n", "; "),
        "stookseizoen": f"{form.heating_start} t/m {form.heating_end}",
        "acuutnorm (minuten)": form.acuut_norm,
        "piket naam": form.oncall_name,
        "piket telefoon": form.oncall_phone,
        "piket e-mail": form.oncall_email,
        "glasfonds": form.glass_fund,
        "huiskleur": form.colour,
    }


async def save(by: User, client: Client, form: ClientForm) -> None:
    """Check everything, then store it in one save; the change record lists what changed."""
    hours = {k: parse_hours(k, form.hours.get(k, "")) for k in WEEKDAY_KEYS}
    office_hours = {k: v for k, v in hours.items() if v}
    closures = parse_closure_days(form.closure_days)
    season = {
        "start": _mm_dd(form.heating_start, "heating_start"),
        "end": _mm_dd(form.heating_end, "heating_end"),
    }
    try:
        ClientCalendar.from_settings(office_hours, season, closures)
    except TriageError as error:
        raise Unprocessable(_engine_message(error), _engine_field(error)) from None
    norm = whole_number(form.acuut_norm.strip(), 15, 24 * 60)
    if norm is None:
        raise Unprocessable("De acuutnorm is een aantal minuten van 15 tot 1440.", "acuut_norm")
    colour = form.colour.strip()
    if not _COLOUR.match(colour):
        raise Unprocessable("Een kleur is #RRGGBB, bijvoorbeeld #1d4f91.", "colour")
    if len(form.oncall_name) > 200 or len(form.oncall_phone) > 20 or len(form.oncall_email) > 254:
        raise Unprocessable("Naam, nummer of e-mail van de piketdienst is te lang.", "oncall_phone")
    before = _settings_view(client)
    client.office_hours = office_hours
    client.oncall_name = form.oncall_name.strip()
    client.oncall_phone = form.oncall_phone.strip()
    client.oncall_email = form.oncall_email.strip()
    client.settings = {
        **client.settings,
        "heating_season": season,
        "closure_days": closures,
        "acuut_norm_minutes": norm,
        "glass_fund": form.glass_fund,
        "brand_colour": colour.lower(),
    }
    await client.save()
    await changes.record(by, "client", client.id, changes.diff(before, _settings_view(client)))


def _engine_message(error: TriageError) -> str:
    message = error.message
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def _engine_field(error: TriageError) -> str:
    name = error.field or ""
    for key in WEEKDAY_KEYS:
        if key in name:
            return f"hours_{key}"
    return "heating_start" if "heating" in name else "closure_days"


def logo_png(data: bytes) -> bytes:
    """An uploaded logo, checked with the photo limits, fitted in LOGO_BOX, as PNG."""
    try:
        source = open_image(data, LOGO_LIMITS)
    except PhotoError as exc:
        raise Unprocessable(exc.message, "logo") from None
    image: Image.Image = normalise(source.image)
    image.thumbnail(LOGO_BOX)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


async def set_logo(by: User, client: Client, data: bytes | None) -> None:
    """A new logo, or none (`data` None)."""
    encoded = base64.b64encode(logo_png(data)).decode() if data is not None else None
    had = bool(client.settings.get("logo_png"))
    settings = {k: v for k, v in client.settings.items() if k != "logo_png"}
    if encoded:
        settings["logo_png"] = encoded
    client.settings = settings
    await client.save(update_fields=["settings"])
    await changes.record(
        by,
        "client",
        client.id,
        {"logo": ("ja" if had else "", "nieuw" if encoded else "verwijderd")},
    )


def logo_of(client: Client) -> bytes | None:
    raw = client.settings.get("logo_png")
    return base64.b64decode(raw) if isinstance(raw, str) and raw else None


def brand_of(client: Client) -> dict[str, str]:
    """For the tenant's e-mail layout and tracking page: colour, and the logo's address."""
    return brand.brand(client.settings, client.code, settings.BASE_URL)
