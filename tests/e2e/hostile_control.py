"""Control run of the hostile corpus: every page in plain Playwright Chromium, *without* the guard.

    PYTHONPATH=. python tests/e2e/hostile_control.py [PAGE.html ...]

Same servers, launch flags, host mapping and certificate pins as tests/e2e/test_hostile.py, but
no `preflight`: each page gets its own context and four seconds. It prints, per page, what
reached a server. A trap that sends nothing here is dead (its technique does not work in this
Chromium), not stopped by the guard; the test cannot tell the two apart on its own.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from preflight.browser import LAUNCH_FLAGS, spki_hash
from preflight.mock.server import MockPortal
from tests.e2e import test_hostile as T
from tests.e2e.hostile_server import HostileServers


async def control(pages: list[str]) -> dict:
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory() as tmp, HostileServers(Path(tmp)) as hostile, \
            MockPortal(roots=[T.HOSTILE]) as portal:
        rules = []
        for mapping in hostile.connect_to_args(portal.connect_to_args([T.HOST])):
            host, port, to_host, to_port = mapping.split(":")
            rules.append(f"MAP {host or '*'}:{port} {to_host}:{to_port}")
        async with async_playwright() as p:
            todo = list(pages)
            for _attempt in range(3):  # this Chromium sometimes dies (a dangling raw_ptr check): go again
                browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                    *LAUNCH_FLAGS, "--host-resolver-rules=" + ", ".join(rules),
                    "--ignore-certificate-errors-spki-list=" + spki_hash(hostile.cert_path) + "," + spki_hash(portal.cert_path)])
                gate = asyncio.Semaphore(8)
                failed: list[str] = []

                async def visit(page_name: str, gate: asyncio.Semaphore = gate, browser=browser,
                                failed: list[str] = failed) -> None:
                    async with gate:
                        try:
                            context = await browser.new_context()
                            page = await context.new_page()
                            page.on("dialog", lambda d: asyncio.ensure_future(d.dismiss()))
                            try:
                                await page.goto(portal.url(T.HOST, "/" + page_name), timeout=8000)
                            except Exception:  # noqa: BLE001 - the log is the evidence
                                pass
                            await asyncio.sleep(4)
                            await context.close()
                        except Exception:  # noqa: BLE001 - the browser went away
                            failed.append(page_name)

                await asyncio.gather(*(visit(name) for name in todo))
                await asyncio.sleep(2)
                try:
                    await browser.close()
                except Exception:  # noqa: BLE001
                    pass
                todo = failed
                if not todo:
                    break
        return {"mode": "control", "records": T.normalise(list(portal.requests), list(hostile.records))}


def main() -> None:
    pages = sys.argv[1:] or [t["page"] for t in T.NORMAL]
    run = asyncio.run(control(pages))
    per_page, _stray = T.evidence(run)
    for name in pages:
        items = per_page[name.removesuffix(".html")]
        print(f"{'FIRES' if items else 'DEAD '} {name}: " + "; ".join(d for d, _ in items[:3]))


if __name__ == "__main__":
    main()
