"""Fleet throughput: N targets of one preflight.toml with --jobs 4 against N single-target runs.

In the same run, against the same mock portal:
  - batch:      `preflight check --config fleet.toml --jobs 4` (one browser, four visits at once)
  - sequential: N processes `preflight check --config fleet.toml --target NAME` one after another
Target: batch / sequential <= 0.35 for 20 targets. Then how wall time and peak memory (the
process tree's, sampled from /proc) grow from 10 to 100 targets, and what `--evidence` costs per
target when every target fails (evidence is kept only for those).

    python bench/bench_fleet.py [--targets 20] [--growth 10,50,100]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from preflight.mock.server import MockPortal  # noqa: E402

OFFICIAL = "cignaforhcp.cigna.com"
LOOKALIKE = "cignaforhcp-cigna.com"


def write_config(folder: Path, portal: MockPortal, count: int, host: str = OFFICIAL, name: str = "fleet") -> Path:
    (mapping,) = portal.connect_to_args([host])
    lines = ["[run]", "retries = 0", ""]
    for n in range(count):
        lines += ["[[target]]", f'name = "t{n:03}"', f'url = "{portal.url(host, f"/?n={n}")}"',
                  f'connect_to = ["{mapping}"]', f'trust_cert = "{portal.cert_path}"', ""]
    path = folder / f"{name}-{host}-{count}.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def tree_rss_kb(root: int) -> int:
    """Proportional set size of ``root`` and every descendant (Linux /proc): shared pages are
    split between the processes sharing them, so Chromium's many processes are not counted
    many times over."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            parent = int(fields[1])
            with open(f"/proc/{entry}/smaps_rollup") as f:
                pss = next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
        except (OSError, IndexError, ValueError, StopIteration):
            continue
        children.setdefault(parent, []).append(int(entry))
        rss[int(entry)] = pss
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run(args: list[str], expect: tuple[int, ...] = (0,)) -> tuple[float, int]:
    """Wall seconds and peak PSS (KiB) of the process tree."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "preflight", *args], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(process.pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate(timeout=1800)
    done.set()
    sampler.join()
    if process.returncode not in expect:
        raise SystemExit(f"preflight {' '.join(args[:3])}… exited {process.returncode}: {err[-2000:]}")
    return time.perf_counter() - start, peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--targets", type=int, default=20)
    parser.add_argument("--growth", default="10,50,100")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-fleet-"))
    common = ["--no-clock", "--jobs", "4"]
    with MockPortal() as portal:
        config = write_config(folder, portal, options.targets)
        run(["check", "--config", str(config), "--target", "t000", *common])  # warm the page cache
        batch, batch_peak = run(["check", "--config", str(config), *common])
        sequential = 0.0
        for n in range(options.targets):
            seconds, _ = run(["check", "--config", str(config), "--target", f"t{n:03}", *common])
            sequential += seconds
        ratio = batch / sequential
        print(f"{options.targets} targets: batch --jobs 4 {batch:.1f} s, sequential {sequential:.1f} s, "
              f"ratio {ratio:.2f} (target <= 0.35) {'ok' if ratio <= 0.35 else 'MISSED'}; "
              f"batch peak PSS {batch_peak / 1024:.0f} MiB")

        print("growth (--jobs 4, --no-clock):")
        for count in (int(c) for c in options.growth.split(",")):
            grown = write_config(folder, portal, count)
            seconds, peak = run(["check", "--config", str(grown), *common])
            print(f"  {count:4} targets: {seconds:6.1f} s ({seconds / count:.2f} s/target), "
                  f"peak PSS {peak / 1024:.0f} MiB")

        count = 10
        failing = write_config(folder, portal, count, host=LOOKALIKE)
        plain, _ = run(["check", "--config", str(failing), *common], expect=(1,))
        kept, _ = run(["check", "--config", str(failing), *common, "--evidence", str(folder / "evidence")],
                      expect=(1,))
        size = sum(p.stat().st_size for p in (folder / "evidence").rglob("*") if p.is_file())
        print(f"--evidence on {count} failing targets: {plain:.1f} s without, {kept:.1f} s with: "
              f"{(kept - plain) / count * 1000:+.0f} ms per target, {size / count / 1024:.0f} KiB per target")


if __name__ == "__main__":
    main()
