"""Clock-skew accuracy against the mock portal: the boundary-straddling probe vs one ``Date``.

Each trial is a server clock the probe has never seen (a random sub-second offset), measured over
HTTPS on loopback exactly as a run measures a portal. The baseline, computed from the same run's
first answer, is what most tools do with a single ``Date``: midpoint of the request minus
mid-second.

    .venv/bin/python bench/bench_clock.py [--trials 50] [--jobs 1] [--seed N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from preflight.capture.clockprobe import measure_url  # noqa: E402
from preflight.config.network import parse_connect_to  # noqa: E402
from preflight.mock.server import MockPortal  # noqa: E402
from preflight.rules.skew import estimate, naive_skew  # noqa: E402

HOST = "bench.clock.test"


@dataclass(frozen=True)
class Trial:
    truth: float
    """This computer minus the server (the server runs ``-truth`` seconds off)."""
    skew: float | None
    uncertainty: float | None
    naive: float | None
    requests: int
    seconds: float

    @property
    def contained(self) -> bool:
        if self.skew is None or self.uncertainty is None:
            return False
        return abs(self.skew - self.truth) <= self.uncertainty


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=1, help="trials measured at once (threads)")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    rng = random.Random(seed)
    offsets = [rng.uniform(-0.999, 0.999) for _ in range(args.trials)]

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / HOST).mkdir()
        (root / HOST / "_routes.toml").write_text("".join(
            f'[[route]]\npath = "/t{i}"\nbody = "trial"\ndate_offset_s = {offset!r}\n'
            for i, offset in enumerate(offsets)))
        with MockPortal(roots=[root]) as portal:
            mappings = [parse_connect_to(arg) for arg in portal.connect_to_args([HOST])]

            def trial(index: int) -> Trial:
                started = time.monotonic()
                samples = measure_url(portal.url(HOST, f"/t{index}"), mappings, [portal.cert_path])
                seconds = time.monotonic() - started
                result = estimate(samples)
                return Trial(-offsets[index], result.skew_seconds, result.uncertainty_seconds,
                             naive_skew(samples[0]) if samples else None, len(samples), seconds)

            began = time.monotonic()
            with ThreadPoolExecutor(max(1, args.jobs)) as pool:
                trials = list(pool.map(trial, range(args.trials)))
            wall = time.monotonic() - began

    measured = [t for t in trials if t.skew is not None]
    print(f"clock bench: {args.trials} trials, server offsets uniform in (-1, 1) s, seed {seed}, "
          f"{args.jobs} at once, HTTPS on loopback; {wall:.1f} s in all")
    print(f"{'estimate':<28}{'median |err|':>14}{'p95 |err|':>12}{'max |err|':>12}")
    _row("straddling probe (ours)", [abs(t.skew - t.truth) for t in measured])  # type: ignore[operator]
    _row("single Date (naive)", [abs(t.naive - t.truth) for t in trials if t.naive is not None])
    uncertainties = [t.uncertainty for t in measured if t.uncertainty is not None]
    print(f"measured {len(measured)}/{len(trials)}; true offset inside the reported interval "
          f"{sum(t.contained for t in trials)}/{len(trials)}; "
          f"reported ± median {_ms(statistics.median(uncertainties))}, max {_ms(max(uncertainties))}")
    requests = [t.requests for t in trials]
    seconds = [t.seconds for t in trials]
    print(f"requests per trial: median {statistics.median(requests):g}, max {max(requests)} "
          f"(naive: 1); time per trial: median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s")
    return 0 if all(t.contained for t in trials) else 1


def _row(name: str, errors: list[float]) -> None:
    errors = sorted(errors)
    p95 = errors[min(len(errors) - 1, round(0.95 * (len(errors) - 1)))]
    print(f"{name:<28}{_ms(statistics.median(errors)):>14}{_ms(p95):>12}{_ms(errors[-1]):>12}")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


if __name__ == "__main__":
    raise SystemExit(main())
