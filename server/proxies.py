"""Which peers may say, in X-Forwarded-For and X-Forwarded-Proto, whom they forward for.

uvicorn on its own believes those headers from any loopback peer, so anyone on the machine (or
a proxy that passes the client's own header on) could pick the address the login limit counts.
`meldkamer serve` believes them only from TRUSTED_PROXIES, and from nobody by default.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from server import settings


def uvicorn_options(trusted: tuple[str, ...] | None = None) -> dict[str, Any]:
    """uvicorn's proxy_headers and forwarded_allow_ips for the trusted proxies (a bad entry is
    refused with ValueError: a typo must not quietly trust the wrong peers)."""
    trusted = settings.TRUSTED_PROXIES if trusted is None else trusted
    for entry in trusted:
        if entry == "*":  # every peer: only where nothing but the proxy can reach the port
            continue
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(
                f"TRUSTED_PROXIES: '{entry}' is geen IP-adres of netwerk (zoals 10.0.0.5 of"
                " 10.0.0.0/24)."
            ) from None
    if not trusted:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": list(trusted)}
