"""docs/geo.md stays true: every dotted name it mentions exists, and it shows the figures."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "geo.md"
NAME = re.compile(r"`((?:geo|server\.domain)\.[a-z_0-9]+(?:\.[A-Za-z_0-9]+)*)")


def resolve(dotted: str) -> object:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            target = getattr(target, attribute)
        return target
    raise ModuleNotFoundError(dotted)


def test_every_named_module_and_function_exists() -> None:
    names = set(NAME.findall(DOC.read_text(encoding="utf-8")))
    assert len(names) > 20
    for name in sorted(names):
        resolve(name)


def test_both_benchmarks_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "bench.bench_nearest" in text and "bench.bench_slots" in text
