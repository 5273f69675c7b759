"""Read the policies in force from the browser's own ``chrome://policy`` page.

The page is the browser's word on what it applies (source, level, status, its own error text), so
nothing here re-reads registry keys or policy folders. Its rows sit in nested shadow roots
(``policy-app`` > ``policy-table`` > ``policy-row``); unset policies are rendered too but hidden.
"""

from __future__ import annotations

import asyncio
from typing import Any

from preflight.capture import browser as browser_mod
from preflight.errors import BrowserLaunchError
from preflight.model.policy import PolicyEntry

POLICY_URL = "chrome://policy"

# Every policy the browser knows has a row; the set ones are the rows not hidden. Value: the
# expanded "Value" row holds the whole value (the summary cell may be truncated).
_READ_ROWS = r"""
() => {
  const app = document.querySelector('policy-app');
  if (!app || !app.shadowRoot) return null;
  const tables = [...app.shadowRoot.querySelectorAll('policy-table')];
  if (!tables.length || !tables.every(t => t.shadowRoot)) return null;
  const first = tables[0].shadowRoot.querySelectorAll('policy-row');
  if (!first.length) return null;
  const text = (root, selector) => {
    const el = root.querySelector(selector);
    return el ? el.textContent.trim() : '';
  };
  const rows = [];
  for (const table of tables) {
    const id = text(table.shadowRoot, '.id') || table.id || '';
    for (const row of table.shadowRoot.querySelectorAll('policy-row')) {
      if (row.hidden || !row.shadowRoot) continue;
      const s = row.shadowRoot;
      rows.push({table: id, name: text(s, '.policy.row .name #name') || text(s, '.policy.row .name'),
                 value: text(s, '.value.row .value'), source: text(s, '.policy.row .source'),
                 scope: text(s, '.policy.row .scope'), level: text(s, '.policy.row .level'),
                 status: text(s, '.policy.row .messages'), errors: text(s, '.errors.row .value'),
                 warnings: text(s, '.warnings.row .value')});
    }
  }
  return rows;
}
"""


async def read_policies_async(browser_path: str | None = None, browser_channel: str | None = None,
                              timeout_s: float = 30.0, screenshot: str | None = None) -> tuple[str, tuple[PolicyEntry, ...]]:
    """(browser description, the rows of ``chrome://policy`` that carry a value)."""
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        choice = browser_mod.find_browser(browser_path, browser_channel,
                                          browser_mod.playwright_managed_path(playwright))
        browser = await browser_mod.launch(playwright, browser_mod.LaunchOptions(choice), timeout_s)
        try:
            page = await browser.new_page()
            await page.goto(POLICY_URL, timeout=timeout_s * 1000)
            handle = await page.wait_for_function(_READ_ROWS, timeout=timeout_s * 1000)
            raw: Any = await handle.json_value()
            if screenshot:
                await page.screenshot(path=screenshot, full_page=True)
        except PlaywrightError as exc:
            raise BrowserLaunchError(f"could not read {POLICY_URL} in {choice.describe()}: "
                                     f"{browser_mod.launch_failure(str(exc))}",
                                     "run `preflight doctor` to check the browser set-up") from None
        finally:
            await browser.close()
    entries = tuple(PolicyEntry(name=r["name"], value_text=r["value"], source=r["source"], scope=r["scope"],
                                level=r["level"], status=r["status"], errors=r["errors"],
                                warnings=r["warnings"], table=r["table"]) for r in raw)
    return choice.describe(), entries


def read_policies(browser_path: str | None = None, browser_channel: str | None = None,
                  timeout_s: float = 30.0, screenshot: str | None = None) -> tuple[str, tuple[PolicyEntry, ...]]:
    return asyncio.run(read_policies_async(browser_path, browser_channel, timeout_s, screenshot))
