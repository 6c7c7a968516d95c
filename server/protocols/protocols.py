"""Each client's triage protocol: the current version, publishing a new one, the history.

Versions are immutable rows; the current one is the newest published. A client that has
none yet gets a copy of the default protocol as version 1 the first time it is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from server import db, scoping
from server.communication import notifications
from server.domain.errors import Conflict, Forbidden, NotFound, Unprocessable
from server.domain.numbers import row_id
from server.domain.roles import Role
from server.models import Client, ProtocolVersion, User
from server.protocols import protocol_files
from server.protocols.protocol_files import Finding
from server.triage import Protocol, default_protocol_text

EDITOR_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})
PUBLISHED = "published"
DEFAULT_REASON = "Standaardprotocol"


class ProtocolRejected(Unprocessable):
    """A protocol with problems: every one is listed, each with its place in the text."""

    def __init__(self, findings: list[Finding]) -> None:
        count = "1 probleem" if len(findings) == 1 else f"{len(findings)} problemen"
        listed = "; ".join(str(finding) for finding in findings)
        super().__init__(f"Het protocol kan niet gepubliceerd worden ({count}): {listed}", "text")
        self.findings = findings


@dataclass(frozen=True)
class Check:
    """What the editor shows while typing: the problems and the change against the current."""

    findings: list[Finding]
    diff: str
    current: ProtocolVersion


def now() -> datetime:
    return datetime.now(UTC)


def may_edit(user: User) -> bool:
    return user.role in EDITOR_ROLES


async def current(client: Client, newest: tuple[int, str] | None = None) -> ProtocolVersion:
    """The version in force; `newest`: its id and checksum, just read with the client."""
    found = await _newest(client, newest)
    if found is not None:
        return found
    text = protocol_files.stored_text(default_protocol_text(), client.code, 1)
    try:
        async with in_transaction():
            return await _store(client, text, 1, DEFAULT_REASON, None, now())
    except IntegrityError:
        # Another request created version 1 at the same moment: use that one.
        found = await _newest(client)
        if found is None:
            raise
        return found


# Published versions by (id, checksum): a version never changes once stored, so every intake
# reads only which one is newest (a small indexed row, which also tells every process at once
# that a new one was published) and not its text of some 50 kB each time. The checksum in the
# key keeps an id reused after a test's emptied tables from meaning an older text.
_versions: dict[tuple[int, str], ProtocolVersion] = {}
_VERSIONS_KEPT = 256


async def _newest(client: Client, key: tuple[int, str] | None = None) -> ProtocolVersion | None:
    if key is None:
        # Read by every intake with triage: the SQL built once (server.db.prepared).
        head = next(iter(await db.prepared("newest-protocol-head", _newest_of, client.id)), None)
        if head is None:
            return None
        key = (head.id, head.checksum)
    found = _versions.get(key)
    if found is None:
        found = await ProtocolVersion.get(id=key[0])
        if len(_versions) >= _VERSIONS_KEPT:
            _versions.pop(next(iter(_versions)))
        _versions[key] = found
    return found


def _newest_of(client_id: int) -> QuerySet[ProtocolVersion]:
    return (
        ProtocolVersion.filter(client_id=client_id, status=PUBLISHED)
        .order_by("-version")
        .limit(1)
        .only("id", "checksum")
    )


async def _store(
    client: Client, text: str, number: int, reason: str, user: User | None, at: datetime
) -> ProtocolVersion:
    return await ProtocolVersion.create(
        client=client,
        version=number,
        text=text,
        checksum=protocol_files.checksum(text),
        status=PUBLISHED,
        reason=reason,
        created_by=user,
        created_by_name=str(user) if user else "systeem",
        created_at=at,
    )


def protocol(client: Client, version: ProtocolVersion) -> Protocol:
    return protocol_files.protocol_of(version.text, client.code, version.version)


async def current_for(user: User, code: str) -> tuple[Client, ProtocolVersion]:
    """The caller's view: a client's user sees only its own client's protocol (404 otherwise)."""
    client = await scoping.client(user, code)
    return client, await current(client)


