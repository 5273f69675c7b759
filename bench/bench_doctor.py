"""`preflight doctor` as a person runs it, whole processes: `--no-portal` (target < 5 s) and with
the guarded portal check against the mock portal on loopback (target < 15 s), median and max of
N rounds, alternated so machine noise hits both alike. The sandbox has no internet, so the portal
check needs the mock (through --connect-to and --trust-cert); the real portal adds its network time.

    python bench/bench_doctor.py [--rounds 5]
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

HOST = "cignaforhcp.cigna.com"


def timed(args: list[str]) -> tuple[float, float, int]:
    """(whole process, the run itself as the report says, checks not run)."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "preflight", "doctor", "--json", *args], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    took = time.monotonic() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"doctor {' '.join(args)} exited {done.returncode}: {done.stderr[-500:]}")
    document = json.loads(done.stdout)
    return took, document["elapsed_s"], sum(1 for c in document["checks"] if c["status"] == "not_run")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    with MockPortal() as portal:
        mapped = [a for c in portal.connect_to_args([HOST]) for a in ("--connect-to", c)]
        with_portal = ["--portal", portal.url(HOST), "--trust-cert", str(portal.cert_path), *mapped]
        times: dict[str, list[tuple[float, float, int]]] = {"--no-portal": [], "with the portal check": []}
        for _ in range(rounds):
            times["--no-portal"].append(timed(["--no-portal"]))
            times["with the portal check"].append(timed(with_portal))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    for name, runs in times.items():
        whole, inside, skipped = zip(*runs)
        print(f"doctor {name}: median {statistics.median(whole):.2f} s, max {max(whole):.2f} s; the run itself "
              f"median {statistics.median(inside):.2f} s; not run per round {list(skipped)} "
              f"({rounds} rounds, load average {load:.1f})")


if __name__ == "__main__":
    main()
