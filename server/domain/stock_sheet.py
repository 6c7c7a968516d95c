"""A client's housing-stock file (complexlijst), read and checked: plain Python, no database.

`read_sheet` reads a CSV or .xlsx file and checks every row; every problem is collected with its
row and column as a spreadsheet shows them, so the user can fix the whole file at once. Where
each party belongs (complex or address) is decided here too; server/housing/imports.py writes.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from server.domain import normalise
from server.domain.codes import REFERRAL_PARTY_LABELS
from server.domain.errors import AppError

EXTENSIONS = (".csv", ".xlsx")

# Canonical field -> header names (after _header_key) that mean it.
ALIASES: dict[str, tuple[str, ...]] = {
    "street": ("straat", "straatnaam", "street", "openbare_ruimte"),
    "house_number": ("huisnummer", "huisnr", "nummer", "house_number", "housenumber", "number"),
    "letter": ("huisletter", "letter"),
    "suffix": ("toevoeging", "huisnummertoevoeging", "suffix", "addition"),
    "postcode": ("postcode", "postal_code", "zipcode", "zip"),
    "city": ("plaats", "woonplaats", "city", "town"),
    "complex": ("complex", "complexcode", "complexnummer", "complex_code"),
    "complex_name": ("complexnaam", "complex_naam", "complex_name"),
    "bag_id": ("bag_id", "bag", "bagid", "bag_nummeraanduiding"),
    "latitude": ("latitude", "lat", "breedtegraad"),
    "longitude": ("longitude", "lon", "lng", "lengtegraad"),
}
for _kind in REFERRAL_PARTY_LABELS:
    ALIASES[f"{_kind}:name"] = (_kind, f"{_kind}_naam", f"{_kind}_name")
    ALIASES[f"{_kind}:phone"] = (
        f"{_kind}_telefoon",
        f"{_kind}_telefoonnummer",
        f"{_kind}_tel",
        f"{_kind}_phone",
    )
    ALIASES[f"{_kind}:email"] = (f"{_kind}_email", f"{_kind}_e_mail", f"{_kind}_mail")
REQUIRED = ("street", "house_number", "postcode", "city")
_BY_HEADER = {name: key for key, names in ALIASES.items() for name in names}

# Roughly the Netherlands, a little wider than its extremes.
LAT_RANGE = (50.7, 53.7)
LON_RANGE = (3.2, 7.3)
_NUMBER_WITH_SUFFIX = re.compile(r"^(\d+)\s*[-/ ]?\s*([A-Za-z0-9]{1,10})$")
_SUFFIX = re.compile(r"^[A-Z0-9][A-Z0-9 -]{0,9}$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file; `row` is the row number as a spreadsheet shows it."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [f"rij {self.row}"] if self.row is not None else []
        if self.column:
            where.append(self.column)
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportReport:
    client: str
    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    complexes_created: int = 0
    parties_created: int = 0
    parties_updated: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            count = len(self.errors)
            lines = [
                f"{self.file}: niets geïmporteerd voor {self.client}, "
                f"{count} {'fout' if count == 1 else 'fouten'}:"
            ]
            lines += [f"  {problem}" for problem in self.errors]
            return "\n".join(lines)
        lines = [
            f"{self.file}: {self.rows} adressen ingelezen voor {self.client}.",
            f"  adressen: {self.created} nieuw, {self.updated} bijgewerkt, "
            f"{self.unchanged} ongewijzigd",
            f"  complexen: {self.complexes_created} nieuw",
            f"  partijen: {self.parties_created} nieuw, {self.parties_updated} bijgewerkt",
        ]
        if self.ignored_columns:
            lines.append("  genegeerde kolommen: " + ", ".join(self.ignored_columns))
        return "\n".join(lines)


@dataclass(frozen=True)
class PartyRow:
    """A party as the file names it; phone or e-mail is None when the file has no such column."""

    kind: str
    name: str
    phone: str | None
    email: str | None


@dataclass
class AddressRow:
    row: int
    values: dict[str, Any]
    complex_code: str | None
    complex_name: str
    parties: list[PartyRow]

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.values["postcode"], self.values["house_number"], self.values["suffix"])


@dataclass
class Sheet:
    """The checked file: its columns (canonical key -> header as written) and its rows."""

    columns: dict[str, str]
    rows: list[AddressRow]


# -- reading and checking ----------------------------------------------------------------------


def read_sheet(path: Path, report: ImportReport) -> Sheet | None:
    """The file's rows, checked; problems go into the report."""
    if path.suffix.lower() not in EXTENSIONS:
        report.errors.append(
            Problem(
                f"bestandstype '{path.suffix or path.name}' wordt niet ondersteund; "
                "gebruik .csv of .xlsx."
            )
        )
        return None
    if not path.is_file():
        report.errors.append(Problem(f"bestand '{path}' niet gevonden."))
        return None
    try:
        table = _read_xlsx(path) if path.suffix.lower() == ".xlsx" else _read_csv(path)
        header = next(table, None)
    except (OSError, ValueError, KeyError, csv.Error, BadZipFile, InvalidFileException) as exc:
        report.errors.append(Problem(f"bestand kan niet gelezen worden ({exc})."))
        return None
    if header is None or not any(_text(cell) for cell in header):
        report.errors.append(Problem("het bestand is leeg."))
        return None
    columns = _columns(header, report)
    if report.errors:
        return None
    rows = []
    for number, cells in enumerate(table, start=2):
        if any(_text(cell) for cell in cells):
            row = _check_row(number, cells, columns, report.errors)
            if row is not None:
                rows.append(row)
    if not rows and not report.errors:
        report.errors.append(Problem("het bestand bevat geen adressen."))
    _check_duplicates(rows, report.errors)
    _check_complex_names(rows, columns, report.errors)
    report.errors.sort(key=lambda problem: problem.row or 0)
    return Sheet({k: header_text for k, (_, header_text) in columns.items()}, rows)


