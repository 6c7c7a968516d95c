"""The `meldkamer` command: serve, migrate, demo, createuser, setpassword, import-addresses,
worker, reset-device, prune-sync. Its help is Dutch, like the rest of the interface.

Every command and option is documented in docs/cli.md; tests/test_docs.py fails when one is not.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, NoReturn

from server import db, settings
from server.domain.errors import AppError
from server.domain.roles import Role


def _run(coro_fn: Callable[[], Awaitable[int]]) -> int:
    from server.jobs import tasks

    tasks.register()  # a command's messages and geocoding run here when there is no Redis

    async def wrapped() -> int:
        await db.init()
        try:
            return await coro_fn()
        finally:
            await db.close()

    try:
        return asyncio.run(wrapped())
    except AppError as exc:
        print(f"Fout: {exc.message}", file=sys.stderr)
        return 2


def cmd_serve(args: argparse.Namespace) -> int:
    from server import serving
    from server.proxies import uvicorn_options

    try:
        uvicorn_options()  # a bad TRUSTED_PROXIES entry stops here, with its message
    except ValueError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    if args.workers < 1:
        print("Fout: --workers moet 1 of meer zijn.", file=sys.stderr)
        return 2
    asyncio.run(db.migrate())
    url = settings.served_at(args.host, args.port)
    # uvicorn starts its worker processes afresh: they read the address from the environment.
    os.environ.setdefault("BASE_URL", url)
    print(f"Meldkamer op {url}/ (stoppen: Ctrl+C)")
    serving.run(args.host, args.port, args.workers)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    asyncio.run(db.migrate())
    print(f"Database bijgewerkt: {_safe_url(settings.DATABASE_URL)}")
    return 0


def cmd_call_counts(args: argparse.Namespace) -> int:
    """Count every contact into the telephony figures' hourly table again (as migration
    0022 did): after a restore or a bulk change made with the triggers off."""
    from tortoise.transactions import in_transaction

    from server.insight import contact_hours
    from server.models import ContactHour

    async def go() -> int:
        await db.migrate()
        await db.init()
        try:
            async with in_transaction() as conn:
                await contact_hours.install(conn)
            return await ContactHour.filter(contacts__gt=0).count()
        finally:
            await db.close()

    hours = asyncio.run(go())
    print(f"Uurtellingen van de telefoniecijfers opnieuw opgebouwd: {hours} rijen.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from server.demo import load_demo

    asyncio.run(db.migrate())
    base = settings.served_at(args.host, args.port)

    async def go() -> int:
        logins = await load_demo(reset=args.reset)
        print(f"Demo-gegevens staan klaar. Inloggen op {base}/login met:")
        for username, password, role in logins:
            print(f"  {username:<18} {password:<16} {role}")
        return 0

    return _run(go)


def _password(args: argparse.Namespace) -> str | None:
    """The password from standard input (never an argument: those show in `ps` and history)."""
    if not args.password_stdin:
        print("Fout: geef het wachtwoord via --password-stdin.", file=sys.stderr)
        return None
    return sys.stdin.readline().rstrip("\n")


def cmd_createuser(args: argparse.Namespace) -> int:
    from server.auth.users import create_user

    password = _password(args)
    if password is None:
        return 2

    async def go() -> int:
        from server.dispatch.technicians import trade_labels
        from server.models import Technician

        user = await create_user(
            args.username,
            args.role,
            password,
            client_code=args.client,
            full_name=args.name,
            trades=args.trade or (),
            home_postcode=args.home_postcode,
            phone=args.phone,
            contractor_code=args.contractor,
        )
        print(f"Gebruiker {user.username} ({user.role}) aangemaakt.")
        tech = await Technician.get_or_none(user_id=user.id)
        if tech is not None:
            pc = tech.home_postcode
            print(
                f"Monteur {tech.name}: {trade_labels(tech.trades)}; thuisbasis {pc[:4]} {pc[4:]}."
            )
            print(f"Zijn diensten stelt de supervisie in (PUT /api/v1/technicians/{tech.id}/duty).")
        return 0

    return _run(go)


def cmd_setpassword(args: argparse.Namespace) -> int:
    from server.auth.users import set_password

    password = _password(args)
    if password is None:
        return 2

    async def go() -> int:
        user = await set_password(args.username, password)
        print(
            f"Nieuw wachtwoord voor {user.username} ingesteld. Alle sessies en API-tokens van"
            " deze gebruiker zijn beëindigd; een blokkade na mislukte inlogpogingen is opgeheven."
        )
        return 0

    return _run(go)


def cmd_import_addresses(args: argparse.Namespace) -> int:
    from server.housing.imports import import_addresses

    async def go() -> int:
        report = await import_addresses(args.client, Path(args.file), dry_run=args.proef)
        print(report.summary())
        return 0 if report.ok else 1

    return _run(go)


def cmd_worker(args: argparse.Namespace) -> int:
    from server.jobs.worker import run_worker

    return run_worker()


def cmd_reset_device(args: argparse.Namespace) -> int:
    from server.fieldwork.sync_store import reset_devices

    async def go() -> int:
        count = await reset_devices(args.username, args.device)
        which = "apparaat" if count == 1 else "apparaten"
        print(
            f"{count} {which} van {args.username}: volgende synchronisatie haalt alles opnieuw op."
        )
        return 0

    return _run(go)


def cmd_prune_sync(args: argparse.Namespace) -> int:
    from server.fieldwork.changefeed import prune

    async def go() -> int:
        deleted = await prune(args.days)
        print(f"{deleted} wijzigingen ouder dan {args.days} dagen verwijderd.")
        return 0

    return _run(go)


def cmd_report(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from server.domain.errors import Unprocessable
    from server.insight import client_report as reports
    from server.models import Client

    async def go() -> int:
        code = args.client.strip().upper()
        client = await Client.get_or_none(code=code)
        if client is None:
            raise Unprocessable(f"Opdrachtgever '{args.client}' bestaat niet.", "client")
        kind = reports.WEEK if args.week else reports.MONTH
        period = reports.period_of(kind, args.week or args.month)
        at = datetime.now(UTC)
        report = await reports.build(client, kind, period, at, again=True)
        if not args.no_send:
            await reports.send(report, at, again=True)
            await report.refresh_from_db()
        name = reports.name_of(report)
        print(f"{name} voor {client.name}: {reports.STATUS_LABELS[report.status].lower()}.")
        if report.error:
            print(f"Fout: {report.error}", file=sys.stderr)
            return 1
        if report.status == "verstuurd":
            print(f"Naar de outbox voor: {', '.join(report.sent_to)}.")
        if args.output:
            files = {
                reports.filename(client, kind, period, ext): bytes(data or b"")
                for ext, data in (("pdf", report.pdf), ("xlsx", report.xlsx))
            }
            await asyncio.to_thread(_save_files, args.output, files)
        return 0

    return _run(go)


def _save_files(folder: str, files: dict[str, bytes]) -> None:
    from pathlib import Path

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).write_bytes(data)
        print(f"Bewaard: {out / name}")


def _safe_url(url: str) -> str:
    """The database URL without a password, for printing."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


