"""The geocoding chain: housing stock, cache, online geocoder, offline postcode table.

Steps are tried in order until one gives coordinates. The chain never raises and never waits
longer than its budget: a step that fails or is too slow is logged and skipped, and the offline
postcode table (no I/O) always runs last. Intake must not wait on, or fail because of, a
geocoder: the worst outcome is precision `onbekend`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Protocol, TypeGuard

from geo.address import UNKNOWN, Address, GeoResult, Precision
from geo.pc4 import load_table
from geo.point import Point

log = logging.getLogger(__name__)

StockLookup = Callable[[Address], Awaitable[Point | None]]
CacheGet = Callable[[str], Awaitable[GeoResult | None]]
CachePut = Callable[[str, GeoResult], Awaitable[None]]


class Step(Protocol):
    """One source of coordinates. `cacheable` results are stored through the chain's cache."""

    name: str
    cacheable: bool

    async def __call__(self, address: Address) -> GeoResult | None: ...


class OnlineGeocoder(Protocol):
    name: str

    async def geocode(self, address: Address) -> GeoResult | None: ...


class StockStep:
    """Coordinates the client's housing stock already holds (imported with the complexlijst)."""

    name = "woningbestand"
    cacheable = False

    def __init__(self, lookup: StockLookup) -> None:
        self._lookup = lookup

    async def __call__(self, address: Address) -> GeoResult | None:
        point = await self._lookup(address)
        if point is None:
            return None
        return GeoResult(point.lat, point.lon, Precision.ADRES, self.name)


class CacheStep:
    """Earlier online results, kept by the caller (the server backs it with its database)."""

    name = "cache"
    cacheable = False

    def __init__(self, get: CacheGet) -> None:
        self._get = get

    async def __call__(self, address: Address) -> GeoResult | None:
        found = await self._get(address.key)
        if found is None:
            return None
        return replace(found, source=f"{found.source} (cache)")


class OnlineStep:
    """An online geocoder (PDOK, Nominatim, Photon); its results go into the cache."""

    cacheable = True

    def __init__(self, geocoder: OnlineGeocoder) -> None:
        self._geocoder = geocoder
        self.name = geocoder.name

    async def __call__(self, address: Address) -> GeoResult | None:
        return await self._geocoder.geocode(address)


class PostcodeStep:
    """The offline PC4 table: synchronous, no I/O, so it runs outside the time budget."""

    name = "pc4"

    def __init__(self, table: dict[str, Point] | None = None) -> None:
        self._table = table

    def __call__(self, address: Address) -> GeoResult | None:
        table = self._table if self._table is not None else load_table()
        point = table.get(address.pc4)
        if point is None:
            return None
        return GeoResult(point.lat, point.lon, Precision.POSTCODE4, self.name)


class GeocodeChain:
    """Try `steps` in order within `budget` seconds in all, then the offline `fallback`.

    `cache_put` stores results of cacheable steps; it gets `put_timeout` seconds of its own so
    a slow cache write cannot lose a result that was already found.
    """

    def __init__(
        self,
        steps: Sequence[Step],
        *,
        fallback: Callable[[Address], GeoResult | None] | None = None,
        cache_put: CachePut | None = None,
        budget: float = 2.0,
        put_timeout: float = 0.5,
    ) -> None:
        self.steps = tuple(steps)
        self.fallback = fallback if fallback is not None else PostcodeStep()
        self.cache_put = cache_put
        self.budget = budget
        self.put_timeout = put_timeout

    async def geocode(self, address: Address) -> GeoResult:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.budget
        for step in self.steps:
            remaining = deadline - loop.time()
            if remaining <= 0:
                log.warning("geocoding budget of %.1fs used up before %s", self.budget, step.name)
                break
            result = await self._try(step, address, remaining)
            if result is not None:
                if step.cacheable:
                    await self._remember(address, result)
                return result
        return self._offline(address)

    async def _try(self, step: Step, address: Address, remaining: float) -> GeoResult | None:
        try:
            async with asyncio.timeout(remaining):
                result = await step(address)
        except TimeoutError:
            log.warning("geocoder %s gave no answer within %.2fs", step.name, remaining)
            return None
        except Exception as exc:
            # Any failure of one source only means: try the next one. An unreachable geocoder
            # is routine, so one line at warning level; the traceback only at debug level.
            log.warning("geocoder %s failed: %s: %s", step.name, type(exc).__name__, exc)
            log.debug("geocoder %s failure", step.name, exc_info=True)
            return None
        return result if _usable(result) else None

    async def _remember(self, address: Address, result: GeoResult) -> None:
        if self.cache_put is None:
            return
        try:
            async with asyncio.timeout(self.put_timeout):
                await self.cache_put(address.key, result)
        except Exception:
            log.warning("could not cache the geocoding result", exc_info=True)

    def _offline(self, address: Address) -> GeoResult:
        try:
            result = self.fallback(address)
        except Exception:
            log.error("offline geocoding failed", exc_info=True)
            return UNKNOWN
        return result if _usable(result) else UNKNOWN


def _usable(result: GeoResult | None) -> TypeGuard[GeoResult]:
    return result is not None and result.point is not None and result.precision != "onbekend"


def build_chain(
    *,
    stock: StockLookup | None = None,
    cache_get: CacheGet | None = None,
    cache_put: CachePut | None = None,
    online: OnlineGeocoder | None = None,
    budget: float = 2.0,
) -> GeocodeChain:
    """The standard chain: stock, cache, online, then the PC4 table; absent parts are skipped."""
    steps: list[Step] = []
    if stock is not None:
        steps.append(StockStep(stock))
    if cache_get is not None:
        steps.append(CacheStep(cache_get))
    if online is not None:
        steps.append(OnlineStep(online))
    return GeocodeChain(steps, cache_put=cache_put, budget=budget)
