"""What the in-memory screenshot (``--html``) costs a visit, in one run against the mock portal.

One browser; each round visits each page twice, without and with ``keep_screenshot``, in
alternating order so machine noise hits both alike. Reports the median and p90 of the per-round
difference (ms) and the PNG size. The screenshot is taken while the DOM is read, so the cost is
what it adds to the slowest of those reads, plus the boxes ``dom.js`` measures.

    python bench/bench_screenshot.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.async_api import async_playwright  # noqa: E402

from preflight.capture import browser as browser_mod  # noqa: E402
from preflight.capture.visit import CaptureOptions, _view_png, capture  # noqa: E402
from preflight.config.network import parse_connect_to, spki_hash  # noqa: E402
from preflight.mock.server import MockPortal  # noqa: E402

HOSTS = ("cignaforhcp.cigna.com", "my.cigna.com")


async def main(rounds: int) -> None:
    with MockPortal() as portal:
        mappings = tuple(parse_connect_to(arg) for arg in portal.connect_to_args())
        options = browser_mod.LaunchOptions(browser_mod.find_browser(), mappings, (spki_hash(portal.cert_path),))
        async with async_playwright() as playwright:
            browser = await browser_mod.launch(playwright, options)
            try:
                without = CaptureOptions(timeout_s=15.0)
                with_view = CaptureOptions(timeout_s=15.0, keep_screenshot=True)
                for host in HOSTS:  # warm up: first visits pay for caches and processes
                    await capture(browser, portal.url(host), with_view)
                extra: list[float] = []
                sizes: list[int] = []
                for index in range(rounds):
                    for host in HOSTS:
                        order = (without, with_view) if index % 2 else (with_view, without)
                        took = {}
                        for visit_options in order:
                            started = time.perf_counter()
                            snapshot = await capture(browser, portal.url(host), visit_options)
                            took[visit_options.keep_screenshot] = time.perf_counter() - started
                            if snapshot.view is not None:
                                sizes.append(len(snapshot.view.png))
                        extra.append(took[True] - took[False])
                # The picture alone, on a page already loaded: what the visit's parallel reads wait for.
                page = await browser.new_page()
                await page.goto(portal.url(HOSTS[0]))
                alone = []
                for _ in range(rounds):
                    started = time.perf_counter()
                    assert await _view_png(page, True, time.monotonic() + 10) is not None
                    alone.append(time.perf_counter() - started)
                await page.close()
            finally:
                await browser.close()
    print(f"the picture alone (value check, PNG, value check): median {statistics.median(alone) * 1000:.0f} ms")
    extra.sort()
    print(f"{len(extra)} paired visits: screenshot adds median {statistics.median(extra) * 1000:+.0f} ms, "
          f"p90 {extra[int(0.9 * (len(extra) - 1))] * 1000:+.0f} ms; PNG {statistics.median(sizes) / 1024:.0f} KiB "
          f"(1280x720)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    asyncio.run(main(parser.parse_args().rounds))