STOCK_COLUMNS = (
    "Kolommen (eerste rij, hoofdletters en spaties maken niet uit): straat, huisnummer, "
    "postcode en plaats zijn verplicht; huisletter, toevoeging, complex, complexnaam, bag_id, "
    "latitude en longitude mogen. Per soort partij (vve, huismeester, lift, monitoring, "
    "netbeheerder) een kolom met de naam, en <soort>_telefoon en <soort>_email. Engelse "
    "kolomnamen (street, house_number, postcode, city, …) werken ook. Eerst wordt elke rij "
    "gecontroleerd: met één foute rij wordt niets ingelezen en staat elke fout met rij en kolom "
    "in de uitvoer. Opnieuw inlezen werkt bij, zonder dubbele adressen."
)


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)


# argparse's own messages are English; the common ones in Dutch, like the help.
_ERRORS = (
    ("the following arguments are required:", "deze argumenten ontbreken:"),
    ("unrecognized arguments:", "onbekende argumenten:"),
    ("invalid choice:", "ongeldige keuze:"),
    ("(choose from", "(kies uit"),
    ("invalid int value:", "geen geheel getal:"),
    ("expected one argument", "verwacht één waarde"),
    ("argument ", "argument "),
)


class _Parser(argparse.ArgumentParser):
    """A parser that speaks Dutch: usage, help and its errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        self.add_argument("-h", "--help", action="help", help="deze uitleg tonen")

    def error(self, message: str) -> NoReturn:
        for english, dutch in _ERRORS:
            message = message.replace(english, dutch)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The command line, in Dutch like the rest of the interface (docs/cli.md)."""
    parser = _Parser(
        prog="meldkamer",
        description="Beheer van de meldkamer: de webapplicatie starten, de database bijwerken, "
        "demo-gegevens, gebruikers, het woningbestand, de takenverwerker en de app van monteurs.",
        epilog="Instellingen komen uit de omgeving (DATABASE_URL, REDIS_URL, BASE_URL, …; "
        "zie docs/settings.md). Meer uitleg per opdracht: meldkamer <opdracht> --help.",
    )
    parser._positionals.title = "opdrachten"
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="<opdracht>", parser_class=_Parser
    )

    def command(name: str, summary: str, description: str = "") -> argparse.ArgumentParser:
        described = description or f"{summary[0].upper()}{summary[1:]}."
        return sub.add_parser(name, help=summary, description=described)

    serve = command(
        "serve",
        "de webapplicatie starten (werkt eerst de database bij)",
        "Werkt de database bij en start de webapplicatie (uvicorn). Zonder BASE_URL gebruiken "
        "de links in berichten dit adres en deze poort.",
    )
    _address(serve)
    serve.add_argument(
        "--workers",
        type=int,
        default=settings.SERVE_WORKERS,
        metavar="AANTAL",
        help="processen van de app op deze poort (standaard SERVE_WORKERS, 1)",
    )
    serve.set_defaults(func=cmd_serve)

    command("migrate", "de database bijwerken naar de nieuwste versie").set_defaults(
        func=cmd_migrate
    )

    command(
        "belcijfers-tellen",
        "de uurtellingen van de telefoniecijfers opnieuw opbouwen uit alle contacten",
        "Telt alle contacten opnieuw in de uurtabel die de telefoniecijfers lezen (zoals de "
        "migratie doet), bijvoorbeeld na het terugzetten van een back-up. Schrijvers wachten "
        "zolang het duurt (op PostgreSQL ongeveer 30 seconden per 2 miljoen contacten).",
    ).set_defaults(func=cmd_call_counts)

    demo = command(
        "demo",
        "demo-gegevens laden (eenmalig) en de demo-logins tonen",
        "Laadt eenmalig de demo-gegevens (opdrachtgevers, woningbestand, monteurs, een jaar aan "
        "dossiers) en toont de logins met het adres waarop de app draait.",
    )
    demo.add_argument(
        "--reset", action="store_true", help="bestaande demo-gegevens eerst verwijderen"
    )
    _address(demo, "het adres waarop de app straks draait (voor de getoonde inloglink)")
    demo.set_defaults(func=cmd_demo)

    create = command(
        "createuser",
        "een gebruiker aanmaken (zonder vragen)",
        "Maakt een gebruiker aan; het wachtwoord komt via standaardinvoer (--password-stdin), "
        "zodat het niet in de shellgeschiedenis belandt.",
    )
    create.add_argument(
        "username",
        metavar="gebruikersnaam",
        help="gebruikersnaam (wordt in kleine letters opgeslagen)",
    )
    create.add_argument(
        "--role",
        required=True,
        choices=[r.value for r in Role],
        help="rol: admin (beheer), supervisor (supervisie), agent (meldkamermedewerker), "
        "technician (monteur), client (opdrachtgever, met --client) of contractor "
        "(aannemer, met --contractor)",
    )
    create.add_argument(
        "--client",
        metavar="CODE",
        help="code van de opdrachtgever (zoals WST); verplicht bij rol client",
    )
    create.add_argument(
        "--contractor",
        metavar="CODE",
        help="code van de aannemer; verplicht bij rol contractor, bij een monteur zijn werkgever",
    )
    create.add_argument(
        "--name", default="", metavar="NAAM", help="volledige naam, zoals getoond in de tijdlijn"
    )
    create.add_argument(
        "--password-stdin",
        action="store_true",
        help="het wachtwoord lezen van standaardinvoer (minstens 10 tekens, moeilijk te raden)",
    )
    # A technician needs these to be sent jobs (docs/cli.md).
    create.add_argument(
        "--trade",
        action="append",
        metavar="CODE",
        help="vakdiscipline van een monteur als VERA-code (CVI, LOO, ELE, TIM, GLA, DAK, ONT, "
        "SCH, LIF, ALA, OVE); vaker te geven, minstens één bij rol technician",
    )
    create.add_argument(
        "--home-postcode",
        default="",
        metavar="POSTCODE",
        help="thuisbasis van een monteur (het midden van het postcodegebied); verplicht bij "
        "rol technician",
    )
    create.add_argument(
        "--phone", default="", metavar="NUMMER", help="telefoonnummer van een monteur"
    )
    create.set_defaults(func=cmd_createuser)

    setpw = command(
        "setpassword",
        "een gebruiker een nieuw wachtwoord geven (beëindigt zijn sessies)",
        "Geeft een gebruiker een nieuw wachtwoord via standaardinvoer, onder dezelfde regel; "
        "al zijn sessies en API-tokens vervallen (de app van een monteur logt opnieuw in).",
    )
    setpw.add_argument("username", metavar="gebruikersnaam", help="de gebruikersnaam")
    setpw.add_argument(
        "--password-stdin",
        action="store_true",
        help="het nieuwe wachtwoord lezen van standaardinvoer",
    )
    setpw.set_defaults(func=cmd_setpassword)

    imp = command(
        "import-addresses",
        "het woningbestand (complexlijst) van een opdrachtgever inlezen",
        f"Leest het woningbestand van een opdrachtgever in uit CSV of Excel (.xlsx). "
        f"{STOCK_COLUMNS}",
    )
    imp.add_argument("client", metavar="opdrachtgever", help="code van de opdrachtgever, zoals WST")
    imp.add_argument(
        "file",
        metavar="bestand",
        help="het bestand: .csv (komma, puntkomma of tab) of .xlsx (het eerste blad)",
    )
    imp.add_argument(
        "--proef",
        action="store_true",
        help="proefimport: alles controleren en tellen, niets opslaan",
    )
    imp.set_defaults(func=cmd_import_addresses)

    command(
        "worker",
        "de takenverwerker starten (arq; heeft REDIS_URL nodig)",
        "Verwerkt achtergrondtaken uit Redis: berichten versturen, locaties bepalen, exports, "
        "en 's nachts archiveren en opruimen. Zonder REDIS_URL doet de webapplicatie dit zelf.",
    ).set_defaults(func=cmd_worker)

    reset = command(
        "reset-device",
        "de app van een monteur al zijn opdrachten opnieuw laten ophalen",
        "Geeft de toestellen van de monteur een nieuwe synchronisatie: bij de volgende keer "
        "vervangt de app al zijn opdrachten door die van de server. Werk dat nog op de telefoon "
        "wacht, blijft bewaard en wordt één keer verstuurd.",
    )
    reset.add_argument("username", metavar="gebruikersnaam", help="gebruikersnaam van de monteur")
    reset.add_argument(
        "--device", metavar="TOESTEL", help="alleen dit toestel (standaard: al zijn toestellen)"
    )
    reset.set_defaults(func=cmd_reset_device)

    prune = command(
        "prune-sync",
        "oude wijzigingen voor de apps van monteurs opruimen",
        "Verwijdert wijzigingen voor de apps van monteurs die ouder zijn dan het aantal dagen; "
        "de takenverwerker doet dit elke nacht. Een toestel dat langer niet synchroniseerde, "
        "haalt daarna alles opnieuw op.",
    )
    prune.add_argument(
        "--days",
        type=int,
        default=settings.SYNC_CHANGE_DAYS,
        metavar="DAGEN",
        help=f"ouder dan zoveel dagen (standaard {settings.SYNC_CHANGE_DAYS}: SYNC_CHANGE_DAYS)",
    )
    prune.set_defaults(func=cmd_prune_sync)

    report = command(
        "report",
        "een week- of maandrapportage van een opdrachtgever nu maken en versturen",
        "Maakt de rapportage over de gekozen week of maand opnieuw met de gegevens van nu (PDF "
        "en Excel), bewaart haar voor het portaal en verstuurt haar naar de "
        "rapportageontvangers van de opdrachtgever (docs/admin.md, Rapportages).",
    )
    report.add_argument("--client", required=True, metavar="CODE", help="code van de opdrachtgever")
    which = report.add_mutually_exclusive_group(required=True)
    which.add_argument("--week", metavar="JJJJ-Wnn", help="een ISO-week, zoals 2026-W23")
    which.add_argument("--month", metavar="JJJJ-MM", help="een maand, zoals 2026-11")
    report.add_argument(
        "--no-send", action="store_true", help="alleen maken en bewaren, niet versturen"
    )
    report.add_argument(
        "--output", metavar="MAP", help="de PDF en het Excel-bestand ook in deze map bewaren"
    )
    report.set_defaults(func=cmd_report)
    return parser


def _address(parser: argparse.ArgumentParser, what: str = "") -> None:
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="ADRES",
        help=(what or "het adres waarop de app luistert") + " (standaard 127.0.0.1; "
        "0.0.0.0 voor het hele netwerk)",
    )
    parser.add_argument(
        "--port", type=int, default=8000, metavar="POORT", help="de poort (standaard 8000)"
    )


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    sys.exit(args.func(args))
