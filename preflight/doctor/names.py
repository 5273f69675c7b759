"""Name resolution of the allowlisted portal hosts, and hosts-file entries for them.

A portal host answered with a loopback or private address, or pinned in the hosts file, is the
classic hijack (malware, a rogue DNS server) and the classic leftover from testing a new server.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Sequence
from dataclasses import dataclass

from preflight.config.allowlist import Allowlist
from preflight.doctor.base import NO_NETWORK, failed, not_run, passed, plural, warned
from preflight.doctor.system import Resolution, System, is_internal, join
from preflight.model.doctor import MachineCheck, Owner

RESOLVE_TIMEOUT_S = 3.0


def hosts_file_path(system: System) -> str:
    if system.platform == "windows":
        root = system.environ.get("SystemRoot") or system.environ.get("windir") or "C:\\Windows"
        return join(system, root, "System32", "drivers", "etc", "hosts")
    return "/etc/hosts"


@dataclass(frozen=True)
class HostsEntry:
    line: int
    address: str
    host: str


def portal_entries(text: str, allowlist: Allowlist) -> tuple[HostsEntry, ...]:
    """Lines of a hosts file that name an allowlisted host (exact or through a pattern)."""
    found = []
    for number, raw in enumerate(text.splitlines(), start=1):
        fields = raw.split("#", 1)[0].split()
        if len(fields) < 2:
            continue
        for name in fields[1:]:
            if allowlist.lookup(name.lower().rstrip(".")) is not None:
                found.append(HostsEntry(number, fields[0], name.lower()))
    return tuple(found)


def hosts_file_check(system: System, allowlist: Allowlist) -> tuple[MachineCheck, tuple[HostsEntry, ...]]:
    path = hosts_file_path(system)
    content = system.read_file(path)
    if content is None:
        return not_run("dns.hosts_file", Owner.PRACTICE_IT, f"{path} could not be read"), ()
    entries = portal_entries(content.decode("utf-8", "replace"), allowlist)
    if not entries:
        return passed("dns.hosts_file", f"{path}: no entry for a portal host", Owner.PRACTICE_IT), ()
    shown = "; ".join(f"line {e.line}: {e.address} {e.host}" for e in entries)
    return failed("dns.hosts_file", Owner.PRACTICE_IT, f"{path} pins portal hosts: {shown}",
                  f"Remove those lines from {path} (a leftover from testing, or a hijack: find out which "
                  "before removing), then sign in again"), entries


def resolve_all(system: System, hosts: Sequence[str], timeout_s: float = RESOLVE_TIMEOUT_S) -> tuple[Resolution, ...]:
    """Every host at once, each bounded by ``timeout_s`` (``System.resolve`` abandons a stuck lookup)."""
    if not hosts:
        return ()
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(8, len(hosts))) as pool:
        return tuple(pool.map(lambda host: system.resolve(host, timeout_s), hosts))


def network_available(answers: Sequence[Resolution], mapped: Sequence[str] = ()) -> bool:
    """Some portal host resolves to a public address, or the run maps hosts itself (``--resolve``)."""
    return bool(mapped) or any(a.addresses and not all(is_internal(x) for x in a.addresses) for a in answers)


def resolution_check(answers: Sequence[Resolution], pinned: Sequence[HostsEntry], mapped: Sequence[str] = ()) -> MachineCheck:
    owner = Owner.PRACTICE_IT
    resolved = [a for a in answers if a.addresses]
    note = f" (mapped by --resolve/--connect-to for this run: {', '.join(mapped)})" if mapped else ""
    if not resolved:
        errors = sorted({a.error or "no answer" for a in answers})
        return not_run("dns.portal_hosts", owner, NO_NETWORK,
                       f"not run: no network — none of {plural(len(answers), 'portal host')} resolves "
                       f"({'; '.join(errors)[:160]}): no internet connection or no DNS server answering here{note}",
                       "Connect to the practice network and run doctor again")
    pinned_hosts = {e.host for e in pinned}
    internal = [(a, kind) for a in resolved for kind in {is_internal(x) for x in a.addresses} if kind]
    missing = [a for a in answers if not a.addresses and a.host not in mapped]
    problems = []
    for answer, kind in internal:
        via = " (from the hosts file)" if answer.host in pinned_hosts else ""
        problems.append(f"{answer.host} -> {', '.join(answer.addresses)} ({kind}){via}")
    if problems:
        return failed("dns.portal_hosts", owner, "portal hosts answered with addresses no public portal has: "
                      + "; ".join(problems) + note,
                      "Find what answers these names (hosts file, a local DNS override, malware) and remove it; "
                      "until then do not sign in on this computer")
    summary = f"{len(resolved)} of {plural(len(answers), 'portal host')} resolve to public addresses{note}"
    if missing:
        return warned("dns.portal_hosts", owner, summary + "; no answer for "
                      + ", ".join(f"{a.host} ({a.error})" for a in missing),
                      "Confirm these hosts with the payer and remove retired ones from the allowlist; if the "
                      "payer says they are live, check the DNS server")
    return passed("dns.portal_hosts", summary + ": " + ", ".join(f"{a.host} {a.addresses[0]}" for a in resolved[:3])
                  + (" ..." if len(resolved) > 3 else ""), owner)
