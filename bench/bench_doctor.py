"""`preflight doctor` as a person runs it, whole processes: `--no-portal` (target < 5 s) and with
the guarded portal check against the mock portal on loopback (target < 15 s), median and max of
N rounds, alternated so machine noise hits both alike. The sandbox has no internet, so the portal
check needs the mock (through --connect-to and --trust-cert); the real portal adds its network time.

    python bench/bench_doctor.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from preflight.mock.server import MockPortal  # noqa: E402

HOST = "cignaforhcp.cigna.com"


def timed(args: list[str]) -> float:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "preflight", "doctor", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    if done.returncode not in (0, 1):
        raise SystemExit(f"doctor {' '.join(args)} exited {done.returncode}: {done.stderr[-500:]}")
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    with MockPortal() as portal:
        mapped = [a for c in portal.connect_to_args([HOST]) for a in ("--connect-to", c)]
        with_portal = ["--portal", portal.url(HOST), "--trust-cert", str(portal.cert_path), *mapped]
        times: dict[str, list[float]] = {"--no-portal": [], "with the portal check": []}
        for _ in range(rounds):
            times["--no-portal"].append(timed(["--no-portal"]))
            times["with the portal check"].append(timed(with_portal))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    for name, values in times.items():
        print(f"doctor {name}: median {statistics.median(values):.2f} s, max {max(values):.2f} s "
              f"({rounds} runs, load average {load:.1f})")


if __name__ == "__main__":
    main()
