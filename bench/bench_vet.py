"""Benchmark ``preflight vet`` against tldextract alone, on the same URLs, in one run.

    .venv/bin/python bench/bench_vet.py [--count 100000] [--seed 7] [--tracemalloc]

Generates a mix of official, lookalike and unrelated URLs (mostly distinct hosts, so caches do
not flatter the figures), times ``vet_urls`` over them on one core, then times
``tldextract`` extracting the same URLs, and prints URLs/s for both (per second of CPU time,
which a busy machine does not distort, and per second of wall time) and the peak memory.
Targets: >= 20,000 URLs/s of one core's CPU time and <= 150 MB peak RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
import string
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from preflight.config.allowlist import load_allowlist  # noqa: E402
from preflight.rules import hosts, lookalike  # noqa: E402
from preflight.rules.lookalike.judge import HostJudge  # noqa: E402
from preflight.vet import vet_urls  # noqa: E402

TARGET_URLS_PER_S = 20_000
TARGET_PEAK_MB = 150
SUFFIXES = ["com", "net", "org", "co", "io", "info", "us", "biz", "co.uk", "com.au", "health", "xyz", "online"]
WORDS = ["secure", "login", "portal", "provider", "account", "verify", "update", "my", "auth", "support",
         "health", "care", "claims", "benefits", "access", "online", "web", "app"]
PATHS = ["/", "/login", "/app/login", "/app/public/#/login", "/signin?next=%2Fhome", "/auth?code=abc123&state=x",
         "/portal/home?token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "/a/b/c.html"]


def _mutate(name: str, rng: random.Random) -> str:
    """One typo-squat of ``name``: omission, repetition, swap, replacement, homoglyph, hyphen."""
    i = rng.randrange(len(name))
    kind = rng.randrange(7)
    if kind == 0:
        return name[:i] + name[i + 1:] or name
    if kind == 1:
        return name[:i] + name[i] + name[i:]
    if kind == 2 and i < len(name) - 1:
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    if kind == 3:
        return name[:i] + rng.choice(string.ascii_lowercase) + name[i + 1:]
    if kind == 4:
        table = {"o": "0", "i": "1", "l": "1", "m": "rn", "a": "а", "e": "е", "c": "с", "n": "m"}
        return name[:i] + table.get(name[i], name[i]) + name[i + 1:]
    if kind == 5 and 0 < i:
        return name[:i] + "-" + name[i:]
    return name + rng.choice(["s", "1", "-login", "portal", "secure"])


def _random_label(rng: random.Random) -> str:
    consonants, vowels = "bcdfghjklmnprstvwz", "aeiou"
    size = rng.randint(2, 5)
    return "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(size)) + (
        str(rng.randint(0, 999)) if rng.random() < 0.3 else "")


def generate(count: int, seed: int, official_hosts: list[str], brands: list[str]) -> list[str]:
    rng = random.Random(seed)
    unrelated_known = [line.strip() for line in (Path(__file__).resolve().parents[1] / "tests/data/unrelated_domains.txt")
                       .read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    urls = []
    for _ in range(count):
        roll = rng.random()
        path = rng.choice(PATHS)
        if roll < 0.30:
            host = rng.choice(official_hosts)
            if rng.random() < 0.2:
                host = host.upper() + "."
            urls.append(f"https://{host}{path}")
        elif roll < 0.65:
            brand = rng.choice(brands)
            style = rng.randrange(5)
            suffix = rng.choice(SUFFIXES)
            if style == 0:
                host = f"{_mutate(brand, rng)}.{suffix}"
            elif style == 1:
                host = f"{brand}-{rng.choice(WORDS)}-{rng.choice(WORDS)}.{suffix}"
            elif style == 2:
                host = f"{rng.choice(official_hosts)}.{_random_label(rng)}.{suffix}"
            elif style == 3:
                host = f"{brand}.{suffix}"
            else:
                host = f"{rng.choice(WORDS)}.{_mutate(brand, rng)}{rng.randint(0, 99)}.{suffix}"
            trick = rng.random()
            if trick < 0.1:
                urls.append(f"https://{rng.choice(official_hosts)}@{host}{path}")
            elif trick < 0.15:
                urls.append(f"{host}{path}")
            else:
                urls.append(f"https://{host}{path}")
        else:
            if rng.random() < 0.2:
                host = rng.choice(unrelated_known)
            else:
                host = f"{rng.choice(['', 'www.', 'login.', 'app.'])}{_random_label(rng)}.{rng.choice(SUFFIXES)}"
            urls.append(f"https://{host}{path}")
    return urls


def _clear_caches() -> None:
    for cached in (hosts.normalize_host, hosts.host_parts, hosts.registrable_domain, hosts.tenant_domain,
                   lookalike.skeleton):
        cached.cache_clear()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also measure the Python heap peak of a second vet pass (slower)")
    args = parser.parse_args()

    allowlist = load_allowlist(None)
    warm = HostJudge(allowlist)
    brands = sorted({b.name for b in warm.brands})
    urls = generate(args.count, args.seed, list(allowlist.hosts), brands)
    hosts_seen = len({hosts.host_of(u if "://" in u else "https://" + u) for u in urls})
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # The baseline first, so that it runs with the least garbage around.
    extract = hosts._extractor()
    started, cpu_started = time.perf_counter(), time.process_time()
    for url in urls:
        extract(url)
    tld_s, tld_cpu = time.perf_counter() - started, time.process_time() - cpu_started

    _clear_caches()
    judge = HostJudge(allowlist)
    started, cpu_started = time.perf_counter(), time.process_time()
    results = list(vet_urls(urls, judge))
    vet_s, vet_cpu = time.perf_counter() - started, time.process_time() - cpu_started

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    verdicts: dict[str, int] = {}
    for result in results:
        verdicts[result.verdict] = verdicts.get(result.verdict, 0) + 1

    print(f"URLs: {len(urls):,} ({hosts_seen:,} distinct hosts), verdicts: {verdicts}")
    # CPU time is what one core spends; wall time also counts waiting for a busy machine.
    print(f"vet:             {len(urls) / vet_cpu:>10,.0f} URLs/s of CPU time, "
          f"{len(urls) / vet_s:>10,.0f} URLs/s wall ({vet_s:.2f} s)")
    print(f"tldextract only: {len(urls) / tld_cpu:>10,.0f} URLs/s of CPU time, "
          f"{len(urls) / tld_s:>10,.0f} URLs/s wall ({tld_s:.2f} s)")
    print(f"vet / tldextract CPU time: {vet_cpu / tld_cpu:.1f}x")
    print(f"peak RSS: {peak_mb:.0f} MB (before vet: {rss_before:.0f} MB)")
    if args.tracemalloc:
        _clear_caches()
        del results
        tracemalloc.start()
        results = list(vet_urls(urls, HostJudge(allowlist)))
        _, heap_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"Python heap peak during vet (tracemalloc): {heap_peak / 2**20:.0f} MB")
    ok = len(urls) / vet_cpu >= TARGET_URLS_PER_S and peak_mb <= TARGET_PEAK_MB
    print(f"targets (>= {TARGET_URLS_PER_S:,} URLs/s, <= {TARGET_PEAK_MB} MB): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
