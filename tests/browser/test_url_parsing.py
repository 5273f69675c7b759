"""The adversarial URL table, answered by Chromium itself: `new URL(input).hostname`.

Where `preflight` parses a URL without a browser (vet, option validation), it must find the host
the browser would visit. The expected hosts in tests/data/url_table.json were written by hand;
this test makes Chromium the referee for both the table and our parser.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from preflight.rules.hosts import InvalidURL, normalize_host, parse_url

pytestmark = pytest.mark.browser
TABLE = json.loads((Path(__file__).resolve().parent.parent / "data" / "url_table.json").read_text(encoding="utf-8"))

CHROMIUM_HOSTNAME = """(inputs) => inputs.map((text) => {
  try { return new URL(text).hostname; } catch (e) { return null; }
})"""


async def test_our_parser_finds_the_host_chromium_finds(browser):
    context = await browser.new_context()
    page = await context.new_page()
    try:
        chromium = await page.evaluate(CHROMIUM_HOSTNAME, [row["input"] for row in TABLE])
    finally:
        await context.close()
    mismatches = []
    for row, browser_host in zip(TABLE, chromium):
        try:
            ours = parse_url(row["input"]).host
        except InvalidURL:
            ours = None
        expected = None if browser_host is None else _normalized(browser_host)
        # Chromium (not the standard) keeps a space as '%20' in the host: a name that can never
        # resolve. We call such input invalid, which is the safe reading.
        unresolvable = browser_host is not None and "%" in browser_host and ours is None
        if ours != expected and not unresolvable:
            mismatches.append((row["input"], row.get("note"), browser_host, ours))
        # The hand-written table must agree with the browser too.
        table_host = row["host"]
        if browser_host is not None and table_host is not None and table_host != browser_host and not unresolvable:
            mismatches.append((row["input"], "table", browser_host, table_host))
    assert mismatches == []


def _normalized(host: str) -> str | None:
    if not host:
        return ""
    try:
        return normalize_host(host)
    except InvalidURL:
        return host  # a host Chromium accepts and the standard does not: reported as a mismatch
