"""A local stand-in for Chromium's push service (Google Cloud Messaging), so that headless
Chromium makes a real Web Push subscription without reaching Google.

Chromium takes its GCM addresses from `--gcm-checkin-url`, `--gcm-registration-url` and
`--gcm-mcs-endpoint`. To subscribe it needs two answers:

- the device check-in: an `AndroidCheckinResponse` protobuf with `stats_ok` (field 1), an
  `android_id` (field 7, fixed64) and a `security_token` (field 8, fixed64), both non-zero;
- the registration: a form post naming our VAPID public key as `sender`, answered `token=...`.

Chromium then hands the page a subscription with its own freshly made keys (p256dh, auth) and
the endpoint `https://<google host>/fcm/send/<token>` (`lokaal-<name>-<n>`). Delivery to the
browser (GCM's MCS protocol) is not imitated: the MCS endpoint points at a closed port.
"""

from __future__ import annotations

import http.server
import secrets
import struct
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


def checkin_response(android_id: int, security_token: int) -> bytes:
    stats_ok = b"\x08\x01"  # field 1, varint, true
    device = b"\x39" + struct.pack("<Q", android_id)  # field 7, fixed64
    token = b"\x41" + struct.pack("<Q", security_token)  # field 8, fixed64
    return stats_ok + device + token


@dataclass
class PushService:
    url: str
    # In every token, so endpoints of different runs differ as real ones do.
    name: str = field(default_factory=lambda: secrets.token_hex(4))
    answer: bool = True  # False: accept connections but never answer (an unreachable service)
    checkins: int = 0
    registrations: list[dict[str, str]] = field(default_factory=list)

    def args(self) -> list[str]:
        """Chromium's command-line switches that point it here."""
        return [
            f"--gcm-checkin-url={self.url}/checkin",
            f"--gcm-registration-url={self.url}/register",
            "--gcm-mcs-endpoint=https://127.0.0.1:9",
        ]


@contextmanager
def push_service(answer: bool = True) -> Iterator[PushService]:
    service = PushService(url="", answer=answer)
    stop = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            if not service.answer:
                stop.wait(30)
                return
            if self.path == "/checkin":
                service.checkins += 1
                out, kind = checkin_response(4242424242, 7070707070), "application/x-protobuf"
            else:
                form = dict(urllib.parse.parse_qsl(body.decode()))
                service.registrations.append(form)
                token = f"lokaal-{service.name}-{len(service.registrations)}"
                out, kind = f"token={token}".encode(), "text/plain"
            self.send_response(200)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