async def overview(user: User) -> list[tuple[Client, ProtocolVersion | None]]:
    """The clients the user may see with their current version (None: the default, unused)."""
    if user.role == Role.TECHNICIAN:
        raise Forbidden("Protocollen zijn voor de meldkamer en de opdrachtgevers.")
    clients = await scoping.clients(user).filter(active=True).order_by("name")
    newest: dict[int, ProtocolVersion] = {}
    rows = await ProtocolVersion.filter(
        client_id__in=[c.id for c in clients], status=PUBLISHED
    ).order_by("version")
    for row in rows:
        newest[row.client_id] = row  # type: ignore[attr-defined]
    return [(client, newest.get(client.id)) for client in clients]


async def history(user: User, code: str) -> tuple[Client, list[ProtocolVersion]]:
    client, _ = await current_for(user, code)
    versions = await ProtocolVersion.filter(client_id=client.id).order_by("-version")
    return client, versions


async def version_for(user: User, code: str, number: str | int) -> tuple[Client, ProtocolVersion]:
    client, _ = await current_for(user, code)
    wanted = row_id(number)
    found = None
    if wanted is not None:
        found = await ProtocolVersion.get_or_none(client_id=client.id, version=wanted)
    if found is None:
        raise NotFound(f"Versie '{number}' van het protocol van {client.name} bestaat niet.")
    return client, found


async def previous(version: ProtocolVersion) -> ProtocolVersion | None:
    return (
        await ProtocolVersion.filter(
            client_id=version.client_id,  # type: ignore[attr-defined]
            version__lt=version.version,
        )
        .order_by("-version")
        .first()
    )


async def change_of(version: ProtocolVersion) -> str:
    """The diff that made this version, against the one before it (empty for the first)."""
    before = await previous(version)
    if before is None:
        return ""
    return protocol_files.diff(
        before.text, version.text, f"versie {before.version}", f"versie {version.version}"
    )


async def check(user: User, code: str, text: str) -> Check:
    """Validate a text being edited and show its change against the current version."""
    client = await _editable(user, code)
    latest = await current(client)
    findings = protocol_files.validate(text, protocol_files.order_types_of(client.settings))
    diff = protocol_files.diff(latest.text, text, f"versie {latest.version}", "uw wijziging")
    return Check(findings, diff, latest)


async def _editable(user: User, code: str) -> Client:
    if not may_edit(user):
        raise Forbidden("Alleen supervisie en beheerders mogen protocollen wijzigen.")
    return await scoping.client(user, code)


async def publish(
    user: User,
    code: str,
    text: str,
    reason: str,
    based_on: int | None = None,
    at: datetime | None = None,
) -> ProtocolVersion:
    """Store `text` as the client's next version and queue the confirmation to the client.

    `based_on` is the version the editor started from: if someone published meanwhile the
    change is refused rather than silently undoing theirs.
    """
    client = await _editable(user, code)
    reason = reason.strip()
    if not reason:
        raise Unprocessable(
            "Geef een reden voor de wijziging; de opdrachtgever krijgt die.", "reason"
        )
    order_types = protocol_files.order_types_of(client.settings)
    findings = protocol_files.validate(text, order_types)
    if findings:
        raise ProtocolRejected(findings)
    at = at or now()
    try:
        async with in_transaction() as conn:
            latest = await current(client)
            _check_base(latest, based_on)
            number = latest.version + 1
            stored = protocol_files.stored_text(text, client.code, number)
            if protocol_files.stored_text(text, client.code, latest.version) == latest.text:
                raise Unprocessable(
                    f"Er is niets gewijzigd ten opzichte van versie {latest.version}.", "text"
                )
            findings = protocol_files.validate(stored, order_types)
            if findings:
                raise ProtocolRejected(findings)
            version = await _store(client, stored, number, reason, user, at)
            change = protocol_files.diff(
                latest.text, stored, f"versie {latest.version}", f"versie {number}"
            )
            await notifications.protocol_confirmation(client, version, change, at, conn)
    except IntegrityError:
        raise Conflict(
            "Iemand anders publiceerde tegelijk een nieuwe versie; laad de nieuwste versie "
            "en voer uw wijziging opnieuw in.",
            "based_on",
        ) from None
    from server.communication import communication

    await communication.safely(communication.send_client_notifications(version=version))
    return version


def _check_base(latest: ProtocolVersion, based_on: int | None) -> None:
    if based_on is not None and based_on != latest.version:
        raise Conflict(
            f"U bewerkte versie {based_on}, maar intussen is versie {latest.version} "
            f"gepubliceerd door {latest.created_by_name}. Laad de nieuwste versie en voer uw "
            "wijziging opnieuw in.",
            "based_on",
        )
