"""media/ is plain Python: it never imports server/, Starlette or Tortoise."""

from __future__ import annotations

import subprocess
import sys


def test_media_imports_neither_server_nor_web_framework_nor_orm() -> None:
    code = (
        "import sys, media; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'server', 'starlette', 'tortoise', 'sync', 'geo'}))"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"
