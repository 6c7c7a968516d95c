"""The data both intake benchmarks (bench_http, profile_intake) start from: the test world's
two clients with their protocol published, and a stock of addresses to report at."""

from __future__ import annotations

from typing import Any


async def published_world_with_stock(addresses: int = 300) -> Any:
    from server.models import Address
    from server.protocols import protocols
    from tests.support import world

    w = await world.build()
    await protocols.current(w.woonstad)  # version 1 published, as the demo has it
    await protocols.current(w.lichtveld)
    for n in range(addresses):
        await Address.create(
            client=w.woonstad if n % 3 else w.lichtveld,
            street="Amsterdamsestraatweg",
            house_number=n + 1,
            postcode=f"35{n % 100:02d}AB",
            city="Utrecht",
            latitude=52.09 + n / 10_000,
            longitude=5.11 + n / 10_000,
        )
    return w
