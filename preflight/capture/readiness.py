"""``preflight doctor``'s look at the browser itself: does the chosen one launch headless, which
version is it, do JavaScript and cookies work in it, and which policies are in force.

One launch, two pages: a page served by the route (never by the network: its host
``doctor.preflight.invalid`` does not exist) whose inline script sets a cookie and reads it back,
and ``chrome://policy`` (read as ``capture.policy`` reads it). Everything bounded by one cap;
the browser is closed on every path, so no Chromium is left behind.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from preflight.capture import browser as browser_mod
from preflight.capture.policy import _READ_ROWS, POLICY_URL
from preflight.errors import PreflightError
from preflight.model.policy import PolicyEntry

PROBE_URL = "https://doctor.preflight.invalid/"
PROBE_PAGE = """<!doctype html><title>preflight doctor</title><script>
document.cookie = "preflight_doctor_script=1; Secure; SameSite=Lax; path=/";
document.title = "js-ran " + (document.cookie.indexOf("preflight_doctor_script=1") >= 0 ? "cookie-kept" : "cookie-lost");
</script><p>preflight doctor</p>"""
HEADER_COOKIE = "preflight_doctor_header"


@dataclass(frozen=True)
class BrowserReadiness:
    """What one headless launch of the browser preflight uses showed."""

    browser: str = ""
    """The executable and how it was chosen (``/usr/bin/chromium (from PATH)``)."""
    executable: str | None = None
    version: str = ""
    """The browser's own version string (``156.0.8078.114``)."""
    launch_s: float = 0.0
    javascript: bool | None = None
    """The page's inline script ran."""
    script_cookie: bool | None = None
    """A cookie written by ``document.cookie`` was read back."""
    header_cookie: bool | None = None
    """A cookie sent in a ``Set-Cookie`` response header was kept."""
    policies: tuple[PolicyEntry, ...] | None = None
    """The rows of ``chrome://policy`` with a value; ``None`` when the page could not be read."""
    policy_error: str | None = None
    error: str | None = None
    """Why the browser could not be found or launched (then nothing else is known)."""


def playwright_chromium_version() -> str | None:
    """The Chromium version the installed Playwright was built for (its ``browsers.json``)."""
    try:
        import playwright

        path = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        return next((str(b["browserVersion"]) for b in data["browsers"] if b.get("name") == "chromium"), None)
    except Exception:  # noqa: BLE001 - a missing or changed file: no reference version
        return None


async def probe_browser(browser_path: str | None, browser_channel: str | None, timeout_s: float = 10.0,
                        read_policies: bool = True) -> BrowserReadiness:
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import async_playwright

    started = time.monotonic()
    async with async_playwright() as playwright:
        try:
            choice = browser_mod.find_browser(browser_path, browser_channel,
                                              browser_mod.playwright_managed_path(playwright))
            browser = await browser_mod.launch(playwright, browser_mod.LaunchOptions(choice), timeout_s)
        except PreflightError as exc:
            return BrowserReadiness(error=str(exc))
        launched = round(time.monotonic() - started, 2)
        facts: dict[str, Any] = {"browser": choice.describe(), "executable": choice.executable_path,
                                 "version": browser.version, "launch_s": launched}
        try:
            left = lambda: max(0.5, timeout_s - (time.monotonic() - started))  # noqa: E731
            context = await browser.new_context()
            page = await context.new_page()

            async def serve(route: Any) -> None:
                await route.fulfill(status=200, body=PROBE_PAGE, headers={
                    "Content-Type": "text/html; charset=utf-8",
                    "Set-Cookie": f"{HEADER_COOKIE}=1; Secure; SameSite=Lax; Path=/"})

            await page.route(PROBE_URL + "**", serve)
            try:
                await page.goto(PROBE_URL, timeout=left() * 1000)
                title = await page.title()
                facts["javascript"] = title.startswith("js-ran")
                facts["script_cookie"] = title.endswith("cookie-kept") if facts["javascript"] else None
                facts["header_cookie"] = any(c["name"] == HEADER_COOKIE for c in await context.cookies(PROBE_URL))
            except PlaywrightError as exc:
                facts["error"] = f"the test page did not load: {browser_mod.launch_failure(str(exc))}"
            if read_policies:
                try:
                    policy_page = await context.new_page()
                    await policy_page.goto(POLICY_URL, timeout=left() * 1000)
                    handle = await policy_page.wait_for_function(_READ_ROWS, timeout=left() * 1000)
                    raw: Any = await handle.json_value()
                    facts["policies"] = tuple(
                        PolicyEntry(name=r["name"], value_text=r["value"], source=r["source"], scope=r["scope"],
                                    level=r["level"], status=r["status"], errors=r["errors"],
                                    warnings=r["warnings"], table=r["table"]) for r in raw)
                except PlaywrightError as exc:
                    facts["policy_error"] = browser_mod.launch_failure(str(exc))
        finally:
            try:
                await asyncio.wait_for(browser.close(), timeout=5)
            except Exception:  # noqa: BLE001 - already gone; the driver's exit kills it
                pass
    return BrowserReadiness(**facts)
