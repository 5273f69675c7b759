"""Build tests/data/unrelated_domains_hsts*.txt from Chromium's HSTS preload list (offline).

    pip download --no-deps hstspreload==2025.1.1 -d /tmp/hsts
    .venv/bin/python bench/make_unrelated_domains.py /tmp/hsts/hstspreload-2025.1.1-py3-none-any.whl

Why this source: every name on the HSTS preload list was submitted by the site's owner and
checked to serve HTTPS, so each is a real, working domain; the list ships inside the
``hstspreload`` wheel (161,019 hosts in 2025.1.1), so no network is needed to read it. Two
seeded samples of registrable domains, none already in the hand-made lists:

* ``unrelated_domains_hsts.txt``: 3,000 of all of them (what a short name meets in general);
* ``unrelated_domains_hsts_short.txt``: 2,000 whose name is 1-5 characters long, the stress
  case for short payer names (one edit from a 3-letter name is often one of these).
"""

from __future__ import annotations

import random
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from preflight.rules.hosts import registrable_domain  # noqa: E402

DATA = ROOT / "tests" / "data"
_IS_LEAF = 0x80


def preload_hosts(wheel: Path) -> set[str]:
    """Every leaf host of the wheel's table (the package's own ``_iter_entries`` format)."""
    with zipfile.ZipFile(wheel) as archive:
        table = archive.read("hstspreload/hstspreload.bin")
        source = archive.read("hstspreload/__init__.py").decode("utf-8")
    scope: dict[str, object] = {}
    start = source.index("_JUMPTABLE = ")
    exec(source[start:source.index("\n", start)], scope)  # a literal list of (offset, size)
    hosts = set()
    for layer in scope["_JUMPTABLE"]:  # type: ignore[attr-defined]
        for info in layer:
            if info is None:
                continue
            data = table[info[0]:info[0] + info[1]]
            while data:
                flags, size = data[0], data[1]
                if flags & _IS_LEAF:
                    hosts.add(data[2:2 + size].decode("ascii", "replace"))
                data = data[2 + size:]
    return hosts


def known() -> set[str]:
    names = set()
    for name in ("unrelated_domains.txt", "unrelated_domains_large.txt"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                names.add(registrable_domain(line.strip()))
    return names


def write(path: Path, domains: list[str], what: str) -> None:
    header = (f"# {len(domains)} real registrable domains from Chromium's HSTS preload list (the hstspreload\n"
              f"# 2025.1.1 wheel), {what}; seeded sample, made by bench/make_unrelated_domains.py.\n"
              "# Unrelated to any allowlist used in tests; none is in unrelated_domains*.txt by hand.\n")
    path.write_text(header + "\n".join(sorted(domains)) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    hosts = preload_hosts(Path(argv[0]))
    seen = known()
    domains = sorted({d for d in (registrable_domain(h) for h in hosts)
                      if d and "." in d and d.isascii() and d not in seen and not d.startswith("xn--")})
    short = [d for d in domains if 1 <= len(d.split(".", 1)[0]) <= 5]
    rng = random.Random(11)
    general = rng.sample(domains, 3000)
    rest = sorted(set(short) - set(general))
    write(DATA / "unrelated_domains_hsts.txt", general, "any length")
    write(DATA / "unrelated_domains_hsts_short.txt", rng.sample(rest, 2000), "names of 1-5 characters")
    print(f"{len(hosts)} hosts, {len(domains)} registrable domains, {len(short)} short")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
