"""The `meldkamer` command as an operator runs it: a real process on a fresh database."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
MELDKAMER = str(Path(sys.executable).parent / "meldkamer")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite://{tmp_path / 'cli.sqlite3'}",
        "VAR_DIR": str(tmp_path),
        "SECRET_KEY": "cli-test",
    }


def run(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [MELDKAMER, *args],
        env=env,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrate_then_createuser_reads_password_from_stdin(env: dict[str, str]) -> None:
    migrated = run(env, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert "Database bijgewerkt" in migrated.stdout
    made = run(
        env,
        "createuser",
        "Sanne",
        "--role",
        "supervisor",
        "--name",
        "Sanne de Wit",
        "--password-stdin",
        stdin="een-lang-wachtwoord\n",
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "Gebruiker sanne (supervisor) aangemaakt."
    again = run(
        env,
        "createuser",
        "sanne",
        "--role",
        "agent",
        "--password-stdin",
        stdin="een-lang-wachtwoord\n",
    )
    assert again.returncode == 2
    assert "Gebruiker 'sanne' bestaat al." in again.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["kort", "--role", "agent"], "Het wachtwoord moet minstens 10 tekens hebben."),
        (["wim", "--role", "client"], "Een opdrachtgever-gebruiker hoort bij een opdrachtgever"),
        (["wim", "--role", "client", "--client", "XYZ"], "Opdrachtgever 'XYZ' bestaat niet."),
        (["wim", "--role", "agent", "--client", "XYZ"], "Alleen gebruikers met rol 'client'"),
    ],
)
def test_createuser_refuses_bad_input_clearly(
    env: dict[str, str], args: list[str], message: str
) -> None:
    run(env, "migrate")
    password = "kort\n" if args[0] == "kort" else "een-lang-wachtwoord\n"
    result = run(env, "createuser", *args, "--password-stdin", stdin=password)
    assert result.returncode == 2
    assert message in result.stderr


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("password12", "het is (of lijkt op) een veelgebruikt wachtwoord"),
        (" " * 10, "het herhaalt tekens of stukjes"),
        ("anna.agent", "het bestaat vooral uit uw gebruikersnaam, naam of e-mailadres"),
    ],
)
def test_createuser_refuses_an_easy_password_and_says_why(
    env: dict[str, str], password: str, reason: str
) -> None:
    run(env, "migrate")
    result = run(
        env, "createuser", "anna.agent", "--role", "agent", "--password-stdin", stdin=password
    )
    assert result.returncode == 2
    assert f"Fout: Dit wachtwoord is te makkelijk te raden: {reason}" in result.stderr


def test_setpassword_follows_the_rule_and_replaces_the_password(env: dict[str, str]) -> None:
    run(env, "migrate")
    made = run(
        env,
        "createuser",
        "sanne",
        "--role",
        "supervisor",
        "--password-stdin",
        stdin="kaasschaaf fietsbel regenjas\n",
    )
    assert made.returncode == 0, made.stderr
    easy = run(env, "setpassword", "sanne", "--password-stdin", stdin="Welkom2025!\n")
    assert easy.returncode == 2
    assert "Dit wachtwoord is te makkelijk te raden" in easy.stderr
    nobody = run(env, "setpassword", "niemand", "--password-stdin", stdin="x\n")
    assert nobody.returncode == 2 and "Gebruiker 'niemand' bestaat niet." in nobody.stderr
    done = run(env, "setpassword", "sanne", "--password-stdin", stdin="lantaarnpaal zeilboot\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "Nieuw wachtwoord voor sanne ingesteld. Alle sessies en API-tokens van deze gebruiker"
        " zijn beëindigd; een blokkade na mislukte inlogpogingen is opgeheven."
    )


def test_worker_without_redis_says_what_to_do(env: dict[str, str]) -> None:
    env.pop("REDIS_URL", None)
    result = run(env, "worker")
    assert result.returncode == 2
    assert "zet REDIS_URL" in result.stdout


def test_reset_device_and_prune_sync(env: dict[str, str]) -> None:
    run(env, "migrate")
    made = run(
        env,
        "createuser",
        "piet",
        "--role",
        "technician",
        "--trade",
        "CVI",
        "--home-postcode",
        "3572AB",
        "--password-stdin",
        stdin="een-lang-wachtwoord\n",
    )
    assert made.returncode == 0, made.stderr
    reset = run(env, "reset-device", "piet")
    assert reset.returncode == 0, reset.stderr
    assert reset.stdout.strip() == (
        "0 apparaten van piet: volgende synchronisatie haalt alles opnieuw op."
    )
    unknown = run(env, "reset-device", "piet", "--device", "d1234567890")
    assert unknown.returncode == 2
    assert "Apparaat 'd1234567890' van piet bestaat niet." in unknown.stderr
    nobody = run(env, "reset-device", "niemand")
    assert nobody.returncode == 2 and "Gebruiker 'niemand' bestaat niet." in nobody.stderr
    pruned = run(env, "prune-sync", "--days", "30")
    assert pruned.returncode == 0, pruned.stderr
    assert pruned.stdout.strip() == "0 wijzigingen ouder dan 30 dagen verwijderd."


def test_help_is_dutch_and_explains_every_option(env: dict[str, str]) -> None:
    english = ("usage:", "show this help", "positional arguments", "options:", "optional argu")
    for args in (["--help"], ["serve", "--help"], ["import-addresses", "--help"]):
        shown = run(env, *args)
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.startswith("gebruik: meldkamer")
        assert not [word for word in english if word in shown.stdout], shown.stdout
    columns = run(env, "import-addresses", "--help").stdout
    for column in ("straat", "huisnummer", "postcode", "plaats", "toevoeging", "complex"):
        assert column in columns
    wrong = run(env, "createuser", "wim")
    assert wrong.returncode == 2
    assert "meldkamer createuser: fout: deze argumenten ontbreken: --role" in wrong.stderr


def test_serve_uses_its_own_port_for_links_without_base_url(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from server import settings
    from server.communication import links

    monkeypatch.setattr(settings, "BASE_URL_SET", False)
    monkeypatch.setattr(settings, "BASE_URL", "http://localhost:8000")
    assert settings.served_at("127.0.0.1", 8123) == "http://localhost:8123"
    assert links.url(7, links.TRACKING).startswith("http://localhost:8123/volg/")
    assert settings.served_at("meldkamer.lan", 9000) == "http://meldkamer.lan:9000"
    # A BASE_URL that was set (behind a proxy) stays.
    monkeypatch.setattr(settings, "BASE_URL_SET", True)
    monkeypatch.setattr(settings, "BASE_URL", "https://meldkamer.example.nl")
    assert settings.served_at("127.0.0.1", 8123) == "https://meldkamer.example.nl"


@contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    """`meldkamer serve` on a free port; yields its base URL once it answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with subprocess.Popen(
        [MELDKAMER, "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as server:
        try:
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "meldkamer serve did not start"
                time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=20)


@pytest.mark.parametrize(
    ("trusted", "fifth_try"),
    [
        # The default trusts no forwarded header: every try counts for the real peer.
        ("", 429),
        # Behind a proxy that is named, each try counts for the address it forwards.
        ("127.0.0.1", 401),
    ],
)
def test_serve_counts_failed_logins_by_the_peer_unless_it_is_a_trusted_proxy(
    env: dict[str, str], trusted: str, fifth_try: int
) -> None:
    # One failure per name, so four per address; each try claims another address.
    env.update({"LOGIN_MAX_FAILURES": "1", "TRUSTED_PROXIES": trusted})
    with serving(env) as base:
        codes = [
            httpx.post(
                base + "/api/v1/auth/token",
                json={"username": f"naam{n}", "password": "fout-fout-fout"},
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
                timeout=30,
            ).status_code
            for n in range(5)
        ]
    assert codes == [401, 401, 401, 401, fifth_try]


def test_serve_refuses_a_trusted_proxy_that_is_no_address(env: dict[str, str]) -> None:
    env["TRUSTED_PROXIES"] = "10.0.0.5, proxy.intern"
    result = run(env, "serve", "--port", "1")
    assert result.returncode == 2
    assert (
        "Fout: TRUSTED_PROXIES: 'proxy.intern' is geen IP-adres of netwerk (zoals 10.0.0.5 of"
        " 10.0.0.0/24)." in result.stderr
    )


def test_createuser_technician_makes_the_technician_with_trades_and_home(
    env: dict[str, str], tmp_path: Path
) -> None:
    run(env, "migrate")
    made = run(
        env,
        "createuser",
        "piet",
        "--role",
        "technician",
        "--name",
        "Piet van Dam",
        "--trade",
        "cvi",
        "--trade",
        "LOO",
        "--home-postcode",
        "3572 ab",
        "--phone",
        "06 2381 4410",
        "--password-stdin",
        stdin="kaasschaaf fietsbel regenjas\n",
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines() == [
        "Gebruiker piet (technician) aangemaakt.",
        "Monteur Piet van Dam: Cv-installateur, Loodgieter; thuisbasis 3572 AB.",
        "Zijn diensten stelt de supervisie in (PUT /api/v1/technicians/1/duty).",
    ]
    with sqlite3.connect(tmp_path / "cli.sqlite3") as conn:
        row = conn.execute(
            "SELECT t.name, t.trades, t.home_postcode, t.home_latitude IS NOT NULL, t.phone,"
            " t.active FROM technician t JOIN user u ON u.id = t.user_id WHERE u.username = ?",
            ("piet",),
        ).fetchone()
    conn.close()
    assert row is not None
    name, trades, postcode, located, phone, active = row
    assert (name, json.loads(trades), postcode, located, phone, active) == (
        "Piet van Dam",
        ["CVI", "LOO"],
        "3572AB",
        1,
        "+31623814410",
        1,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--role", "technician"],
            "Een monteur heeft minstens één vakdiscipline nodig (--trade CODE, te herhalen):",
        ),
        (
            ["--role", "technician", "--home-postcode", "3572AB"],
            "Een monteur heeft minstens één vakdiscipline nodig (--trade CODE, te herhalen):"
            " CVI (Cv-installateur), LOO (Loodgieter),",
        ),
        (
            ["--role", "technician", "--trade", "CVI"],
            "Een monteur heeft een thuispostcode nodig (--home-postcode 1234 AB)",
        ),
        (
            ["--role", "technician", "--trade", "XYZ", "--home-postcode", "3572AB"],
            "Onbekende vakdiscipline 'XYZ'. Mogelijk: CVI (Cv-installateur),",
        ),
        (
            ["--role", "technician", "--trade", "CVI", "--home-postcode", "35720"],
            "'35720' is geen geldige postcode (zoals 1234 AB).",
        ),
        (
            ["--role", "agent", "--trade", "CVI"],
            "Alleen een monteur (--role technician) heeft vakdisciplines",
        ),
    ],
)
def test_createuser_technician_refuses_what_is_missing_and_makes_no_user(
    env: dict[str, str], tmp_path: Path, args: list[str], message: str
) -> None:
    run(env, "migrate")
    result = run(
        env, "createuser", "piet", *args, "--password-stdin", stdin="kaasschaaf fietsbel regenjas"
    )
    assert result.returncode == 2
    assert message in result.stderr
    with sqlite3.connect(tmp_path / "cli.sqlite3") as conn:
        users = conn.execute("SELECT count(*) FROM user").fetchone()[0]
    conn.close()
    assert users == 0