def _read_csv(path: Path) -> Iterator[list[Any]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    return iter(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))


def _read_xlsx(path: Path) -> Iterator[list[Any]]:
    with warnings.catch_warnings():
        # Files written by other tools often lack styles; openpyxl warns and copes.
        warnings.simplefilter("ignore", UserWarning)
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
    return iter(rows)


def _header_key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def _columns(header: Sequence[Any], report: ImportReport) -> dict[str, tuple[int, str]]:
    """Canonical key -> (index, header as written); unknown headers are ignored, noted."""
    columns: dict[str, tuple[int, str]] = {}
    for index, cell in enumerate(header):
        written = _text(cell)
        if not written:
            continue
        key = _BY_HEADER.get(_header_key(written))
        if key is None:
            report.ignored_columns.append(written)
        elif key in columns:
            report.errors.append(
                Problem(f"kolommen '{columns[key][1]}' en '{written}' betekenen hetzelfde.")
            )
        else:
            columns[key] = (index, written)
    for key in REQUIRED:
        if key not in columns:
            others = ", ".join(ALIASES[key][1:])
            report.errors.append(
                Problem(f"kolom '{ALIASES[key][0]}' ontbreekt (ook goed: {others}).")
            )
    for key, other in (("latitude", "longitude"), ("longitude", "latitude")):
        if key in columns and other not in columns:
            report.errors.append(
                Problem(f"kolom '{ALIASES[other][0]}' ontbreekt naast '{columns[key][1]}'.")
            )
    return columns


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _RowChecker:
    """Reads one row's cells by canonical key and collects what is wrong with them."""

    def __init__(
        self, number: int, cells: Sequence[Any], columns: dict[str, tuple[int, str]]
    ) -> None:
        self.number = number
        self.cells = cells
        self.columns = columns
        self.problems: list[Problem] = []

    def raw(self, key: str) -> Any:
        index = self.columns[key][0] if key in self.columns else None
        return self.cells[index] if index is not None and index < len(self.cells) else None

    def text(self, key: str) -> str:
        return _text(self.raw(key))

    def fail(self, key: str, message: str) -> None:
        self.problems.append(Problem(message, self.number, self.columns[key][1]))

    def required(self, key: str, max_length: int) -> str:
        value = " ".join(self.text(key).split())
        if not value:
            self.fail(key, "verplicht veld is leeg.")
        elif len(value) > max_length:
            self.fail(key, f"'{value}' is te lang (hooguit {max_length} tekens).")
        return value


