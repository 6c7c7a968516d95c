"""What the two-factor check on every request costs (server/web/second_step.py), in process.

Run: DATABASE_URL=postgres://…/scratch .venv/bin/python -m bench.bench_second_step [--requests N]

The schema of DATABASE_URL is dropped and rebuilt by the migrations: point it at a scratch
database. Two sessions of the same desk agent ask the same small page (`GET /api/v1/clients`
with the session cookie) in turns: one passed the second step (`tf` in the session: the
middleware looks at nothing, as before it existed), one logged in with the password only
(the middleware reads the required roles once per request). Printed: CPU ms and wall ms per
request for each, and the difference.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import time

import httpx
import pyotp


async def _prepare(database_url: str) -> None:
    from server import db, settings
    from tests.support import world

    settings.DATABASE_URL = database_url
    await db.init()
    await db.connection().execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    await db.close()
    await db.migrate()
    await db.init()
    await world.build()


async def main(requests: int) -> None:
    from server.app import create_app
    from tests.support.world import PASSWORD

    await _prepare(os.environ["DATABASE_URL"])
    app = create_app(manage_db=False)
    transport = httpx.ASGITransport(app=app)
    sessions = {}
    # Password first: once she has set it up, a password-only login asks for the code.
    for name in ("alleen wachtwoord", "met tweestaps"):
        http = httpx.AsyncClient(transport=transport, base_url="http://bench")
        page = await http.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token
        await http.post(
            "/login",
            data={"csrf_token": token.group(1), "username": "anna.agent", "password": PASSWORD},
        )
        if name == "met tweestaps":
            enrol = await http.get("/account/tweestaps")
            secret = re.search(r"<code data-secret>([A-Z2-7 ]+)</code>", enrol.text)
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', enrol.text)
            assert secret and csrf
            code = pyotp.TOTP(secret.group(1).replace(" ", "")).now()
            await http.post("/account/tweestaps", data={"csrf_token": csrf.group(1), "code": code})
        check = await http.get("/api/v1/clients")
        assert check.status_code == 200, (name, check.status_code, check.text[:300])
        sessions[name] = http
    cpu = dict.fromkeys(sessions, 0.0)
    wall = dict.fromkeys(sessions, 0.0)
    for _ in range(requests):
        for name, http in sessions.items():
            c, w = time.process_time(), time.perf_counter()
            response = await http.get("/api/v1/clients")
            cpu[name] += time.process_time() - c
            wall[name] += time.perf_counter() - w
            assert response.status_code == 200
    for name in sessions:
        print(
            f"{name:>18}: {cpu[name] / requests * 1000:.3f} ms CPU,"
            f" {wall[name] / requests * 1000:.3f} ms wall per request"
        )
    extra = (cpu["alleen wachtwoord"] - cpu["met tweestaps"]) / requests * 1000
    print(f"{'verschil':>18}: {extra:.3f} ms CPU per request; load {os.getloadavg()[0]:.1f}")
    for http in sessions.values():
        await http.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    asyncio.run(main(args.requests))
