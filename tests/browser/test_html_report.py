"""``preflight check --html`` end to end: a real run against the mock portal writes the page, and
Chromium opens it with every request refused: the verdict shows, the screenshots decode, and the
outline sits on the login form (measured independently, on the portal page itself).

A picture of the rendered report is kept at ``/tmp/html-report.png`` for people to look at.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

PICTURE = Path(os.environ.get("PREFLIGHT_HTML_PICTURE", "/tmp/html-report.png"))
OFFICIAL, LOOKALIKE = "cignaforhcp.cigna.com", "cignaforhcp-cigna.com"


def run_check(portal, urls, *extra: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "preflight", "check", *urls, "--trust-cert", str(portal.cert_path), "--timeout", "20"]
    for mapping in portal.connect_to_args():
        args += ["--connect-to", mapping]
    return subprocess.run(args + list(extra), capture_output=True, text=True, timeout=120)


def overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """Intersection over union of two boxes."""
    width = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
    height = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
    if width <= 0 or height <= 0:
        return 0.0
    shared = width * height
    return shared / (a["width"] * a["height"] + b["width"] * b["height"] - shared)


async def test_the_html_report_opens_offline_with_verdicts_pictures_and_outline(browser, mock_portal, tmp_path):
    report = tmp_path / "report.html"
    result = run_check(mock_portal, [mock_portal.url(OFFICIAL), mock_portal.url(LOOKALIKE)], "--html", str(report))
    assert result.returncode == 1, result.stderr  # the lookalike fails
    assert "domain.lookalike" in result.stdout  # the console report still goes to stdout

    # Where the login form really is on the portal page, in the same viewport the visit used.
    portal_page = await browser.new_page(viewport={"width": 1280, "height": 720})
    await portal_page.goto(mock_portal.url(OFFICIAL))
    form = await portal_page.locator("form:has(input[type=password])").bounding_box()
    await portal_page.close()
    assert form is not None

    context = await browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    requested: list[str] = []

    async def refuse(route) -> None:
        requested.append(route.request.url)
        if route.request.url == report.as_uri():
            await route.continue_()
        else:
            await route.abort()

    await context.route("**/*", refuse)
    page = await context.new_page()
    refused: list[str] = []
    page.on("requestfailed", lambda request: refused.append(request.url))
    try:
        await page.goto(report.as_uri())
        assert (await page.locator("#verdict").inner_text()).strip().lower() == "fail"
        sections = page.locator("section.target")
        assert await sections.count() == 2
        assert await sections.nth(0).get_attribute("data-verdict") == "pass"
        assert await sections.nth(1).get_attribute("data-verdict") == "fail"
        kinds = await page.locator("#answers li").evaluate_all("items => items.map(i => i.dataset.kind)")
        assert kinds == ["healthy", "untrusted"]

        for index in (1, 2):
            image = page.locator(f"#screenshot-{index}")
            natural = await image.evaluate("img => [img.complete, img.naturalWidth, img.naturalHeight]")
            assert natural == [True, 1280, 720], index
            outline = page.locator(f"#login-outline-{index}")
            assert await outline.is_visible(), index
            shown = await image.bounding_box()
            drawn = await outline.bounding_box()
            assert shown is not None and drawn is not None
            scale = shown["width"] / 1280
            expected = {"x": shown["x"] + form["x"] * scale, "y": shown["y"] + form["y"] * scale,
                        "width": form["width"] * scale, "height": form["height"] * scale}
            assert overlap(drawn, expected) > 0.85, (index, drawn, expected)

        # Narrower window: the picture shrinks and the outline stays on the form.
        await page.set_viewport_size({"width": 700, "height": 900})
        shown = await page.locator("#screenshot-1").bounding_box()
        drawn = await page.locator("#login-outline-1").bounding_box()
        assert shown is not None and drawn is not None and shown["width"] < 640
        scale = shown["width"] / 1280
        expected = {"x": shown["x"] + form["x"] * scale, "y": shown["y"] + form["y"] * scale,
                    "width": form["width"] * scale, "height": form["height"] * scale}
        assert overlap(drawn, expected) > 0.85
        await page.set_viewport_size({"width": 1280, "height": 900})
        await page.screenshot(path=str(PICTURE), full_page=True)
    finally:
        await context.close()
    assert requested == [report.as_uri()], "the report asked for something besides itself"
    assert refused == []
