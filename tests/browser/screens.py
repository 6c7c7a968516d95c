"""What "right on the screen" means, as checks a browser runs on a page that is open.

Each check returns problems in Dutch, one line per thing a user would notice:

- the page scrolls sideways;
- text runs out of its box (an element whose content is wider than it, without a scroll bar
  of its own to reach the rest);
- text in the colour of its background (computed text colour against the effective
  background: the first opaque background behind it, with half-transparent ones laid over);
- a table left to the browser's own style (cells spaced apart: unreadable as a list);
- an error in the console, a failed script, or a resource that answered 4xx/5xx (the
  favicon included);
- any axe-core violation (axe is injected with `evaluate`, which the page's CSP allows, so the
  app's CSP stays as it is).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Request, Response

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()

LAYOUT = (Path(__file__).parent / "screens.js").read_text()

AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) =>
    `axe ${v.id} (${v.impact}): ${v.help}: ` +
    v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ") +
    (v.nodes.length > 3 ? ` en nog ${v.nodes.length - 3}` : ""));
}"""


class Watch:
    """Console errors, script errors and failed resources of one page, per visit."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"scriptfout: {error}"))
        page.on("response", self._response)
        page.on("requestfailed", self._failed)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status} op {response.url}")

    def _failed(self, request: Request) -> None:
        # Leaving a page cancels its open requests (a live stream): not a fault of the page.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.problems.append(f"mislukt: {request.url} ({request.failure})")

    def take(self) -> list[str]:
        found, self.problems = self.problems, []
        return found


def check(page: Page, watch: Watch, *, axe: bool = True) -> list[str]:
    """Every problem of the page as it stands now (and what its loading logged)."""
    page.wait_for_load_state("networkidle")
    problems = list(page.evaluate(LAYOUT))
    if axe:
        page.evaluate(AXE)
        problems += page.evaluate(AXE_RUN)
    return problems + watch.take()
