"""The triage domain is plain Python: importing it pulls in no web framework or ORM."""

from __future__ import annotations

import subprocess
import sys


def test_triage_imports_neither_starlette_nor_tortoise() -> None:
    code = (
        "import sys, server.triage; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'tortoise')))"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"
