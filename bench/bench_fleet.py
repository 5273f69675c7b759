"""Fleet throughput: N targets of one preflight.toml with --jobs 4 against N single-target runs.

In the same run, against the same mock portal:
  - batch:      `preflight check --config fleet.toml --jobs 4` (one browser, four visits at once)
  - sequential: N processes `preflight check --config fleet.toml --target NAME` one after another
Target: batch / sequential <= 0.35 for 20 targets, the median of ``--rounds`` rounds (batch and
sequential side by side in each, so a host that slows down slows both). Then how wall time and
peak memory (the process tree's, sampled from /proc) grow from 10 to 100 targets, and what
`--evidence` costs per target when every target fails (evidence is kept only for those).

Timed runs carry no memory sampler: reading ``smaps_rollup`` of every Chromium process ten times
a second costs CPU, and a batch that keeps both cores busy pays for it in wall time while one
single-target run leaves a core idle for it (measured: ratio 0.31-0.38 unsampled, 0.58-0.60
sampled, same machine, same minutes). Peak memory comes from separate, sampled runs.

    python bench/bench_fleet.py [--targets 20] [--rounds 3] [--growth 10,50,100]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from preflight.mock.server import MockPortal  # noqa: E402

BARE_BATCH = """
import asyncio, sys
from playwright.async_api import async_playwright
async def main():
    urls, jobs = sys.argv[3].split(" "), asyncio.Semaphore(int(sys.argv[2]))
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=sys.argv[1], args=sys.argv[4:])
        async def visit(url):
            async with jobs:
                context = await browser.new_context()
                await (await context.new_page()).goto(url, wait_until="load")
                await context.close()
        await asyncio.gather(*(visit(url) for url in urls))
        await browser.close()
asyncio.run(main())
"""
"""The floor: what Playwright alone costs for the same visits (a fresh context each, four at a
time, in one browser; or one per process), with preflight's launch flags and no guard, checks or
reports. Its ratio is the best any tool giving every target a fresh context can reach here."""

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


def wall(command: list[str], label: str = "bare Playwright", expect: tuple[int, ...] = (0,),
         why: Callable[[], str] = str) -> float:
    """Wall seconds of one process, nothing else running beside it; an exit status not in
    ``expect`` stops the benchmark, saying ``why()`` and the end of stderr."""
    start = time.perf_counter()
    process = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=1800)
    seconds = time.perf_counter() - start
    if process.returncode not in expect:
        raise SystemExit(f"{label} exited {process.returncode}: {why()}\n{process.stderr[-2000:]}")
    return seconds


def timed(args: list[str], expect: tuple[int, ...] = (0,)) -> float:
    """``wall`` of one ``preflight`` run; a failing one says what did not pass (its JSON report)."""
    with tempfile.TemporaryDirectory(prefix="bench-fleet-report-") as folder:
        report = Path(folder) / "run.json"
        return wall([sys.executable, "-m", "preflight", *args, "--json-file", str(report)],
                    f"preflight {' '.join(args[:3])}…", expect, lambda: not_passed(report))


def not_passed(report: Path) -> str:
    try:
        results = json.loads(report.read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError):
        return "(no report)"
    return "; ".join(f"{r.get('name') or r['target']}: {r['verdict']} "
                     + ", ".join(f"{f['code']} ({f['message'][:200]})" for f in r["findings"]
                                 if f["severity"] not in ("pass", "info"))
                     for r in results if r["verdict"] != "pass")


def bare_commands(portal: MockPortal, count: int) -> tuple[list[str], list[list[str]]]:
    """(one batch process, ``count`` single-visit processes) of bare Playwright."""
    from preflight.capture.browser import LaunchOptions, find_browser
    from preflight.config.network import parse_connect_to, spki_hash

    choice = find_browser()
    (mapping,) = portal.connect_to_args([OFFICIAL])
    # args() carries preflight's merged --disable-features (Chromium keeps the last one given).
    flags = LaunchOptions(choice, (parse_connect_to(mapping),), (spki_hash(portal.cert_path),)).args()
    urls = [portal.url(OFFICIAL, f"/?n={n}") for n in range(count)]
    head = [sys.executable, "-c", BARE_BATCH, choice.executable_path or ""]
    return [*head, "4", " ".join(urls), *flags], [[*head, "1", url, *flags] for url in urls]


def run(args: list[str], expect: tuple[int, ...] = (0,)) -> tuple[float, int]:
    """Wall seconds and peak PSS (KiB) of the process tree (the sampler slows the run: time it
    with ``timed``)."""
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
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--growth", default="10,50,100")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-fleet-"))
    common = ["--no-clock", "--jobs", "4"]
    with MockPortal() as portal:
        config = write_config(folder, portal, options.targets)
        timed(["check", "--config", str(config), "--target", "t000", *common])  # warm the page cache
        bare_batch, bare_singles = bare_commands(portal, options.targets)
        ratios, floors = [], []
        for round_ in range(1, options.rounds + 1):
            batch = timed(["check", "--config", str(config), *common])
            sequential = sum(timed(["check", "--config", str(config), "--target", f"t{n:03}", *common])
                             for n in range(options.targets))
            ratios.append(batch / sequential)
            floor_batch = wall(bare_batch)
            floor_sequential = sum(wall(single) for single in bare_singles)
            floors.append(floor_batch / floor_sequential)
            print(f"round {round_}: {options.targets} targets, batch --jobs 4 {batch:.1f} s, "
                  f"sequential {sequential:.1f} s, ratio {ratios[-1]:.2f}; bare Playwright "
                  f"{floor_batch:.1f} s vs {floor_sequential:.1f} s, ratio {floors[-1]:.2f}")
        ratio = statistics.median(ratios)
        print(f"bare Playwright floor: median ratio {statistics.median(floors):.2f}")
        _, batch_peak = run(["check", "--config", str(config), *common])
        print(f"{options.targets} targets: median ratio {ratio:.2f} of {options.rounds} rounds (target <= 0.35) "
              f"{'ok' if ratio <= 0.35 else 'MISSED'}; batch peak PSS {batch_peak / 1024:.0f} MiB (sampled run)")

        print("growth (--jobs 4, --no-clock; time unsampled, memory from a second, sampled run):")
        for count in (int(c) for c in options.growth.split(",")):
            grown = write_config(folder, portal, count)
            seconds = timed(["check", "--config", str(grown), *common])
            _, peak = run(["check", "--config", str(grown), *common])
            print(f"  {count:4} targets: {seconds:6.1f} s ({seconds / count:.2f} s/target), "
                  f"peak PSS {peak / 1024:.0f} MiB")

        count = 10
        failing = write_config(folder, portal, count, host=LOOKALIKE)
        plain = timed(["check", "--config", str(failing), *common], expect=(1,))
        kept = timed(["check", "--config", str(failing), *common, "--evidence", str(folder / "evidence")],
                     expect=(1,))
        size = sum(p.stat().st_size for p in (folder / "evidence").rglob("*") if p.is_file())
        print(f"--evidence on {count} failing targets: {plain:.1f} s without, {kept:.1f} s with: "
              f"{(kept - plain) / count * 1000:+.0f} ms per target, {size / count / 1024:.0f} KiB per target")


if __name__ == "__main__":
    main()
