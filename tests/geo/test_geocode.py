"""The geocoding chain: each source in turn, and intake never held up by an online geocoder."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from geo.address import Address, GeoResult, Precision, normalise_postcode
from geo.geocode import GeocodeChain, OnlineStep, PostcodeStep, build_chain
from geo.online import online_geocoder
from geo.point import Point
from tests.geo.servers import closed_port_url, fail, hang, serve

DAM = Address(postcode="1012 js", house_number=1, street="Dam", city="Amsterdam")
PC4_1012 = (52.3735, 4.8951)

PDOK_DOC = {
    "type": "adres",
    "weergavenaam": "Dam 1, 1012JS Amsterdam",
    "id": "adr-0363200000218908",
    "postcode": "1012JS",
    "huisnummer": 1,
    "straatnaam": "Dam",
    "woonplaatsnaam": "Amsterdam",
    "nummeraanduiding_id": "0363200000218908",
    "adresseerbaarobject_id": "0363010000696734",
    "centroide_ll": "POINT(4.89216 52.37316)",
}


def pdok(path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
    docs = [PDOK_DOC] if path.endswith(("/free", "/lookup")) else []
    return 200, {"response": {"numFound": len(docs), "start": 0, "docs": docs}}


def chain_for(url: str, *, budget: float = 0.8, timeout: float = 0.3) -> GeocodeChain:
    return build_chain(online=online_geocoder(url, timeout=timeout), budget=budget)


async def timed(chain: GeocodeChain, address: Address) -> tuple[GeoResult, float]:
    started = time.monotonic()
    result = await chain.geocode(address)
    return result, time.monotonic() - started


def test_postcode_is_normalised_and_keys_are_stable() -> None:
    assert normalise_postcode(" 1012 js ") == "1012JS"
    assert normalise_postcode("1012") == "1012"
    assert normalise_postcode("0123AB") == ""
    assert DAM.key == "1012JS|1|"
    assert Address("", 5, "a", " Dorps  Straat ", "Ede").key == "dorps straat|5|A|ede"
    assert DAM.one_line() == "Dam 1, 1012 JS Amsterdam"


@pytest.mark.parametrize("responder", [hang, fail], ids=["hangt", "http-500"])
async def test_unanswering_geocoder_falls_back_to_pc4_quickly(responder: Any) -> None:
    for kind in ("pdok", "nominatim", "photon"):
        with serve(responder) as server:
            result, seconds = await timed(chain_for(f"{kind}+{server.url}"), DAM)
            assert server.requests, kind
        assert (result.lat, result.lon) == PC4_1012
        assert result.precision == Precision.POSTCODE4
        assert result.source == "pc4"
        assert seconds < 1.0, (kind, seconds)


async def test_closed_port_falls_back_at_once() -> None:
    # Long timeout and budget: a refused connection must not wait for either.
    for kind in ("pdok", "nominatim", "photon"):
        chain = chain_for(f"{kind}+{closed_port_url()}", budget=10, timeout=5)
        result, seconds = await timed(chain, DAM)
        assert result.precision == Precision.POSTCODE4
        assert seconds < 1.0, (kind, seconds)


async def test_whole_chain_stays_within_its_budget_even_if_the_geocoder_timeout_is_long() -> None:
    with serve(hang) as server:
        chain = chain_for(f"pdok+{server.url}", budget=0.3, timeout=30)
        result, seconds = await timed(chain, DAM)
    assert result.precision == Precision.POSTCODE4
    assert seconds < 0.6


async def test_pdok_answer_gives_address_precision_and_bag_id() -> None:
    with serve(pdok) as server:
        result = await chain_for(f"pdok+{server.url}/bzk/locatieserver/search/v3_1").geocode(DAM)
        path, query = server.requests[0]
    assert result == GeoResult(52.37316, 4.89216, Precision.ADRES, "pdok", "0363200000218908")
    assert path == "/bzk/locatieserver/search/v3_1/free"
    assert query["fq"] == ["type:adres"]
    assert query["q"] == ["Dam 1, 1012 JS Amsterdam"]
    assert "centroide_ll" in query["fl"][0]


async def test_pdok_lookup_by_id() -> None:
    with serve(pdok) as server:
        geocoder = online_geocoder(f"pdok+{server.url}")
        result = await geocoder.lookup("adr-0363200000218908")  # type: ignore[attr-defined]
        assert server.requests[0][1]["id"] == ["adr-0363200000218908"]
    assert result is not None and result.bag_id == "0363200000218908"


async def test_pdok_answer_for_another_house_number_is_not_taken() -> None:
    other = Address(postcode="1012JS", house_number=3, street="Dam", city="Amsterdam")
    with serve(pdok) as server:
        result = await chain_for(f"pdok+{server.url}").geocode(other)
    assert result.precision == Precision.POSTCODE4


async def test_pdok_prefers_the_document_with_the_same_suffix() -> None:
    plain = {**PDOK_DOC, "centroide_ll": "POINT(4.0 52.0)"}
    with_a = {**PDOK_DOC, "huisletter": "A", "centroide_ll": "POINT(4.5 52.5)"}

    def two(path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        return 200, {"response": {"numFound": 2, "docs": [plain, with_a]}}

    with serve(two) as server:
        chain = chain_for(f"pdok+{server.url}")
        lettered = await chain.geocode(Address("1012JS", 1, "a"))
        bare = await chain.geocode(Address("1012JS", 1))
    assert (lettered.lat, lettered.lon) == (52.5, 4.5)
    assert (bare.lat, bare.lon) == (52.0, 4.0)


async def test_malformed_pdok_answer_falls_through() -> None:
    def broken(path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        return 200, {"unexpected": True}

    with serve(broken) as server:
        result = await chain_for(f"pdok+{server.url}").geocode(DAM)
    assert result.precision == Precision.POSTCODE4


async def test_nominatim_through_geopy() -> None:
    def nominatim(path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        return 200, [
            {
                "lat": "52.3731",
                "lon": "4.8926",
                "display_name": "1, Dam, Amsterdam",
                "address": {"house_number": "1", "road": "Dam", "postcode": "1012 JS"},
            }
        ]

    with serve(nominatim) as server:
        result = await chain_for(f"nominatim+{server.url}/nominatim").geocode(DAM)
        path, query = server.requests[0]
    assert result == GeoResult(52.3731, 4.8926, Precision.ADRES, "nominatim")
    assert path == "/nominatim/search"
    assert query["postalcode"] == ["1012JS"] and query["street"] == ["1 Dam"]
    assert query["countrycodes"] == ["nl"]


async def test_photon_street_level_answer_is_not_address_precision() -> None:
    def photon(path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [4.8926, 52.3731]},
            "properties": {"name": "Dam", "postcode": "1012 JS"},
        }
        return 200, {"type": "FeatureCollection", "features": [feature]}

    with serve(photon) as server:
        result = await chain_for(f"photon+{server.url}").geocode(DAM)
    assert result.precision == Precision.POSTCODE4


async def test_photon_house_answer() -> None:
    def photon(path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [4.8926, 52.3731]},
            "properties": {"housenumber": "1", "street": "Dam", "postcode": "1012 JS"},
        }
        return 200, {"type": "FeatureCollection", "features": [feature]}

    with serve(photon) as server:
        result = await chain_for(f"photon+{server.url}").geocode(DAM)
        path, query = server.requests[0]
    assert path == "/api" and query["bbox"] == ["3.2,50.7,7.3,53.7"]
    assert result == GeoResult(52.3731, 4.8926, Precision.ADRES, "photon")


async def test_housing_stock_comes_first_and_skips_everything_else() -> None:
    asked: list[str] = []

    async def stock(address: Address) -> Point | None:
        return Point(52.1, 5.1)

    async def cache_get(key: str) -> GeoResult | None:
        asked.append(key)
        return None

    result = await build_chain(stock=stock, cache_get=cache_get).geocode(DAM)
    assert result == GeoResult(52.1, 5.1, Precision.ADRES, "woningbestand")
    assert asked == []


async def test_online_result_is_cached_and_the_cache_answers_next_time() -> None:
    store: dict[str, GeoResult] = {}

    async def cache_get(key: str) -> GeoResult | None:
        return store.get(key)

    async def cache_put(key: str, result: GeoResult) -> None:
        store[key] = result

    with serve(pdok) as server:
        url = f"pdok+{server.url}"
        chain = build_chain(cache_get=cache_get, cache_put=cache_put, online=online_geocoder(url))
        first = await chain.geocode(DAM)
        second = await chain.geocode(DAM)
        assert len(server.requests) == 1
    assert store == {"1012JS|1|": first}
    assert second.source == "pdok (cache)" and second.point == first.point


async def test_failing_stock_and_cache_fall_through() -> None:
    async def stock(address: Address) -> Point | None:
        raise RuntimeError("database weg")

    async def cache_get(key: str) -> GeoResult | None:
        await asyncio.sleep(10)
        return None

    chain = build_chain(stock=stock, cache_get=cache_get, budget=0.2)
    result, seconds = await timed(chain, DAM)
    assert result.precision == Precision.POSTCODE4
    assert seconds < 0.5


async def test_slow_cache_write_does_not_lose_the_result() -> None:
    async def cache_put(key: str, result: GeoResult) -> None:
        await asyncio.sleep(10)

    with serve(pdok) as server:
        geocoder = online_geocoder(f"pdok+{server.url}")
        chain = GeocodeChain([OnlineStep(geocoder)], cache_put=cache_put, put_timeout=0.1)
        result = await chain.geocode(DAM)
    assert result.precision == Precision.ADRES


async def test_unknown_postcode_gives_onbekend() -> None:
    result = await build_chain().geocode(Address("0000", 1))
    assert result.precision == Precision.ONBEKEND and result.point is None
    assert (await build_chain().geocode(Address("", None, street="Nergens"))).source == "geen"


async def test_broken_offline_table_gives_onbekend() -> None:
    def broken(address: Address) -> GeoResult | None:
        raise OSError("bestand weg")

    result = await GeocodeChain([], fallback=broken).geocode(DAM)
    assert result.precision == Precision.ONBEKEND


def test_postcode_step_uses_the_shipped_table() -> None:
    result = PostcodeStep()(Address("3511AB", 1))
    assert result is not None and result.precision == Precision.POSTCODE4
    assert result.point == Point(52.0886, 5.1174)


@pytest.mark.parametrize(
    "url",
    ["https://api.pdok.nl", "google+https://x", "pdok+ftp://x", "nominatim+https://", "photon"],
)
def test_bad_geocoder_url_is_refused_with_its_value(url: str) -> None:
    with pytest.raises(ValueError, match="onbekende geocoder-URL") as info:
        online_geocoder(url)
    assert repr(url) in str(info.value)
