"""The installable shell: manifest with icons, a service worker scoped to /monteur/ whose
version follows the shell's files, all of it reachable without a login (cold start offline)."""

from __future__ import annotations

import httpx
from PIL import Image

from server import settings
from server.web.pages.field import SHELL, shell_version
from server.web.static import split_hash, static_url


async def test_manifest_icons_and_worker(http: httpx.AsyncClient) -> None:
    manifest = (await http.get("/monteur/manifest.webmanifest")).json()
    assert manifest["start_url"] == "/monteur/" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        plain, _ = split_hash(icon["src"])  # named by content hash (server/web/static.py)
        path = settings.ROOT / "pwa" / plain.removeprefix("/")
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
    worker = await http.get("/monteur/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["cache-control"] == "no-cache"
    assert f'const VERSION = "{shell_version()}";' in worker.text
    assert '"/monteur/", "/monteur/manifest.webmanifest"' in worker.text
    shell = await http.get("/monteur/")
    assert shell.status_code == 200 and f'src="{static_url("monteur/app.js")}"' in shell.text
    assert (await http.get("/monteur", follow_redirects=False)).headers["location"] == "/monteur/"
    for url in SHELL:
        assert (await http.get(url)).status_code == 200, url
