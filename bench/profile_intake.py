"""One intake at a time, in-process: its server time, and where that time goes.

Run: DATABASE_URL=postgres://…/scratch .venv/bin/python -m bench.profile_intake [--count 30]
     .venv/bin/python -m bench.profile_intake            # SQLite in a temporary folder
     … --profile   # also print a pyinstrument profile of ten intakes (pip install pyinstrument)
     … --profile cprofile   # or cProfile's busiest functions over twenty
     … --own-texts --email  # Woonstad with its own message texts; the tenant has an e-mail
     … --together 20  # twenty intakes at once (stored together on PostgreSQL): CPU per intake
     (every run also prints the garbage collector's time per intake)
     PROFILE_DUMP=file … --profile cprofile   # also write cProfile's stats to a file

The same intake bench/bench_http.py sends (`POST /api/v1/dossiers` with triage and a bearer
token), over httpx's ASGI transport: no sockets, no uvicorn, so the figure is the app's own
time per intake. A PostgreSQL database is emptied and rebuilt (bench_http's `prepare`); with
REDIS_URL set (default for PostgreSQL: redis://127.0.0.1:6379/7, flushed) live updates and
jobs go through Redis as in production.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROFILERS = ["pyinstrument", "cprofile"]
# A client's own texts, as the editor at /sjablonen stores them (the built-in text, reworded).
OWN_TEXTS = {
    "melding_ontvangen/sms.txt": "{{ opdrachtgever }}: melding {{ ordernummer }} ontvangen "
    "({{ urgentie }}). {{ vervolg }} Volg: {{ volgen_url }}",
    "melding_ontvangen/onderwerp.txt": "Uw melding {{ ordernummer }} bij {{ opdrachtgever }}",
    "melding_ontvangen/email.txt": "Beste {{ naam }},\n\nWe hebben uw melding ontvangen: "
    "{{ melding }}.\n{{ vervolg }}\n\nVolg uw melding: {{ volgen_url }}\n",
}


async def _prepare_sqlite() -> str:
    from bench.intake_data import published_world_with_stock
    from server import db
    from server.auth import tokens
    from server.models import User

    await db.migrate()
    await db.init()
    await published_world_with_stock()
    token, _ = await tokens.issue(await User.get(username="anna.agent"), "bench")
    await db.close()
    return token


async def _give_own_texts() -> None:
    from server import db
    from server.models import Client

    await db.init()
    client = await Client.get(code="WST")
    await Client.filter(id=client.id).update(
        settings={**client.settings, "message_templates": OWN_TEXTS}
    )
    await db.close()


class _GcTime:
    """Wall time spent in the cyclic garbage collector while in the block (its callbacks)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.runs = [0, 0, 0]
        self._began = 0.0

    def _note(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._began
            self.runs[info["generation"]] += 1

    def __enter__(self) -> None:
        gc.callbacks.append(self._note)

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self._note)


