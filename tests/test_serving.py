"""`meldkamer serve` as it runs in production, over real sockets: a connection that sends
nothing, a request head or body that trickles in, and a body far over the limit are all cut
off within their timeouts, and the server goes on serving. Timeouts are set to a second or two
here so the tests stay short."""

from __future__ import annotations

import itertools
import os
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MELDKAMER = str(Path(sys.executable).parent / "meldkamer")
HEAD_TIMEOUT = 1.5
BODY_TIMEOUT = 1.0
KEEP_ALIVE = 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int]]:
    """(port, pid) of a running `meldkamer serve` on its own SQLite database."""
    tmp = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite://{tmp / 'serve.sqlite3'}",
        "VAR_DIR": str(tmp),
        "SECRET_KEY": "serve-test",
        "REDIS_URL": "",
        "REQUEST_HEAD_TIMEOUT": str(HEAD_TIMEOUT),
        "REQUEST_BODY_TIMEOUT": str(BODY_TIMEOUT),
        "KEEP_ALIVE_TIMEOUT": str(KEEP_ALIVE),
    }
    log = tmp / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [MELDKAMER, "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if ask(port, b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").startswith(
                    b"HTTP/1.1 200"
                ):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        yield port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def ask(port: int, request: bytes) -> bytes:
    """One request on its own connection; the answer's head and the start of its body."""
    with connect(port) as sock:
        sock.sendall(request)
        return sock.recv(65536)


def read_to_close(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    sock.settimeout(5)
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def closed_by_server(sock: socket.socket) -> bool:
    """Whether the server has closed (or reset) the connection, without waiting."""
    if not select.select([sock], [], [], 0)[0]:
        return False
    try:
        return sock.recv(65536, socket.MSG_PEEK) == b""
    except ConnectionResetError:
        return True


def wait_closed(sock: socket.socket, limit: float) -> float:
    """Seconds until the server closes `sock` (reading and dropping what it sends first)."""
    start = time.monotonic()
    sock.settimeout(limit)
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        pass
    except TimeoutError:
        pytest.fail(f"still open after {limit} s")
    return time.monotonic() - start


def rss_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))


def test_an_idle_keep_alive_connection_is_closed(server: tuple[int, int]) -> None:
    port, _ = server
    with connect(port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        assert wait_closed(sock, KEEP_ALIVE + 3) < KEEP_ALIVE + 1


def test_a_connection_that_never_sends_is_closed(server: tuple[int, int]) -> None:
    port, _ = server
    with connect(port) as sock:
        assert HEAD_TIMEOUT - 0.3 < wait_closed(sock, HEAD_TIMEOUT + 3) < HEAD_TIMEOUT + 1


def trickle(sock: socket.socket, pieces: Iterator[bytes], limit: float) -> float:
    """Send a piece every 0.2 s until the server closes the connection; the seconds it took."""
    start = time.monotonic()
    try:
        while not closed_by_server(sock):
            assert time.monotonic() - start < limit, "the trickle was never cut off"
            sock.sendall(next(pieces))
            time.sleep(0.2)
    except (BrokenPipeError, ConnectionResetError):
        pass
    return time.monotonic() - start


def test_a_request_head_that_trickles_in_is_cut_off(server: tuple[int, int]) -> None:
    port, _ = server
    with connect(port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n")
        took = trickle(sock, itertools.repeat(b"X-Trickle: a\r\n"), HEAD_TIMEOUT + 2)
        assert took > HEAD_TIMEOUT - 0.3
    # The next head after an answer has the same deadline.
    with connect(port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        took = trickle(sock, itertools.chain([b"GET /healthz"], itertools.repeat(b"x")), 4)
        assert took > HEAD_TIMEOUT - 0.3


def test_a_body_that_trickles_in_is_answered_408_and_closed(server: tuple[int, int]) -> None:
    port, _ = server
    with connect(port) as sock:
        start = time.monotonic()
        sock.sendall(
            b"POST /login HTTP/1.1\r\nHost: t\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
        )
        while not select.select([sock], [], [], 0)[0]:
            assert time.monotonic() - start < BODY_TIMEOUT + 3, "the trickle was never cut off"
            sock.sendall(b"username=a&pad=aaaa")
            time.sleep(0.2)
        answer = sock.recv(65536)
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert b"connection: close" in answer.lower()
        wait_closed(sock, 2)


def test_a_body_far_over_the_limit_is_not_read(server: tuple[int, int]) -> None:
    port, pid = server
    before = rss_kb(pid)
    # Said up front: refused before a byte of the body is sent.
    with connect(port) as sock:
        sock.sendall(
            b"POST /login HTTP/1.1\r\nHost: t\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 200000000\r\n\r\n"
        )
        answer = read_to_close(sock)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"De verzonden gegevens zijn te groot (hoogstens 1 MB)." in answer
    # Chunked, so the size shows only as it comes: the server stops taking it past 1 MB.
    sent = 0
    chunk = b"10000\r\n" + b"a" * 0x10000 + b"\r\n"
    with connect(port) as sock:
        sock.sendall(
            b"POST /login HTTP/1.1\r\nHost: t\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        sock.settimeout(5)
        try:
            while sent < 200_000_000 and not select.select([sock], [], [], 0)[0]:
                sock.sendall(chunk)
                sent += 0x10000
            answer = sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError, TimeoutError):
            answer = b"(reset: the answer was sent, then the connection closed unread)"
    # What localhost's socket buffers take beyond the limit, and no more.
    assert sent < 20_000_000, sent
    assert answer.startswith(b"HTTP/1.1 413") or answer.startswith(b"(reset"), answer[:200]
    assert ask(port, b"GET /login HTTP/1.1\r\nHost: t\r\n\r\n").startswith(b"HTTP/1.1 200")
    assert rss_kb(pid) - before < 50_000


def test_a_request_head_over_16_kb_is_refused(server: tuple[int, int]) -> None:
    port, _ = server
    with connect(port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n")
        sock.sendall(b"".join(b"X-Pad-%d: %s\r\n" % (i, b"a" * 200) for i in range(90)) + b"\r\n")
        answer = read_to_close(sock)
    assert answer.startswith(b"HTTP/1.1 431"), answer[:200]
    assert b"De aanvraag is te groot" in answer
    # A head just under the limit is answered, and the server goes on serving.
    pad = b"".join(b"X-Pad-%d: %s\r\n" % (i, b"a" * 200) for i in range(70))
    assert ask(port, b"GET /healthz HTTP/1.1\r\nHost: t\r\n" + pad + b"\r\n").startswith(
        b"HTTP/1.1 200"
    )
