"""The `meldkamer` command: serve, migrate, demo, createuser, setpassword, import-addresses,
worker, reset-device, prune-sync.

Every command is documented in docs/cli.md; tests/test_docs.py fails when one is not.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

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
    serving.run(args.host, args.port, args.workers)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    asyncio.run(db.migrate())
    print(f"Database bijgewerkt: {_safe_url(settings.DATABASE_URL)}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from server.demo import load_demo

    asyncio.run(db.migrate())

    async def go() -> int:
        logins = await load_demo(reset=args.reset)
        print("Demo-gegevens staan klaar. Inloggen op " + settings.BASE_URL + "/login met:")
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
        report = await import_addresses(args.client, Path(args.file))
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


def _safe_url(url: str) -> str:
    """The database URL without a password, for printing."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="meldkamer", description="Meldkamer beheer")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="start the web application (migrates first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=int,
        default=settings.SERVE_WORKERS,
        help="app processes on this port (default SERVE_WORKERS, 1)",
    )
    serve.set_defaults(func=cmd_serve)

    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)

    demo = sub.add_parser("demo", help="load demo data (once) and print the demo logins")
    demo.add_argument("--reset", action="store_true", help="remove existing demo data first")
    demo.set_defaults(func=cmd_demo)

    create = sub.add_parser("createuser", help="create a user (non-interactive)")
    create.add_argument("username")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--client", help="client code, required for role 'client'")
    create.add_argument("--name", default="", help="full name")
    create.add_argument("--password-stdin", action="store_true", help="read password from stdin")
    # A technician needs these to be sent jobs (docs/cli.md).
    create.add_argument("--trade", action="append", help="technician's trade code, repeatable")
    create.add_argument("--home-postcode", default="", help="technician's home postcode")
    create.add_argument("--phone", default="", help="technician's phone number")
    create.set_defaults(func=cmd_createuser)

    setpw = sub.add_parser("setpassword", help="give a user a new password (ends his sessions)")
    setpw.add_argument("username")
    setpw.add_argument("--password-stdin", action="store_true", help="read password from stdin")
    setpw.set_defaults(func=cmd_setpassword)

    imp = sub.add_parser("import-addresses", help="import a client's housing stock (CSV/.xlsx)")
    imp.add_argument("client", help="client code")
    imp.add_argument("file", help="CSV or .xlsx file")
    imp.set_defaults(func=cmd_import_addresses)

    sub.add_parser(
        "worker", help="run the background job worker (arq, needs REDIS_URL)"
    ).set_defaults(func=cmd_worker)

    reset = sub.add_parser("reset-device", help="make a technician's app reload all his jobs")
    reset.add_argument("username")
    reset.add_argument("--device", help="only this device id (default: all his devices)")
    reset.set_defaults(func=cmd_reset_device)

    prune = sub.add_parser("prune-sync", help="remove old changes for technicians' devices")
    prune.add_argument("--days", type=int, default=settings.SYNC_CHANGE_DAYS)
    prune.set_defaults(func=cmd_prune_sync)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    sys.exit(args.func(args))
