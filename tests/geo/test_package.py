"""geo/ stands on its own (DESIGN.md): it never imports server/, and the dispatch domain pulls
in no web framework or ORM."""

from __future__ import annotations

import subprocess
import sys

import pytest


def loaded_after(module: str) -> list[str]:
    code = (
        f"import sys, {module}; "
        "tops = {m.split('.')[0] for m in sys.modules}; "
        "print(' '.join(sorted(tops & {'server', 'starlette', 'tortoise'})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.split()


@pytest.mark.parametrize("module", ["geo.geocode", "geo.online", "geo.distance", "geo.index"])
def test_geo_imports_no_server(module: str) -> None:
    assert loaded_after(module) == []


@pytest.mark.parametrize(
    "module", ["server.domain.dispatch", "server.domain.duty", "server.domain.slots"]
)
def test_dispatch_domain_is_plain_python(module: str) -> None:
    assert loaded_after(module) == ["server"]
