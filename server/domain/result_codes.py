"""What a contact led to (resultaatcode): each client's list, and the default one.

Reports count contacts by these codes (seed 002: about half lead to an order, the rest are
questions, referrals and transfers). A contact keeps the label its code had when registered,
so a client may rename or drop codes without rewriting history.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from server.domain.errors import Unprocessable

# Given automatically to a contact in which the desk makes a dossier; every list keeps it.
ORDER = "opdracht"
TRANSFERRED = "doorverbonden"
REFERRED = "doorverwezen"
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MAX_CODES = 40


@dataclass(frozen=True)
class ResultCode:
    code: str
    label: str
    # The code says a dossier came of the contact (made, or an existing one it concerns).
    dossier: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "dossier": self.dossier}


DEFAULT: tuple[ResultCode, ...] = (
    ResultCode(ORDER, "Leidt tot opdracht", dossier=True),
    ResultCode("op_afstand_opgelost", "Op afstand opgelost"),
    ResultCode(REFERRED, "Doorverwezen naar partij (VvE, huismeester, lift, monitoring)"),
    ResultCode("algemene_vraag", "Algemene vraag beantwoord"),
    ResultCode(TRANSFERRED, "Doorverbonden met opdrachtgever"),
    ResultCode("geen_actie", "Geen actie / verkeerd verbonden"),
    ResultCode("herhaalmelding", "Herhaalmelding", dossier=True),
)


def from_settings(raw: object) -> tuple[ResultCode, ...]:
    """A client's list as stored in its settings; the default when it has none."""
    if not isinstance(raw, list) or not raw:
        return DEFAULT
    return tuple(
        ResultCode(str(item["code"]), str(item["label"]), bool(item.get("dossier", False)))
        for item in raw
        if isinstance(item, dict) and "code" in item and "label" in item
    )


def checked(items: Iterable[Mapping[str, Any]], field: str = "result_codes") -> list[ResultCode]:
    """A new list from the API or the settings page, or an error naming the item."""
    codes: list[ResultCode] = []
    for index, item in enumerate(items):
        where = f"{field}[{index}]"
        code = str(item.get("code", "")).strip()
        label = " ".join(str(item.get("label", "")).split())
        if not _CODE.match(code):
            raise Unprocessable(
                f"Resultaatcode '{code}' is ongeldig: kleine letters, cijfers en _, "
                "2 tot 40 tekens, beginnend met een letter.",
                f"{where}.code",
            )
        if not label or len(label) > 200:
            raise Unprocessable(
                f"Resultaatcode '{code}' heeft een omschrijving van 1 tot 200 tekens nodig.",
                f"{where}.label",
            )
        if any(c.code == code for c in codes):
            raise Unprocessable(f"Resultaatcode '{code}' staat er twee keer in.", f"{where}.code")
        codes.append(ResultCode(code, label, bool(item.get("dossier", False))))
    if len(codes) > MAX_CODES:
        raise Unprocessable(f"Ten hoogste {MAX_CODES} resultaatcodes.", field)
    if not any(c.code == ORDER for c in codes):
        raise Unprocessable(
            f"Resultaatcode '{ORDER}' is nodig: een dossier dat de meldkamer maakt, geeft zijn "
            "contact die code.",
            field,
        )
    return codes


def parse_lines(text: str, field: str = "result_codes") -> list[ResultCode]:
    """The settings page's text: one code a line, 'code | omschrijving | dossier'."""
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        flag = parts[2].lower() if len(parts) > 2 else ""
        if len(parts) > 3 or flag not in ("", "dossier"):
            raise Unprocessable(
                f"Regel {number}: schrijf 'code | omschrijving', met '| dossier' als er een "
                "dossier bij hoort.",
                field,
            )
        items.append(
            {"code": parts[0], "label": parts[1] if len(parts) > 1 else "", "dossier": bool(flag)}
        )
    try:
        return checked(items, field)
    except Unprocessable as exc:
        raise Unprocessable(exc.message, field) from None


def as_lines(codes: Iterable[ResultCode]) -> str:
    return "\n".join(f"{c.code} | {c.label}" + (" | dossier" if c.dossier else "") for c in codes)


def find(codes: Iterable[ResultCode], code: str) -> ResultCode | None:
    return next((c for c in codes if c.code == code), None)
