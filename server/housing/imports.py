"""Importing a client's housing stock (complexlijst) from CSV or .xlsx.

The whole file is read and checked first (server/domain/stock_sheet.py); only a file without a
single error is written, in one transaction. An address is identified by client + postcode +
house number + suffix, so importing the same file again changes nothing. Columns that a file
does not have leave the stored values alone; columns it has are the truth (an empty cell clears
the value).

Parties (VvE, huismeester, lift, monitoring, netbeheerder) come from optional columns such as
`vve`, `vve_telefoon`, `vve_email`. A party named identically on every row of a complex is
registered once for the complex; otherwise it is registered for each address.

A dry run (`dry_run`, the screen's "proefimport" and `--proef`) does all of it inside the
transaction and then rolls it back: the report counts exactly what a real import would do.
`progress` hears (done, total) as the addresses are written, for the screen's progress bar.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from server.domain.errors import Conflict, NotFound
from server.domain.stock_sheet import (
    AddressRow,
    ImportReport,
    Sheet,
    Target,
    party_targets,
    read_sheet,
)
from server.models import Address, AddressParty, Client, Complex

BATCH = 500

Progress = Callable[[int, int], Awaitable[None]]


class _DryRun(Exception):
    """Raised at the end of a dry run's transaction: rolls everything back."""


async def _no_progress(done: int, total: int) -> None:
    return None


async def import_addresses(
    client_code: str, path: Path, dry_run: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Check the whole file, then write all of it or nothing (nothing at all on a dry run)."""
    client = await Client.get_or_none(code=client_code.strip().upper())
    if client is None:
        raise NotFound(f"Opdrachtgever '{client_code}' bestaat niet.", "client")
    report = ImportReport(client=f"{client.name} ({client.code})", file=path.name)
    sheet = read_sheet(path, report)
    if sheet is None or report.errors:
        return report
    report.rows = len(sheet.rows)
    tell = progress or _no_progress
    await tell(0, report.rows)
    try:
        async with in_transaction() as conn:
            await _write(client, sheet, report, conn, tell)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except IntegrityError as exc:
        raise Conflict(
            f"Het woningbestand van {client.code} werd tegelijk door iemand anders gewijzigd; "
            "niets geïmporteerd, probeer het opnieuw.",
        ) from exc
    return report


# -- writing -----------------------------------------------------------------------------------


async def _write(
    client: Client,
    sheet: Sheet,
    report: ImportReport,
    conn: BaseDBAsyncClient,
    progress: Progress = _no_progress,
) -> None:
    complexes = await _upsert_complexes(client, sheet, report, conn)
    existing = {
        (a.postcode, a.house_number, a.suffix): a
        for a in await Address.filter(client_id=client.id).using_db(conn)
    }
    new: list[Address] = []
    changed: list[Address] = []
    changed_fields: set[str] = set()
    for row in sheet.rows:
        values = dict(row.values)
        if "complex" in sheet.columns:
            values["complex_id"] = complexes[row.complex_code] if row.complex_code else None
        current = existing.get(row.key)
        if current is None:
            new.append(Address(client_id=client.id, **values))
            continue
        diff = {k: v for k, v in values.items() if getattr(current, k) != v}
        if diff:
            for key, value in diff.items():
                setattr(current, key, value)
            changed.append(current)
            changed_fields.update(diff)
    total = len(sheet.rows)
    written = len(sheet.rows) - len(new) - len(changed)
    for start in range(0, len(new), BATCH):
        await Address.bulk_create(new[start : start + BATCH], using_db=conn)
        written += len(new[start : start + BATCH])
        await progress(written, total)
    for start in range(0, len(changed), BATCH):
        part = changed[start : start + BATCH]
        await Address.bulk_update(part, sorted(changed_fields), using_db=conn)
        written += len(part)
        await progress(written, total)
    await progress(total, total)
    report.created, report.updated = len(new), len(changed)
    report.unchanged = len(sheet.rows) - len(new) - len(changed)
    if any(row.parties for row in sheet.rows):
        ids = {
            (postcode, number, suffix): pk
            for pk, postcode, number, suffix in await Address.filter(client_id=client.id)
            .using_db(conn)
            .values_list("id", "postcode", "house_number", "suffix")
        }
        await _upsert_parties(client, sheet.rows, ids, complexes, report, conn)


async def _upsert_complexes(
    client: Client, sheet: Sheet, report: ImportReport, conn: BaseDBAsyncClient
) -> dict[str, int]:
    """Complex code -> id, creating the complexes the file names and renaming when asked."""
    wanted: dict[str, str] = {}
    for row in sheet.rows:
        code = row.complex_code
        if code is not None and (row.complex_name or code not in wanted):
            wanted[code] = row.complex_name or wanted.get(code, "")
    if not wanted:
        return {}
    existing = {c.code: c for c in await Complex.filter(client_id=client.id).using_db(conn)}
    new = [
        Complex(client_id=client.id, code=code, name=name)
        for code, name in wanted.items()
        if code not in existing
    ]
    await Complex.bulk_create(new, batch_size=BATCH, using_db=conn)
    report.complexes_created = len(new)
    for code, name in wanted.items():
        current = existing.get(code)
        if current is not None and name and current.name != name:
            current.name = name
            await current.save(update_fields=["name"], using_db=conn)
    rows = await Complex.filter(client_id=client.id).using_db(conn).values_list("code", "id")
    return {code: pk for code, pk in rows}


async def _upsert_parties(
    client: Client,
    rows: list[AddressRow],
    address_ids: dict[tuple[str, int, str], int],
    complexes: dict[str, int],
    report: ImportReport,
    conn: BaseDBAsyncClient,
) -> None:
    """The file names the party of each kind for a target: update it in place, or add it."""
    targets = party_targets(rows, address_ids, complexes)
    kinds = {kind for _, kind in targets}
    existing: dict[tuple[Target, str], list[AddressParty]] = defaultdict(list)
    for party in await AddressParty.filter(client_id=client.id, kind__in=kinds).using_db(conn):
        if party.complex_id is not None:  # type: ignore[attr-defined]
            target: Target = ("complex", party.complex_id)  # type: ignore[attr-defined]
        else:
            target = ("address", party.address_id)  # type: ignore[attr-defined]
        existing[(target, party.kind)].append(party)
    new: list[AddressParty] = []
    changed: list[AddressParty] = []
    for (target, kind), wanted in targets.items():
        present = existing.get((target, kind), [])
        same = [p for p in present if p.name.casefold() == wanted.name.casefold()]
        current = next(iter(same or present), None)
        if current is None:
            where = {f"{target[0]}_id": target[1]}
            new.append(
                AddressParty(
                    client_id=client.id,
                    kind=kind,
                    name=wanted.name,
                    phone=wanted.phone or "",
                    email=wanted.email or "",
                    **where,
                )
            )
            continue
        values = {"name": wanted.name, "phone": wanted.phone, "email": wanted.email}
        diff = {k: v for k, v in values.items() if v is not None and getattr(current, k) != v}
        if diff:
            for key, value in diff.items():
                setattr(current, key, value)
            changed.append(current)
    await AddressParty.bulk_create(new, batch_size=BATCH, using_db=conn)
    if changed:
        await AddressParty.bulk_update(
            changed, ["name", "phone", "email"], batch_size=BATCH, using_db=conn
        )
    report.parties_created, report.parties_updated = len(new), len(changed)