def _check_row(
    number: int,
    cells: Sequence[Any],
    columns: dict[str, tuple[int, str]],
    problems: list[Problem],
) -> AddressRow | None:
    check = _RowChecker(number, cells, columns)
    values: dict[str, Any] = {"street": check.required("street", 200)}
    values["house_number"], values["suffix"] = _house_number(check)
    try:
        values["postcode"] = normalise.normalise_postcode(check.text("postcode"))
    except AppError as exc:
        check.fail("postcode", exc.message)
    values["city"] = check.required("city", 100)
    if "bag_id" in columns:
        values["bag_id"] = _bag_id(check)
    if "latitude" in columns or "longitude" in columns:
        values["latitude"], values["longitude"] = _coordinates(check)
    parties = _parties(check)
    problems += check.problems
    if check.problems:
        return None
    return AddressRow(
        row=number,
        values=values,
        complex_code=check.text("complex") or None,
        complex_name=" ".join(check.text("complex_name").split()),
        parties=parties,
    )


def _house_number(check: _RowChecker) -> tuple[int, str]:
    raw = check.text("house_number")
    suffix = "-".join(part for part in (check.text("letter"), check.text("suffix")) if part).upper()
    number_text = raw
    if not raw.isdigit() and not suffix:
        # "12a", "12-2", "12 bis": number and suffix in one cell, as many exports do.
        match = _NUMBER_WITH_SUFFIX.match(raw)
        if match:
            number_text, suffix = match.group(1), match.group(2).upper()
    number = int(number_text) if number_text.isdigit() else 0
    if number <= 0 or number > 99999:
        check.fail(
            "house_number", f"'{raw}' is geen geldig huisnummer (een positief geheel getal)."
        )
    suffix = suffix.lstrip("-").strip()
    if suffix and not _SUFFIX.match(suffix):
        column = next(k for k in ("suffix", "letter", "house_number") if k in check.columns)
        check.fail(
            column, f"'{suffix}' is geen geldige toevoeging (hooguit 10 letters of cijfers)."
        )
    return number, suffix


def _bag_id(check: _RowChecker) -> str | None:
    raw = check.raw("bag_id")
    if isinstance(raw, int | float) and float(raw).is_integer():
        # Excel turns "0344200000123456" into a number and drops the leading zero.
        text = f"{int(raw):016d}"
    else:
        text = _text(raw).replace(" ", "")
    if not text:
        return None
    if not (text.isdigit() and len(text) == 16):
        check.fail("bag_id", f"'{_text(raw)}' is geen geldig BAG-id (16 cijfers).")
    return text


def _number(check: _RowChecker, key: str) -> float | None:
    """The cell as a number ("52,09" or "52.09"); None when empty or, with a problem, wrong."""
    raw = check.text(key)
    if not raw:
        return None
    try:
        return float(raw.replace(",", ".", 1) if "." not in raw else raw)
    except ValueError:
        check.fail(key, f"'{raw}' is geen getal.")
        return None


def _coordinates(check: _RowChecker) -> tuple[float | None, float | None]:
    lat, lon = _number(check, "latitude"), _number(check, "longitude")
    for key, value, (low, high), label in (
        ("latitude", lat, LAT_RANGE, "breedtegraad"),
        ("longitude", lon, LON_RANGE, "lengtegraad"),
    ):
        if value is None or low <= value <= high:
            continue
        swapped = LON_RANGE if key == "latitude" else LAT_RANGE
        hint = (
            " Zijn breedte- en lengtegraad verwisseld?" if swapped[0] <= value <= swapped[1] else ""
        )
        check.fail(
            key,
            f"'{check.text(key)}' ligt niet in Nederland ({label} tussen "
            f"{_dutch(low)} en {_dutch(high)}).{hint}",
        )
    if not check.text("latitude") or not check.text("longitude"):
        empty, filled = (
            ("latitude", "longitude") if not check.text("latitude") else ("longitude", "latitude")
        )
        if check.text(filled):
            check.fail(empty, f"is leeg, terwijl '{check.columns[filled][1]}' is ingevuld.")
    return (lat, lon) if lat is not None and lon is not None else (None, None)


