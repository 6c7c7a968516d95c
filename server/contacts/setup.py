"""A client's contact set-up, read and replaced as one: the greeting, its inbound lines, its
transfer numbers, its result codes, its mailbox and whether callers get the survey after a
contact. Supervisors keep it (page and API)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.transactions import in_transaction

from server.contacts import lines, mailbox, transfers
from server.contacts.lines import LineInput
from server.contacts.mailbox import MailboxInput
from server.contacts.transfers import TargetInput
from server.domain import call_survey, greeting, result_codes, telephony
from server.domain.errors import Forbidden
from server.domain.result_codes import ResultCode
from server.domain.roles import Role
from server.escalations import cases as escalation_cases
from server.models import Client, InboundLine, TransferTarget, User

EDITORS = frozenset({Role.ADMIN, Role.SUPERVISOR})


@dataclass(frozen=True)
class Setup:
    greeting: str
    lines: list[LineInput]
    transfers: list[TargetInput]
    result_codes: list[ResultCode]
    mailbox: MailboxInput | None = None
    # The API's PUT without a mailbox field leaves the mailbox as it is.
    keep_mailbox: bool = False
    # The survey after a call or e-mail (docs/contacts.md); None leaves it as it is.
    call_survey: bool | None = None
    # The monthly telephony report's address and the service-level norm, as typed; None
    # leaves the stored value (the API may omit them), "" clears it (no report; 80%).
    report_email: str | None = None
    service_level_norm: str | None = None
    # The projectleider escalation cases go to ("naam | telefoon | e-mail"); None: unchanged.
    escalation_contact: str | None = None


def require_editor(user: User) -> None:
    if user.role not in EDITORS:
        raise Forbidden("Alleen supervisie en beheer wijzigen de contactinstellingen.")


def codes_of(client: Client | None) -> tuple[ResultCode, ...]:
    return result_codes.from_settings(
        (client.settings or {}).get("result_codes") if client else None
    )


def greeting_of(client: Client) -> str:
    return str((client.settings or {}).get("greeting") or greeting.DEFAULT)


async def as_json(client: Client) -> dict[str, Any]:
    return {
        "client": client.code,
        "greeting": greeting_of(client),
        "inbound": [
            {"kind": line.kind, "value": line.value, "label": line.label}
            for line in await InboundLine.filter(client_id=client.id)
        ],
        "transfers": [
            transfers.as_json(t)
            for t in await TransferTarget.filter(client_id=client.id).order_by("position", "id")
        ],
        "result_codes": [c.as_json() for c in codes_of(client)],
        "mailbox": mailbox.as_json(client),
        "call_survey": call_survey.enabled(client.settings),
        "report_email": report_email_of(client),
        "service_level_norm": telephony.norm_of(client.settings),
    }


def report_email_of(client: Client) -> str:
    return str((client.settings or {}).get(telephony.REPORT_EMAIL_SETTING) or "")


def _report_settings(setup: Setup) -> dict[str, Any]:
    """The settings keys the set-up changes besides greeting and codes (checked first)."""
    changes: dict[str, Any] = {}
    if setup.report_email is not None:
        changes[telephony.REPORT_EMAIL_SETTING] = telephony.checked_report_email(setup.report_email)
    if setup.service_level_norm is not None:
        changes[telephony.NORM_SETTING] = telephony.checked_norm(setup.service_level_norm)
    if setup.escalation_contact is not None:
        changes[escalation_cases.CONTACT_SETTING] = escalation_cases.checked_contact(
            setup.escalation_contact
        )
    return changes


async def replace(user: User, client: Client, setup: Setup) -> None:
    """Everything at once, or nothing: the greeting and codes in the client's settings, the
    lines and transfer numbers in their tables."""
    require_editor(user)
    text = greeting.checked(setup.greeting)
    codes = result_codes.checked([c.as_json() for c in setup.result_codes])
    checked_lines = lines.checked(setup.lines)
    targets = transfers.checked(setup.transfers)
    before = mailbox.stored(client)
    box = before if setup.keep_mailbox else mailbox.checked(setup.mailbox, before)
    if box and all(line.value != box["address"] for line in checked_lines):
        # The mailbox is one of the client's inbound lines: one client per mailbox.
        checked_lines.append(LineInput("email", box["address"], "mailbox"))
    report = _report_settings(setup)
    async with in_transaction() as conn:
        await lines.replace(client, checked_lines, conn)
        await transfers.replace(client, targets, conn)
        kept = {k: v for k, v in (client.settings or {}).items() if k != mailbox.KEY}
        client.settings = {
            **kept,
            "greeting": text,
            "result_codes": [c.as_json() for c in codes],
            **({mailbox.KEY: box} if box else {}),
            **report,
        }
        if setup.call_survey is not None:
            client.settings[call_survey.SETTING] = setup.call_survey
        for name, value in report.items():
            if value in (None, ""):  # cleared: no report, the default norm
                client.settings.pop(name, None)
        await client.save(update_fields=["settings"], using_db=conn)
