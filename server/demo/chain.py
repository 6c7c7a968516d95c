"""The demo's integration (docs/chain.md): the first demo contractor's ERP, switched off and
pointing at this machine, so trying /koppelingen sends nothing anywhere until someone runs a
local receiver and switches it on."""

from __future__ import annotations

from server.chain import outbound, secrets
from server.demo.staff import DEMO_CONTRACTOR_CODES
from server.models import Contractor, Integration

DEMO_ENDPOINT = "http://127.0.0.1:8099/vera/v4"


async def write_integrations() -> None:
    contractor = await Contractor.get(code=DEMO_CONTRACTOR_CODES[0])
    key = secrets.new_inbound_key()  # not shown: a supervisor makes a new one on the page
    await Integration.create(
        name=f"ERP {contractor.name}",
        contractor=contractor,
        endpoint_url=DEMO_ENDPOINT,
        secret=secrets.encrypt("demo-sleutel"),
        messages=[outbound.ORDER, outbound.APPOINTMENT],
        active=False,
        inbound_key_hash=secrets.key_hash(key),
        inbound_key_hint=key[-4:],
    )
