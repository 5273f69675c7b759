"""`preflight check` against a bare Playwright script loading the same page, in one run.

Both are whole processes (interpreter start, browser launch, one page, exit), alternated so
machine noise hits both alike. The mock portal serves a leaf certificate issued by a test CA,
pinned with --trust-cert (the go-live case), so the clock probe measures through it.
Targets: `check --no-clock` <= 1.25 x bare; `check` (clock included) <= bare + 1.0 s.
Also times `preflight --version` (target <= 0.2 s: Playwright is imported lazily).

    python bench/bench_check.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from preflight.capture.browser import LaunchOptions, find_browser
from preflight.config.network import parse_connect_to, spki_hash  # noqa: E402
from preflight.mock.server import MockPortal  # noqa: E402

BARE = """
import asyncio, sys
from playwright.async_api import async_playwright
async def main():
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=sys.argv[1], args=sys.argv[3:])
        page = await (await browser.new_context()).new_page()
        await page.goto(sys.argv[2], wait_until="load")
        await browser.close()
asyncio.run(main())
"""


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0,):
        raise SystemExit(f"command failed ({result.returncode}): {' '.join(args[:4])}…\n{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    rounds = parser.parse_args().rounds
    import tempfile

    import trustme

    from preflight.mock.certs import CertPair

    folder = Path(tempfile.mkdtemp(prefix="bench-pki-"))
    leaf = trustme.CA(organization_name="bench CA").issue_cert("cignaforhcp.cigna.com", "127.0.0.1")
    leaf.private_key_and_cert_chain_pem.write_to_path(str(folder / "chain.pem"))
    leaf.private_key_pem.write_to_path(str(folder / "key.pem"))
    leaf.cert_chain_pems[0].write_to_path(str(folder / "leaf.pem"))
    with MockPortal(cert=CertPair(folder / "chain.pem", folder / "key.pem"), hosts=["cignaforhcp.cigna.com"]) as portal:
        host = "cignaforhcp.cigna.com"
        pinned = folder / "leaf.pem"
        url = portal.url(host)
        mapping = portal.connect_to_args([host])[0]
        choice = find_browser()
        flags = LaunchOptions(choice, (parse_connect_to(mapping),), (spki_hash(pinned),)).args()
        bare = [sys.executable, "-c", BARE, choice.executable_path or "", url, *flags]
        check = [sys.executable, "-m", "preflight", "check", url, "--connect-to", mapping,
                 "--trust-cert", str(pinned)]
        times: dict[str, list[float]] = {"bare": [], "check --no-clock": [], "check": []}
        timed(bare)  # warm the page cache
        for _ in range(rounds):
            times["bare"].append(timed(bare))
            times["check --no-clock"].append(timed(check + ["--no-clock"]))
            times["check"].append(timed(check))
        version = [timed([sys.executable, "-m", "preflight", "--version"]) for _ in range(rounds)]
    base = statistics.median(times["bare"])
    print(f"rounds: {rounds}, page: {url} (mock portal), browser: {choice.describe()}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:18} median {median:6.3f} s  min {min(values):6.3f} s  ratio {median / base:5.2f}  "
              f"over bare {median - base:+6.3f} s")
    print(f"{'--version':18} median {statistics.median(version):6.3f} s")


if __name__ == "__main__":
    main()
