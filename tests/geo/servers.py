"""Real local HTTP servers on 127.0.0.1 standing in for geocoders and routing engines."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# (path, query) -> (status, JSON body); None means: never answer (hang).
Responder = Callable[[str, dict[str, list[str]]], tuple[int, Any] | None]


@dataclass
class LocalServer:
    url: str
    requests: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)


@contextmanager
def serve(responder: Responder) -> Iterator[LocalServer]:
    """Serve `responder` on a free port; hanging requests are released when the block ends."""
    release = threading.Event()
    server_ref: list[LocalServer] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            server_ref[0].requests.append((parts.path, query))
            answer = responder(parts.path, query)
            if answer is None:
                release.wait(timeout=10)
                return
            status, body = answer
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    # A short poll interval: shutdown() waits for the next poll.
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    server_ref.append(LocalServer(f"http://127.0.0.1:{httpd.server_address[1]}"))
    try:
        yield server_ref[0]
    finally:
        release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def hang(path: str, query: dict[str, list[str]]) -> None:
    return None


def fail(path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
    return 500, {"error": "intern"}


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def osrm_table(minutes: Callable[[float, float], float | None]) -> Responder:
    """An OSRM table service: the route from origin (lat, lon) to the destination takes
    `minutes(lat, lon)` (None: no route), 1 km per minute. Answers like OSRM 5: `durations`
    in seconds and `distances` in metres, one row per source, one column per destination."""

    def respond(path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        prefix = "/table/v1/driving/"
        if not path.startswith(prefix):
            return 400, {"code": "InvalidUrl", "message": path}
        points = [tuple(map(float, pair.split(","))) for pair in path[len(prefix) :].split(";")]
        sources = [int(i) for i in query["sources"][0].split(";")]
        destinations = [int(i) for i in query["destinations"][0].split(";")]
        rows = [[minutes(points[s][1], points[s][0]) for _ in destinations] for s in sources]
        return 200, {
            "code": "Ok",
            "durations": [[None if m is None else m * 60.0 for m in row] for row in rows],
            "distances": [[None if m is None else m * 1000.0 for m in row] for row in rows],
        }

    return respond
