"""Making a technician: the record the desk sends jobs to, with his trades and home base.

Used by `meldkamer createuser --role technician` and by the demo loader.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient

from geo.pc4 import load_table
from geo.point import Point
from server.domain.codes import TRADE_LABELS
from server.domain.errors import Unprocessable
from server.domain.normalise import normalise_phone, normalise_postcode
from server.models import Contractor, Technician, User


@dataclass(frozen=True)
class TechnicianSpec:
    """What a technician needs before he can be sent a job, checked and normalised."""

    trades: tuple[str, ...]
    home_postcode: str
    phone: str = ""


def trade_labels(codes: Iterable[str]) -> str:
    """ "CVI", "LOO" -> "Cv-installateur, Loodgieter"."""
    return ", ".join(TRADE_LABELS.get(code, code) for code in codes)


def _choices() -> str:
    return ", ".join(f"{code} ({label})" for code, label in TRADE_LABELS.items())


def spec(trades: Iterable[str], home_postcode: str, phone: str = "") -> TechnicianSpec:
    """Trades (VERA codes, any case), a Dutch home postcode and an optional phone number, or a
    Dutch message naming what is missing or wrong."""
    codes = tuple(dict.fromkeys(t.strip().upper() for t in trades if t.strip()))
    if not codes:
        raise Unprocessable(
            "Een monteur heeft minstens één vakdiscipline nodig (--trade CODE, te herhalen): "
            + _choices()
            + ".",
            "trade",
        )
    for code in codes:
        if code not in TRADE_LABELS:
            raise Unprocessable(
                f"Onbekende vakdiscipline '{code}'. Mogelijk: {_choices()}.", "trade"
            )
    if not home_postcode.strip():
        raise Unprocessable(
            "Een monteur heeft een thuispostcode nodig (--home-postcode 1234 AB): daarvandaan"
            " rekent de planning de reistijd naar een klus.",
            "home_postcode",
        )
    return TechnicianSpec(
        codes, normalise_postcode(home_postcode, "home_postcode"), normalise_phone(phone)
    )


async def create(
    name: str,
    data: TechnicianSpec,
    *,
    user: User | None = None,
    contractor: Contractor | None = None,
    home: Point | None = None,
    using_db: BaseDBAsyncClient | None = None,
    **duty: bool,
) -> Technician:
    """The technician; his home base is `home`, else the centre of his 4-digit postcode (the
    offline table), until the supervisor sets it exactly. `duty`: the on_call_* flags."""
    home = home or load_table().get(data.home_postcode[:4])
    return await Technician.create(
        user=user,
        contractor=contractor,
        name=name,
        phone=data.phone,
        trades=list(data.trades),
        home_postcode=data.home_postcode,
        home_latitude=home.lat if home else None,
        home_longitude=home.lon if home else None,
        using_db=using_db,
        **duty,
    )