def _dutch(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _parties(check: _RowChecker) -> list[PartyRow]:
    parties = []
    for kind in REFERRAL_PARTY_LABELS:
        name_key, phone_key, email_key = f"{kind}:name", f"{kind}:phone", f"{kind}:email"
        name = " ".join(check.text(name_key).split())
        phone_raw, email_raw = check.text(phone_key), check.text(email_key)
        phone = "" if phone_key in check.columns else None
        email = "" if email_key in check.columns else None
        try:
            phone = normalise.normalise_phone(phone_raw) or phone
        except AppError as exc:
            check.fail(phone_key, exc.message)
        try:
            email = normalise.normalise_email(email_raw) or email
        except AppError as exc:
            check.fail(email_key, exc.message)
        if name:
            if len(name) > 200:
                check.fail(name_key, f"'{name[:40]}…' is te lang (hooguit 200 tekens).")
            parties.append(PartyRow(kind, name, phone, email))
        elif phone_raw or email_raw:
            header = check.columns[phone_key if phone_raw else email_key][1]
            written = check.columns[name_key][1] if name_key in check.columns else kind
            check.problems.append(
                Problem(f"contactgegevens zonder naam in kolom '{written}'.", check.number, header)
            )
    return parties


def _check_duplicates(rows: list[AddressRow], problems: list[Problem]) -> None:
    seen: dict[tuple[str, int, str], int] = {}
    for row in rows:
        first = seen.setdefault(row.key, row.row)
        if first != row.row:
            postcode, number, suffix = row.key
            label = f"{postcode} {number}{'-' + suffix if suffix else ''}"
            problems.append(Problem(f"adres {label} staat ook op rij {first}.", row.row))


def _check_complex_names(
    rows: list[AddressRow], columns: dict[str, tuple[int, str]], problems: list[Problem]
) -> None:
    names: dict[str, tuple[str, int]] = {}
    for row in rows:
        if row.complex_code is None or not row.complex_name:
            continue
        name, first = names.setdefault(row.complex_code, (row.complex_name, row.row))
        if name != row.complex_name:
            problems.append(
                Problem(
                    f"'{row.complex_name}' wijkt af van '{name}' (rij {first}) "
                    f"voor complex {row.complex_code}.",
                    row.row,
                    columns["complex_name"][1],
                )
            )


Target = tuple[str, int]  # ("complex", id) or ("address", id)


def party_targets(
    rows: Iterable[AddressRow],
    address_ids: dict[tuple[str, int, str], int],
    complexes: dict[str, int],
) -> dict[tuple[Target, str], PartyRow]:
    """Where each party belongs: the complex when all its rows agree, else each address."""
    by_complex: dict[str, list[AddressRow]] = defaultdict(list)
    loose: list[AddressRow] = []
    for row in rows:
        (by_complex[row.complex_code] if row.complex_code else loose).append(row)
    targets: dict[tuple[Target, str], PartyRow] = {}
    for code, members in by_complex.items():
        for kind in REFERRAL_PARTY_LABELS:
            found = [next((p for p in r.parties if p.kind == kind), None) for r in members]
            if found[0] is not None and all(p == found[0] for p in found):
                targets[(("complex", complexes[code]), kind)] = found[0]
                continue
            for row, party in zip(members, found, strict=True):
                if party is not None:
                    targets[(("address", address_ids[row.key]), kind)] = party
    for row in loose:
        for party in row.parties:
            targets[(("address", address_ids[row.key]), party.kind)] = party
    return targets
