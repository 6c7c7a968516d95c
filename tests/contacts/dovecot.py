"""A private Dovecot IMAP server for the mail tests: its own configuration, mail and sockets
in a temporary folder, on free ports of 127.0.0.1 (plain IMAP with STARTTLS, and IMAP over TLS
with a self-signed certificate), plaintext login allowed, users in a passwd-file.

Dovecot's login processes refuse to run as root, and its mail processes refuse uid 0; when the
tests run as root (CI does) those run as `nobody`, and the mail folder is given to it. The
passwd-file holds a few hundred users, so each test has a mailbox of its own. The system's
Dovecot service, if any, is never touched: this one has its own base_dir, instance name and
port.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from imapclient import IMAPClient

from tests.messaging.servers import free_port
from tests.messaging.smtp_server import _tls_contexts

PASSWORD = "geheim-imap"
# Users made at start (Dovecot reads its passwd-file again only when it sees it change, which
# is not reliable within a second); each test takes new ones.
USERS = 500


def user_name(number: int) -> str:
    return f"box-{number:04d}@mail.test"


@dataclass
class Dovecot:
    port: int  # plain IMAP, STARTTLS offered
    folder: Path
    users: Path
    tls_port: int = 0  # IMAP over TLS from the start
    # A client context that trusts the server's self-signed certificate.
    tls_context: ssl.SSLContext | None = None

    handed_out: int = 0

    def user(self) -> str:
        """A mailbox (user) of its own: the next of those in the passwd-file."""
        self.handed_out += 1
        if self.handed_out > USERS:
            raise RuntimeError(f"more than {USERS} mailboxes asked for: raise USERS")
        return user_name(self.handed_out)

    def imap(self, user: str) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        try:
            client.login(user, PASSWORD)
        except Exception:
            client.shutdown()
            raise
        return client

    def deliver(self, user: str, raw: bytes, at: datetime, folder: str = "INBOX") -> None:
        """Put a mail in the mailbox as the server would (IMAP APPEND), received `at`."""
        with self.imap(user) as client:
            client.append(folder, raw, msg_time=at)

    def flags(self, user: str) -> list[tuple[bytes, ...]]:
        with self.imap(user) as client:
            client.select_folder("INBOX", readonly=True)
            found = client.get_flags(client.search(["ALL"]))
        return [tuple(found[uid]) for uid in sorted(found)]


def binary() -> str | None:
    return shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None
    )


def _config(root: Path, port: int, tls_port: int, extra: str = "") -> str:
    me = pwd.getpwuid(os.getuid())
    if os.getuid() == 0:
        login = mail = pwd.getpwnam("nobody")
    else:
        login = mail = me
    return f"""
base_dir = {root}/run
state_dir = {root}/state
instance_name = meldkamer-test-{port}
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
default_login_user = {login.pw_name}
default_internal_user = {me.pw_name}
default_internal_group = {grp.getgrgid(os.getgid()).gr_name}
first_valid_uid = 1
log_path = {root}/dovecot.log
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={mail.pw_uid} gid={mail.pw_gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
{extra}
"""


def _wait(
    port: int, process: subprocess.Popen[bytes], log: Path, tls: ssl.SSLContext | None = None
) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot stopped: {log.read_text() if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as raw:
                if tls is None:
                    if raw.recv(100).startswith(b"* OK"):
                        return
                    continue
                with tls.wrap_socket(raw, server_hostname="127.0.0.1") as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("dovecot did not answer within 15 s")


# What Dovecot 2.3 says it can do after the login, less IDLE: a server without IDLE.
WITHOUT_IDLE = """
protocol imap {
  imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS MOVE
}
"""


def start(extra: str = "") -> Iterator[Dovecot]:
    """Dovecot with our configuration, and `extra` configuration after it."""
    path = binary()
    assert path is not None
    root = Path(tempfile.mkdtemp(prefix="meldkamer-dovecot-"))
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir()
    os.chmod(root, 0o755)
    if os.getuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(root / "mail", nobody.pw_uid, nobody.pw_gid)
    users = root / "users"
    users.write_text("".join(f"{user_name(n)}:{{PLAIN}}{PASSWORD}\n" for n in range(1, USERS + 1)))
    port, tls_port = free_port(), free_port()
    _, client_context = _tls_contexts(root)
    (root / "dovecot.conf").write_text(_config(root, port, tls_port, extra))
    # Not under faketime (the suite's run a year ahead): Dovecot keeps its own clock; the tests
    # give every mail its moment.
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "FAKETIME")}
    process = subprocess.Popen(
        [path, "-F", "-c", str(root / "dovecot.conf")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port, process, root / "dovecot.log")
        _wait(tls_port, process, root / "dovecot.log", tls=client_context)
        yield Dovecot(port, root, users, tls_port, client_context)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)
