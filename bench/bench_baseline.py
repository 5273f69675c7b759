"""What baseline digests cost a visit: the official login of the baseline scenarios, visited in
one browser with and without ``CaptureOptions.integrity`` (alternating, so load drifts hit both).

    .venv/bin/python bench/bench_baseline.py [--visits 15]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from preflight.capture.session import BrowserSession, BrowserSpec  # noqa: E402
from preflight.capture.visit import CaptureOptions  # noqa: E402
from preflight.config.network import parse_connect_to  # noqa: E402
from preflight.mock.server import MockPortal  # noqa: E402

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "baseline"
LOGIN = "https://provider.brightcarehealth.com/login/"


async def measure(visits: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"plain": [], "digests": [], "digest_work": []}
    with MockPortal(roots=[FIXTURES]) as portal:
        spec = BrowserSpec(mappings=tuple(parse_connect_to(a) for a in portal.connect_to_args()),
                           trust_certs=(str(portal.cert_path),))
        async with BrowserSession(spec) as session:
            await session.visit(LOGIN, CaptureOptions(timeout_s=20))  # warm-up
            for _ in range(visits):
                for name, integrity in (("plain", False), ("digests", True)):
                    began = time.monotonic()
                    snapshot = await session.visit(LOGIN, CaptureOptions(timeout_s=20, integrity=integrity))
                    times[name].append(time.monotonic() - began)
                    if snapshot.integrity is not None:
                        times["digest_work"].append(snapshot.integrity.elapsed_s)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=15)
    args = parser.parse_args()
    times = asyncio.run(measure(args.visits))
    plain, digests = statistics.median(times["plain"]), statistics.median(times["digests"])
    print(f"visits: {args.visits} each, alternating, one browser")
    print(f"visit without digests: median {plain:.3f} s")
    print(f"visit with digests:    median {digests:.3f} s (+{digests - plain:.3f} s, x{digests / plain:.2f})")
    print(f"digest work inside the visit (screenshot, inline scripts, certificate, icon wait): "
          f"median {statistics.median(times['digest_work']):.3f} s, max {max(times['digest_work']):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
