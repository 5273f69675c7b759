"""Short payer names (2-4 letters): lookalike recall per dnstwist fuzzer kind, and false alarms.

    .venv/bin/python bench/lookalike_short_names.py [--out FILE]

An allowlist of invented short payer names is built; dnstwist's fuzzer (no DNS) makes every
permutation of each, with the account words a phishing kit adds (login, pay, verify, secure,
portal, update, member, provider). Each permutation is judged by the host judge: recall is the
share judged ``lookalike`` (or same organization, for a subdomain of the real domain), per fuzzer
kind. The false-alarm rate is the share of real, unrelated registrable domains
(tests/data/unrelated_domains.txt and tests/data/unrelated_domains_large.txt) judged anything
but ``unrelated``.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import dnstwist

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from preflight.config.allowlist import parse_allowlist  # noqa: E402
from preflight.rules.hosts import registrable_domain  # noqa: E402
from preflight.rules.lookalike.judge import HostJudge  # noqa: E402

SHORT_PAYERS = {
    # invented payers with short names: payer -> (portal hosts)
    "KQ Health": ["kq.org", "provider.kq.org"],
    "HWP": ["hwp.com", "members.hwp.com"],
    "Tamarack Health Co-op": ["tmhc.com", "provider.tmhc.com"],
    "Bluefield BCBX": ["bcbx.com", "secure.bcbx.com"],
    "ZV Dental": ["zv.net", "dentists.zv.net"],
    "Corvid": ["corvidhealth.com", "provider.corvidhealth.com"],  # a long name alongside
}
REAL_SHORT_PAYERS = {
    # real short payer domains: the same rules against real neighbours (kpn.com, uhcl.edu, the
    # other Blue plans' bcbsXX.com). Their own domains are left out of the false-alarm count.
    "Kaiser Permanente": ["kp.org"], "UnitedHealthcare": ["uhc.com"], "BCBSA": ["bcbs.com"],
    "HCSC": ["hcsc.com"], "Independence Blue Cross": ["ibx.com"],
}
ACCOUNT_WORDS = ["login", "pay", "verify", "secure", "portal", "update", "member", "provider"]
TLDS = ["net", "org", "co", "info", "us", "io", "health", "com"]
DATA = ROOT / "tests" / "data"


def allowlist_text(payers: dict[str, list[str]] = SHORT_PAYERS) -> str:
    tables = []
    for payer, hosts in payers.items():
        listed = ", ".join(f'"{h}"' for h in hosts)
        tables.append(f'[[portal]]\npayer = "{payer}"\nname = "{payer} portal"\nrole = "provider"\nhosts = [{listed}]\n')
    return "\n".join(tables)


def unrelated(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def main(argv: list[str]) -> int:
    judge = HostJudge(parse_allowlist(allowlist_text(), "<short names>"))
    domains = sorted({registrable_domain(h) for hosts in SHORT_PAYERS.values() for h in hosts})
    total: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    missed: dict[str, list[str]] = {}
    for domain in domains:
        if len(domain.split(".")[0]) > 4:
            continue
        fuzzer = dnstwist.Fuzzer(domain, dictionary=ACCOUNT_WORDS, tld_dictionary=TLDS)
        fuzzer.generate()
        for permutation in fuzzer.domains:
            host, kind = permutation["domain"], permutation["fuzzer"]
            if host == domain or kind == "*original":
                continue
            judgement = judge.judge(host)
            ok = judgement.verdict == "lookalike" or (
                judgement.verdict == "same-organization" and registrable_domain(host) == domain)
            total[kind] += 1
            caught[kind] += ok
            if not ok:
                missed.setdefault(kind, []).append(host)
    lines = ["recall per dnstwist fuzzer kind (short names: "
             + ", ".join(d for d in domains if len(d.split('.')[0]) <= 4) + ")"]
    for kind in sorted(total):
        examples = ", ".join(missed.get(kind, [])[:6])
        lines.append(f"  {kind:<14} {caught[kind]:>5}/{total[kind]:<5} {caught[kind] / total[kind]:6.1%}"
                     + (f"   missed e.g. {examples}" if examples else ""))
    all_total, all_caught = sum(total.values()), sum(caught.values())
    lines.append(f"  {'all':<14} {all_caught:>5}/{all_total:<5} {all_caught / all_total:6.1%}")
    real = HostJudge(parse_allowlist(allowlist_text(REAL_SHORT_PAYERS), "<real short names>"))
    own = {registrable_domain(h) for hosts in REAL_SHORT_PAYERS.values() for h in hosts}
    for label, some_judge in (("invented short names", judge), ("real short payer names", real)):
        for name in ("unrelated_domains.txt", "unrelated_domains_large.txt"):
            hosts = [h for h in unrelated(DATA / name) if registrable_domain(h) not in own]
            judged = {h: some_judge.judge(h) for h in hosts}
            flagged = {h: j for h, j in judged.items() if j.verdict != "unrelated"}
            lines.append(f"false alarms, {label}, {name}: {len(flagged)}/{len(hosts)} "
                         f"({len(flagged) / len(hosts):.2%})"
                         + (": " + ", ".join(f"{h} ({j.lookalike_of}, {j.signals[0]})"
                                             for h, j in list(flagged.items())[:12]) if flagged else ""))
    report = "\n".join(lines) + "\n"
    print(report, end="")
    if argv[:1] == ["--out"] and len(argv) > 1:
        Path(argv[1]).write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
