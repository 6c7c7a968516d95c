"""Where a dossier's address is: coordinates from the housing stock at once, otherwise a
background job runs the geocoding chain (docs/geo.md) and records the result.

Intake never waits on this: `schedule` only queues the job, and a failure to queue is logged,
not raised. The dossier keeps how precise its coordinates are (`geo_precision`).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from geo.address import Address as GeoAddress
from geo.address import GeoResult, Precision
from geo.geocode import GeocodeChain, OnlineGeocoder, build_chain
from geo.online import online_geocoder
from geo.pc4 import load_table
from geo.point import Point
from server import live, settings
from server.dossiers import events
from server.jobs import queue
from server.models import Address, Dossier, GeocodeCache

log = logging.getLogger("meldkamer.geocoding")
PRECISION_TEXT = {
    "adres": "locatie op adres",
    "postcode4": "locatie op postcodeniveau",
    "onbekend": "locatie onbekend",
}
# Queuing onto Redis must not hold up an intake when Redis is slow or down.
SCHEDULE_TIMEOUT = 1.0


def geo_address(dossier: Dossier) -> GeoAddress:
    return GeoAddress(
        dossier.postcode, dossier.house_number, dossier.suffix, dossier.street, dossier.city
    )


def point_of(dossier: Dossier) -> Point | None:
    """The dossier's coordinates, or the centroid of its 4-digit postcode while the job has not
    run yet (no I/O), or None."""
    if dossier.latitude is not None and dossier.longitude is not None:
        return Point(dossier.latitude, dossier.longitude)
    return load_table().get(dossier.postcode[:4])


async def schedule(dossier: Dossier) -> None:
    """Queue geocoding for a dossier the housing stock gave no coordinates."""
    if dossier.geo_source:
        return
    try:
        async with asyncio.timeout(SCHEDULE_TIMEOUT):
            await queue.enqueue("geocode_dossier", dossier.id, job_id=f"geocode:{dossier.id}")
    except Exception as exc:
        # The board falls back to the postcode centroid (point_of); intake goes on.
        log.warning("could not queue geocoding of %s: %s", dossier.order_number, exc)


def online_from_settings() -> OnlineGeocoder | None:
    if not settings.GEOCODER_URL:
        return None
    return online_geocoder(settings.GEOCODER_URL, timeout=settings.GEOCODER_TIMEOUT)


def chain_for(client_id: int, online: OnlineGeocoder | None) -> GeocodeChain:
    async def stock(address: GeoAddress) -> Point | None:
        row = await Address.get_or_none(
            client_id=client_id,
            postcode=address.pc6,
            house_number=address.house_number,
            suffix=address.suffix.strip().upper(),
        )
        if row is None or row.latitude is None or row.longitude is None:
            return None
        return Point(row.latitude, row.longitude)

    return build_chain(
        stock=stock,
        cache_get=cache_get,
        cache_put=cache_put,
        online=online,
        budget=settings.GEOCODER_TIMEOUT,
    )


async def cache_get(key: str) -> GeoResult | None:
    row = await GeocodeCache.get_or_none(key=key)
    if row is None:
        return None
    return GeoResult(row.latitude, row.longitude, Precision(row.precision), row.source, row.bag_id)


async def cache_put(key: str, result: GeoResult) -> None:
    if result.lat is None or result.lon is None:
        return
    await GeocodeCache.update_or_create(
        key=key,
        defaults={
            "latitude": result.lat,
            "longitude": result.lon,
            "precision": result.precision.value,
            "source": result.source,
            "bag_id": result.bag_id,
            "created_at": datetime.now(UTC),
        },
    )


async def geocode_dossier(
    dossier_id: int, online: OnlineGeocoder | None = None, *, use_settings: bool = True
) -> GeoResult | None:
    """Run the chain for one dossier and record the outcome; None when there is nothing to do
    (gone, or already geocoded)."""
    dossier = await Dossier.get_or_none(id=dossier_id)
    if dossier is None or dossier.geo_source:
        return None
    if online is None and use_settings:
        online = online_from_settings()
    chain = chain_for(dossier.client_id, online)  # type: ignore[attr-defined]
    result = await chain.geocode(geo_address(dossier))
    await record(dossier, result)
    return result


async def record(dossier: Dossier, result: GeoResult) -> None:
    """Store the coordinates without bumping the dossier's version: they are not something an
    agent edits, so a concurrent edit of the details must not conflict with them."""
    at = datetime.now(UTC)
    values = {
        "latitude": result.lat,
        "longitude": result.lon,
        "geo_precision": result.precision.value,
        "geo_source": result.source,
    }
    async with in_transaction() as conn:
        await Dossier.filter(id=dossier.id).using_db(conn).update(**values)
        await events.record(
            dossier,
            "geocoded",
            None,
            at,
            conn,
            precision=result.precision.value,
            source=result.source,
        )
    for key, value in values.items():
        setattr(dossier, key, value)
    data = {"order_number": dossier.order_number, "geo_precision": result.precision.value}
    await live.publish(f"dossier:{dossier.order_number}", "geocoded", data)
    await live.publish("board", "dossier", data)
