"""`preflight check` through Playwright run-servers (`--connect`) against a local launch, in one run.

Whole processes, alternated so machine noise hits each alike; the run-servers are started once
(as a pool would be) and killed at the end. Rows: one target (the cost of connecting instead of
launching), and a batch of 8 targets `--jobs 4` locally, through one server and spread over two.
On one machine the servers' browsers share its cores with everything else: this measures the
overhead of the protocol hop, not the gain of a pool on other machines.

    python bench/bench_remote.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from preflight.mock.server import MockPortal  # noqa: E402
from tests.e2e.run_servers import SYSTEM_CHROMIUM, run_servers  # noqa: E402

HOST = "cignaforhcp.cigna.com"


def check(urls: list[str], portal: MockPortal, extra: list[str]) -> tuple[float, float]:
    """(wall seconds of the process, the report's mean ``total_s`` per visit)."""
    args = [sys.executable, "-m", "preflight", "check", *urls, "--json", "--no-clock", "--jobs", "4",
            "--timeout", "30", "--trust-cert", str(portal.cert_path), "--browser-path", SYSTEM_CHROMIUM, *extra]
    for mapping in portal.connect_to_args([HOST]):
        args += ["--connect-to", mapping]
    started = time.monotonic()
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.monotonic() - started
    report = json.loads(result.stdout)
    assert all(r["verdict"] == "pass" for r in report["results"]), result.stderr[-2000:]
    return wall, statistics.mean(r["timings"]["total_s"] for r in report["results"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    with run_servers(2) as servers, MockPortal() as portal:
        one = [portal.url(HOST)]
        batch = [portal.url(HOST, f"/?n={n}") for n in range(8)]
        modes = {"local": [], "1 run-server": ["--connect", servers[0].endpoint],
                 "2 run-servers": ["--connect", servers[0].endpoint, "--connect", servers[1].endpoint]}
        rows: dict[str, dict[str, list[tuple[float, float]]]] = {"1 target": {}, "8 targets --jobs 4": {}}
        for _ in range(rounds):
            for mode, extra in modes.items():
                if mode != "2 run-servers":
                    rows["1 target"].setdefault(mode, []).append(check(one, portal, extra))
                rows["8 targets --jobs 4"].setdefault(mode, []).append(check(batch, portal, extra))
    load = os.getloadavg()[0]
    print(f"median of {rounds}, load average {load:.1f} on {os.cpu_count()} cores")
    for row, by_mode in rows.items():
        cells = [f"{mode} {statistics.median(w for w, _ in runs):.2f} s "
                 f"(visit {statistics.median(v for _, v in runs):.2f} s)" for mode, runs in by_mode.items()]
        print(f"{row}: " + "; ".join(cells))


if __name__ == "__main__":
    main()
