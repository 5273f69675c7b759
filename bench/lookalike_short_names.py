"""Short payer names (2-4 letters): lookalike recall per dnstwist fuzzer kind, and false alarms.

    .venv/bin/python bench/lookalike_short_names.py [--out FILE]

An allowlist of invented short payer names is built; dnstwist's fuzzer (no DNS) makes every
permutation of each, with the account words a phishing kit adds (login, pay, verify, secure,
portal, update, member, provider). Each permutation is judged by the host judge: recall is the
share judged ``lookalike`` (or same organization, for a subdomain of the real domain), per fuzzer
kind. The false-alarm rate is the share of real, unrelated registrable domains
judged anything but ``unrelated``: the hand-made tests/data/unrelated_domains.txt and
unrelated_domains_large.txt (1,256), and two seeded samples of Chromium's HSTS preload list
(bench/make_unrelated_domains.py): 3,000 of any length and 2,000 short (1-5 characters), the
stress case. Tuned-on and held-out invented names are reported apart.
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
HELD_OUT_PAYERS = {
    # invented after the rules were written and never tuned on: vowels (vowel-swap), other endings
    "Oka Health": ["oka.net", "provider.oka.net"],
    "EBI Benefits": ["ebi.org", "members.ebi.org"],
    "AMHP": ["amhp.com", "providers.amhp.com"],
    "YU Dental": ["yu.com", "dentists.yu.com"],
    "PCH Plan": ["pch.org", "login.pch.org"],
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


FP_LISTS = ("unrelated_domains.txt", "unrelated_domains_large.txt", "unrelated_domains_hsts.txt",
            "unrelated_domains_hsts_short.txt")


def recall(payers: dict[str, list[str]], label: str) -> list[str]:
    judge = HostJudge(parse_allowlist(allowlist_text(payers), "<short names>"))
    domains = sorted({registrable_domain(h) for hosts in payers.values() for h in hosts})
    domains = [d for d in domains if len(d.split(".")[0]) <= 4]
    total: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    missed: dict[str, list[str]] = {}
    for domain in domains:
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
    lines = [f"recall per dnstwist fuzzer kind, {label} ({', '.join(domains)})"]
    for kind in sorted(total):
        examples = ", ".join(missed.get(kind, [])[:6])
        lines.append(f"  {kind:<14} {caught[kind]:>5}/{total[kind]:<5} {caught[kind] / total[kind]:6.1%}"
                     + (f"   missed e.g. {examples}" if examples else ""))
    all_total, all_caught = sum(total.values()), sum(caught.values())
    lines.append(f"  {'all':<14} {all_caught:>5}/{all_total:<5} {all_caught / all_total:6.1%}")
    return lines


def false_alarms(payers: dict[str, list[str]], label: str) -> list[str]:
    judge = HostJudge(parse_allowlist(allowlist_text(payers), f"<{label}>"))
    own = {registrable_domain(h) for hosts in payers.values() for h in hosts}
    lines = []
    everything: list[str] = []
    for name in FP_LISTS:
        hosts = [h for h in unrelated(DATA / name) if registrable_domain(h) not in own]
        if name != "unrelated_domains_hsts_short.txt":
            everything += hosts
        flagged = {h: j for h, j in ((h, judge.judge(h)) for h in hosts) if j.verdict != "unrelated"}
        lines.append(f"false alarms, {label}, {name}: {len(flagged)}/{len(hosts)} "
                     f"({len(flagged) / len(hosts):.2%})"
                     + (": " + ", ".join(f"{h} ({j.lookalike_of}, {j.signals[0]})"
                                         for h, j in list(flagged.items())[:12]) if flagged else ""))
    flagged_all = sum(judge.judge(h).verdict != "unrelated" for h in everything)
    lines.append(f"false alarms, {label}, hand-made + HSTS sample ({len(everything)} domains): "
                 f"{flagged_all}/{len(everything)} ({flagged_all / len(everything):.2%})")
    return lines


def main(argv: list[str]) -> int:
    lines = recall(SHORT_PAYERS, "tuned-on names")
    lines += recall(HELD_OUT_PAYERS, "held-out names")
    lines += false_alarms(SHORT_PAYERS, "tuned-on invented names")
    lines += false_alarms(HELD_OUT_PAYERS, "held-out invented names")
    lines += false_alarms(REAL_SHORT_PAYERS, "real short payer names")
    report = "\n".join(lines) + "\n"
    print(report, end="")
    if argv[:1] == ["--out"] and len(argv) > 1:
        Path(argv[1]).write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
