"""Archive search: the filters of /archief as one scoped query, shared by the list and exports.

Everything starts from scoping.dossiers(user), so a client user's filters can only narrow its
own dossiers; a 'klant' filter naming another client finds nothing (the page says 404).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from tortoise.expressions import Q, RawSQL
from tortoise.queryset import QuerySet

from server import db, scoping
from server.domain import codes, kpis, normalise
from server.domain.errors import Unprocessable
from server.domain.numbers import row_id
from server.domain.roles import DESK_ROLES
from server.insight.figures import fixed_first_time
from server.insight.sql import Sql
from server.models import Dossier, RepairLog, User

STATUSES = {"gesloten": "Afgesloten", "open": "Open", "alle": "Alle"}
FTF = {"": "Alle", "ja": "Ja", "nee": "Nee"}


@dataclass(frozen=True)
class ArchiveFilter:
    """The query string of /archief, validated; field names are the Dutch parameter names."""

    van: str = ""
    tot: str = ""
    status: str = "gesloten"
    klant: str = ""
    categorie: str = ""
    urgentie: str = ""
    kanaal: str = ""
    vak: str = ""
    monteur: str = ""
    aannemer: str = ""
    resultaat: str = ""
    postcode: str = ""
    ftf: str = ""
    q: str = ""

    def as_query(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}


_CHOICES: dict[str, Mapping[str, str]] = {
    "status": STATUSES,
    "categorie": codes.CATEGORY_LABELS,
    "urgentie": codes.URGENCY_LABELS,
    "kanaal": codes.CHANNEL_LABELS,
    "vak": codes.TRADE_LABELS,
    "resultaat": codes.RESULT_LABELS,
    "ftf": FTF,
}


def parse(params: Mapping[str, str]) -> ArchiveFilter:
    """Read and check the filters; a bad value is refused with its name, nothing is searched."""
    raw = {k: str(params.get(k, "")).strip() for k in ArchiveFilter.__dataclass_fields__}
    if "status" not in params:
        raw["status"] = "gesloten"
    for key, allowed in _CHOICES.items():
        if raw[key] and raw[key] not in allowed:
            raise Unprocessable(f"Onbekende waarde '{raw[key]}' voor {key}.", key)
    for key in ("monteur", "aannemer"):
        if raw[key] and row_id(raw[key]) is None:
            raise Unprocessable(f"'{raw[key]}' is geen geldige keuze voor {key}.", key)
    if raw["klant"] and scoping.key(raw["klant"], scoping.CLIENT_CODE_MAX) is None:
        raise Unprocessable(f"Onbekende opdrachtgever '{raw['klant'][:40]}'.", "klant")
    pc = raw["postcode"].replace(" ", "").upper()
    if pc and not re.fullmatch(r"\d{2,4}|\d{4}[A-Z]{1,2}", pc):
        raise Unprocessable(
            f"'{raw['postcode']}' is geen postcodegebied (zoals 35, 3572 of 3572 AB).", "postcode"
        )
    raw["postcode"] = pc
    for key in ("van", "tot"):
        if raw[key]:
            _day(raw[key], key)
    return ArchiveFilter(**raw)


def _day(raw: str, key: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Unprocessable(f"'{raw}' is geen geldige datum (jjjj-mm-dd).", key) from None


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), kpis.TZ)


def first_time_fix_sql(dialect: str, d: str = '"dossier"') -> str:
    """1 when the dossier is a first-time fix (docs/kpis.md), else 0; constants only."""
    q = Sql(dialect)
    window = q.json_int("c.settings", "first_time_fix_days", kpis.FIRST_TIME_FIX_DAYS)
    repeated = (
        f"EXISTS (SELECT 1 FROM dossier r JOIN client c ON c.id = {d}.client_id "
        f"WHERE r.parent_id = {d}.id AND {q.within_days(f'{d}.closed_at', 'r.created_at', window)})"
    )
    return (
        f"CASE WHEN {d}.result_code IS NOT NULL AND {fixed_first_time(q, d, repeated)} "
        f"THEN 1 ELSE 0 END"
    )


def query(user: User, f: ArchiveFilter) -> QuerySet[Dossier]:
    qs = scoping.dossiers(user)
    if f.status == "gesloten":
        qs = qs.filter(closed_at__isnull=False)
    elif f.status == "open":
        qs = qs.filter(closed_at__isnull=True)
    if f.van:
        qs = qs.filter(created_at__gte=_local_midnight(_day(f.van, "van")))
    if f.tot:
        qs = qs.filter(created_at__lt=_local_midnight(_day(f.tot, "tot") + timedelta(days=1)))
    if f.klant and user.role in DESK_ROLES:
        qs = qs.filter(client__code=f.klant.upper())
    elif f.klant:
        qs = qs.filter(client__code=f.klant.upper(), client_id=user.client_id)  # type: ignore[attr-defined]
    simple = {
        "category": f.categorie,
        "urgency": f.urgentie,
        "channel": f.kanaal,
        "trade": f.vak,
        "result_code": f.resultaat,
        "technician_id": f.monteur,
        "contractor_id": f.aannemer,
    }
    qs = qs.filter(**{k: v for k, v in simple.items() if v})
    if f.postcode:
        qs = qs.filter(postcode__startswith=f.postcode)
    if f.ftf:
        qs = qs.annotate(is_ftf=RawSQL(first_time_fix_sql(db.dialect()))).filter(
            is_ftf=1 if f.ftf == "ja" else 0, closed_at__isnull=False
        )
    if f.q:
        key = normalise.search_key(f.q)
        text = " ".join(f.q.split()).lower()
        qs = qs.filter(
            Q(order_number__contains=key)
            | Q(postcode__contains=key)
            | Q(contact_name_search__contains=text)
            | Q(city__icontains=f.q)
            | Q(description__icontains=f.q)
        )
    return qs


async def werkbons(dossier_ids: list[int]) -> dict[int, bool]:
    """Per dossier of a page closed from the field: whether its closing werkbon (the one with
    a finish time) was signed by the tenant. One query for the page."""
    rows = await RepairLog.filter(dossier_id__in=dossier_ids, finished_at__isnull=False).values(
        "dossier_id", "signature"
    )
    signed: dict[int, bool] = {}
    for row in rows:
        signed[row["dossier_id"]] = signed.get(row["dossier_id"], False) or bool(row["signature"])
    return signed