def test_call_counts_are_rebuilt_from_the_contacts(env: dict[str, str]) -> None:
    assert run(env, "migrate").returncode == 0
    path = env["DATABASE_URL"].removeprefix("sqlite://")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO contact (channel, source, caller, caller_name, line, agent_name, "
            "agent_ref, state, offered_at, subject, result_label, referred_to, note, "
            "transferred_to, transferred_name, events_folded, created_at, updated_at) VALUES "
            "('telefoon_in', 'api', '', '', '', '', '', 'gemist', "
            "'2026-10-25 00:30:00+00:00', '', '', '', '', '', '', 0, "
            "'2026-10-25 00:30:00+00:00', '2026-10-25 00:30:00+00:00')"
        )
        conn.execute("DELETE FROM contact_hour")  # as if the counts were lost
    rebuilt = run(env, "belcijfers-tellen")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "opnieuw opgebouwd: 1 rijen" in rebuilt.stdout
    with sqlite3.connect(path) as conn:
        found = conn.execute("SELECT client_id, hour, contacts FROM contact_hour").fetchall()
    assert found == [(0, "2026-10-25 00:00:00+00:00", 1)]


def test_report_builds_a_clients_week_now(env: dict[str, str], tmp_path: Path) -> None:
    assert run(env, "migrate").returncode == 0
    path = env["DATABASE_URL"].removeprefix("sqlite://")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO client (code, name, kind, email, phone, office_hours, oncall_name, "
            "oncall_phone, oncall_email, settings, active, created_at) VALUES ('WST', "
            "'Woonstad Utrecht', 'woningcorporatie', '', '', '{}', '', '', '', '{}', 1, "
            "'2026-01-01 00:00:00+00:00')"
        )
    out = tmp_path / "rapporten"
    made = run(
        env, "report", "--client", "wst", "--week", "2026-W23", "--no-send", "--output", str(out)
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines()[0] == (
        "Weekrapportage week 23 2026 (01-06-2026 t/m 07-06-2026) voor Woonstad Utrecht: "
        "gemaakt, niet verstuurd."
    )
    assert (out / "weekrapportage-WST-2026-W23.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "weekrapportage-WST-2026-W23.xlsx").read_bytes().startswith(b"PK")
    # Sent without recipients: kept, and the status says why nothing went.
    sent = run(env, "report", "--client", "WST", "--week", "2026-W23")
    assert "geen ontvangers ingesteld" in sent.stdout
    unknown = run(env, "report", "--client", "XXX", "--month", "2026-11")
    assert unknown.returncode == 2 and "Opdrachtgever 'XXX' bestaat niet." in unknown.stderr
    bad = run(env, "report", "--client", "WST", "--week", "week 23")
    assert bad.returncode == 2 and "'week 23' is geen week als 2026-W23." in bad.stderr
