"""server/domain is plain Python (STYLE.md): none of its modules pulls in a web framework or ORM."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import server.domain


def test_every_domain_module_imports_neither_starlette_nor_tortoise() -> None:
    names = [f"server.domain.{m.name}" for m in pkgutil.iter_modules(server.domain.__path__)]
    code = (
        f"import importlib, sys; [importlib.import_module(n) for n in {names!r}]; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'tortoise')))"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert "server.domain.stock_sheet" in names
    assert result.stdout.strip() == "[]"
