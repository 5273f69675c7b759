"""`preflight serve` throughput and load shedding, against the mock portal, in one run.

For concurrency 1, 2 and 4: probes per minute one exporter sustains with that many scrapers
asking back to back, and the process tree's peak memory (PSS). Then overload: 4x as many scrapers
as slots with a short queue; the exporter must shed (503 fast) rather than pile up, so the
answered probes' latency stays near the unloaded latency.

    python bench/bench_serve.py [--seconds 30]
"""

from __future__ import annotations

import argparse
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_fleet import tree_rss_kb, write_config  # noqa: E402

from preflight.mock.server import MockPortal  # noqa: E402


def start(config: Path, concurrency: int, queue: int) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen([sys.executable, "-m", "preflight", "serve", "--listen", "127.0.0.1:0", "--config",
                                str(config), "--no-clock", "--concurrency", str(concurrency), "--queue", str(queue)],
                               stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()
    match = re.search(r":(\d+)/", line)
    if not match:
        raise SystemExit(f"serve did not start: {line}")
    threading.Thread(target=process.stderr.read, daemon=True).start()  # keep the pipe drained
    return process, int(match.group(1))


def load(port: int, scrapers: int, seconds: float, targets: int) -> tuple[list[float], int, int]:
    """Scrapers asking back to back: answered latencies, answered count, shed count."""
    latencies: list[float] = []
    shed = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def scraper(n: int) -> None:
        i = n
        while time.monotonic() < stop:
            began = time.monotonic()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/probe?target=t{i % targets:03}", timeout=60) as r:
                    r.read()
                with lock:
                    latencies.append(time.monotonic() - began)
            except urllib.error.HTTPError as error:
                if error.code != 503:
                    raise
                with lock:
                    shed[0] += 1
                time.sleep(float(error.headers.get("Retry-After", "1")) / 4)
            i += scrapers

    threads = [threading.Thread(target=scraper, args=(n,)) for n in range(scrapers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, len(latencies), shed[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    seconds = parser.parse_args().seconds
    folder = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    with MockPortal() as portal:
        config = write_config(folder, portal, 8)
        for concurrency in (1, 2, 4):
            process, port = start(config, concurrency, concurrency * 2)
            peak = [0]
            done = threading.Event()

            def sample(pid: int = process.pid, peak: list[int] = peak, done: threading.Event = done) -> None:
                while not done.is_set():
                    peak[0] = max(peak[0], tree_rss_kb(pid))
                    done.wait(0.2)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            load(port, concurrency, 3, 8)  # warm up
            latencies, answered, shed = load(port, concurrency, seconds, 8)
            done.set()
            sampler.join()
            print(f"concurrency {concurrency}: {answered / seconds * 60:.0f} probes/min, median "
                  f"{statistics.median(latencies):.2f} s, max {max(latencies):.2f} s, shed {shed}, "
                  f"peak PSS {peak[0] / 1024:.0f} MiB")
            process.send_signal(signal.SIGTERM)
            process.wait(60)

        process, port = start(config, 2, 2)
        quiet, _, _ = load(port, 1, 10, 8)
        latencies, answered, shed = load(port, 8, seconds, 8)
        process.send_signal(signal.SIGTERM)
        process.wait(60)
        ratio = statistics.median(latencies) / statistics.median(quiet)
        print(f"overload (8 scrapers, concurrency 2, queue 2): {answered} answered, {shed} shed with 503; "
              f"answered median {statistics.median(latencies):.2f} s (p95 "
              f"{sorted(latencies)[int(len(latencies) * 0.95) - 1]:.2f} s, max {max(latencies):.2f} s) vs "
              f"{statistics.median(quiet):.2f} s unloaded: ratio {ratio:.1f} "
              f"({'bounded' if max(latencies) < 4 * max(quiet) + 2 else 'NOT bounded'})")


if __name__ == "__main__":
    main()
