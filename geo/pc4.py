"""The offline postcode table: Dutch 4-digit postcode centroids shipped in geo/data/.

Source and licence (GeoNames, CC BY 4.0) are in geo/data/README.md.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from geo.point import Point

DEFAULT_PATH = Path(__file__).with_name("data") / "nl_pc4.csv"
# CC BY 4.0 asks for this credit wherever positions from the table are shown.
ATTRIBUTION = "Postcode-coördinaten: © GeoNames (www.geonames.org), CC BY 4.0"


def read_table(path: Path) -> dict[str, Point]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row["pc4"]: Point(float(row["lat"]), float(row["lon"]))
            for row in csv.DictReader(handle)
        }


@lru_cache(maxsize=4)
def load_table(path: Path = DEFAULT_PATH) -> dict[str, Point]:
    """The table, read once per process (about 4,000 rows, a few milliseconds)."""
    return read_table(path)
