"""Load: 100 targets with --jobs 8 against the mock portal, in one `preflight check` process.

Reports wall time, targets/s, the peak RSS of the preflight process (Python; Chromium's own
processes are separate), and proves no Chromium process or temporary profile is left behind.
Baseline in the same run: the same kind of batch with --jobs 1. Two kinds: local pages (bound by
CPU on a small machine) and pages that answer after 3 s (bound by waiting, as slow portals are).

    python bench/bench_load.py [--targets 100] [--jobs 8]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from preflight.mock.server import MockPortal  # noqa: E402

RUNNER = """
import resource, sys, json
from preflight.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), file=sys.stderr)
"""


def batch(portal: MockPortal, count: int, jobs: int, tmp: str, path: str = "/") -> tuple[float, dict, int]:
    hosts = ["cignaforhcp.cigna.com", "my.cigna.com", "cignaforemployers.cigna.com", "provider.evernorth.com"]
    if path != "/":
        hosts = hosts[:1]  # the scenario paths live on the provider host
    urls = [portal.url(hosts[i % len(hosts)], f"{path}?visit={i}") for i in range(count)]
    args = [sys.executable, "-c", RUNNER, "check", *urls, "--json", "--jobs", str(jobs), "--no-clock",
            "--trust-cert", str(portal.cert_path)]
    for mapping in portal.connect_to_args(hosts):
        args += ["--connect-to", mapping]
    started = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True, env=dict(os.environ, TMPDIR=tmp))
    elapsed = time.perf_counter() - started
    report = json.loads(result.stdout)
    rss = json.loads(result.stderr.strip().splitlines()[-1])["maxrss_kb"]
    return elapsed, report, rss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--targets", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=8)
    options = parser.parse_args()
    with MockPortal() as portal, tempfile.TemporaryDirectory() as tmp:
        # Local pages: the batch is bound by CPU (Chromium renderers and the driver).
        base_elapsed, _base_report, base_rss = batch(portal, 10, 1, tmp)
        elapsed, report, rss = batch(portal, options.targets, options.jobs, tmp)
        # Pages that take 3 s to answer, as slow portals do: the batch is bound by waiting.
        slow_base, _r, _rss = batch(portal, 4, 1, tmp, "/slow")
        slow_elapsed, slow_report, slow_rss = batch(portal, 32, options.jobs, tmp, "/slow")
        leftover = subprocess.run(["pgrep", "-f", f"user-data-dir={tmp}"], capture_output=True, text=True).stdout.split()
        profiles = os.listdir(tmp)
    verdicts: dict[str, int] = {}
    for result in report["results"]:
        verdicts[result["verdict"]] = verdicts.get(result["verdict"], 0) + 1
    print(f"local pages   10 targets --jobs 1: {base_elapsed:6.2f} s ({10 / base_elapsed:5.1f}/s), peak RSS {base_rss / 1024:6.1f} MiB")
    print(f"local pages  {options.targets:3} targets --jobs {options.jobs}: {elapsed:6.2f} s ({options.targets / elapsed:5.1f}/s), "
          f"peak RSS {rss / 1024:6.1f} MiB, speed-up {(options.targets / elapsed) / (10 / base_elapsed):4.2f}x")
    print(f"  results: {len(report['results'])} {verdicts}")
    print(f"3 s pages      4 targets --jobs 1: {slow_base:6.2f} s ({4 / slow_base:5.2f}/s)")
    print(f"3 s pages     32 targets --jobs {options.jobs}: {slow_elapsed:6.2f} s ({32 / slow_elapsed:5.2f}/s), "
          f"peak RSS {slow_rss / 1024:6.1f} MiB, speed-up {(32 / slow_elapsed) / (4 / slow_base):4.2f}x, "
          f"results {len(slow_report['results'])}")
    print(f"leftover Chromium processes: {len(leftover)}; leftover temporary profiles: {len(profiles)}")


if __name__ == "__main__":
    main()
