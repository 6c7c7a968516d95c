"""The management dashboard draws its charts in a real browser, from our own origin only."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.test_intake import login


def test_dashboard_renders_charts_and_tables(page: Page) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, "anna.agent")
    page.goto("/dashboard?periode=90d")
    expect(page.locator("h1")).to_contain_text("Managementdashboard")
    canvas = page.locator("canvas[data-chart=meldingen]")
    expect(canvas).to_be_visible()
    page.wait_for_function(
        "() => window.Chart && window.Chart.getChart(document.querySelector"
        "('canvas[data-chart=meldingen]')) !== undefined"
    )
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-chart]')]"
        ".filter(c => window.Chart.getChart(c)).length"
    )
    assert drawn >= 5
    # Every chart has its table view and an Excel link for its numbers.
    page.locator("#grafiek-kanalen summary").click()
    expect(page.locator("#grafiek-kanalen table")).to_contain_text("Kanaal")
    expect(page.locator("#grafiek-heatmap table.heatmap")).to_contain_text("ma")
    expect(page.locator("a[href^='/dashboard/grafiek/meldingen.xlsx']")).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