async def run(count: int, profile: str, own_texts: bool, email: bool, together: int = 1) -> None:
    import httpx
    from asgi_lifespan import LifespanManager

    from bench.bench_http import INTAKE, prepare
    from server import settings
    from server.app import create_app

    if settings.DATABASE_URL.startswith("postgres"):
        token = await prepare(settings.DATABASE_URL, settings.REDIS_URL or "")
    else:
        token = await _prepare_sqlite()
    if own_texts:
        await _give_own_texts()
    body = {**INTAKE, "contact": {**INTAKE["contact"], "email": "f.elamrani@example.nl"}}
    body = body if email else INTAKE
    app = create_app()
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app),  # type: ignore[arg-type]
            base_url="http://bench",
        ) as http,
    ):
        cpu: list[float] = []

        async def one() -> float:
            began, began_cpu = time.perf_counter(), time.process_time()
            response = await http.post("/api/v1/dossiers", json=body, headers=headers)
            elapsed = (time.perf_counter() - began) * 1000
            cpu.append((time.process_time() - began_cpu) * 1000)
            if response.status_code != 201:
                raise SystemExit(f"{response.status_code} {response.text[:300]}")
            return elapsed

        async def some(n: int) -> list[float]:
            """n intakes, `together` at a time (each request's own task, as under uvicorn)."""
            if together == 1:
                return [await one() for _ in range(n)]
            found: list[float] = []
            for _ in range(0, n, together):
                found += await asyncio.gather(*(one() for _ in range(together)))
            return found

        for _ in range(5):  # warm-up: imports, caches, the pool
            await one()
        cpu.clear()
        collecting = _GcTime()
        began_cpu = time.process_time()
        with collecting:
            times = sorted(await some(count))
        all_cpu = (time.process_time() - began_cpu) * 1000 / len(times)
        # CPU time of this process (the app, and httpx's in-process client): steadier than
        # the wall clock on a shared machine, and what limits a loaded server.
        print(
            f"{settings.DATABASE_URL.split('://')[0]}: {count} intakes, one at a time: "
            f"median {statistics.median(times):.1f} ms, best {times[0]:.1f} ms, "
            f"p90 {times[int(0.9 * len(times))]:.1f} ms; "
            f"CPU median {statistics.median(cpu):.1f} ms, best {min(cpu):.1f} ms"
            if together == 1
            else f"{settings.DATABASE_URL.split('://')[0]}: {len(times)} intakes, {together} at a "
            f"time: median {statistics.median(times):.1f} ms; CPU per intake {all_cpu:.2f} ms"
        )
        print(
            f"garbage collector: {collecting.seconds * 1000 / len(times):.3f} ms per intake "
            f"({collecting.runs[0]}/{collecting.runs[1]}/{collecting.runs[2]} collections "
            "of generation 0/1/2)"
        )
        if profile == "cprofile":
            import cProfile
            import pstats

            cprofiler = cProfile.Profile(time.process_time)  # CPU, not waiting
            cprofiler.enable()
            await some(20 if together == 1 else 5 * together)
            cprofiler.disable()
            stats = pstats.Stats(cprofiler).sort_stats(os.environ.get("PROFILE_SORT", "tottime"))
            stats.print_stats(int(os.environ.get("PROFILE_LINES", "35")))
            if os.environ.get("PROFILE_DUMP"):
                stats.dump_stats(os.environ["PROFILE_DUMP"])
        elif profile:
            from pyinstrument import Profiler

            # Together, sample the process as it runs (the event loop's idle time shows as its
            # own frame); one at a time, follow each intake's awaits.
            mode = "disabled" if together > 1 else "enabled"
            profiler = Profiler(interval=0.0002, async_mode=mode)
            profiler.start()
            if together > 1:
                await some(10 * together)
            else:
                for _ in range(10):
                    await one()
            profiler.stop()
            every = bool(os.environ.get("PROFILE_ALL"))  # every frame, libraries' too
            print(profiler.output_text(unicode=False, color=False, show_all=every))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--profile", nargs="?", const="pyinstrument", default="", choices=PROFILERS)
    parser.add_argument(
        "--own-texts", action="store_true", help="Woonstad with its own SMS and e-mail texts"
    )
    parser.add_argument("--email", action="store_true", help="the tenant has an e-mail address")
    parser.add_argument(
        "--together", type=int, default=1, help="intakes at once (group commit; CPU per intake)"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        folder = Path(tempfile.mkdtemp(prefix="meldkamer-profile-"))
        os.environ["DATABASE_URL"] = f"sqlite://{folder / 'profile.sqlite3'}"
        os.environ["VAR_DIR"] = str(folder / "var")
    else:
        os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
    os.environ.setdefault("SECRET_KEY", "profile-secret-key-not-for-production")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    asyncio.run(run(args.count, args.profile, args.own_texts, args.email, args.together))


if __name__ == "__main__":
    main()
