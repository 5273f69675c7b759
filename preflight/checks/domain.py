"""Domain trust: is every host the login flow lands on an official portal host?

Hosts come from the browser's own URLs (the redirect chain, the final page, later script
navigations), so they are the hosts the browser really visited.
"""

from __future__ import annotations

from ..hosts import host_of, is_loopback, registrable_domain
from ..models import CheckResult, PageSnapshot, Severity
from .base import CheckConfig, FindingList

NAME = "domain"


def flow_urls(snapshot: PageSnapshot) -> list[tuple[str, str]]:
    """``(url, where)`` for every page-level URL of the visit, in order, without repeats."""
    seen: set[str] = set()
    urls: list[tuple[str, str]] = []
    hops = snapshot.redirects
    for index, hop in enumerate(hops):
        where = "final page" if index == len(hops) - 1 else f"redirect hop {index + 1}"
        urls.append((hop.url, where))
    urls.append((snapshot.final_url, "final page"))
    for url in snapshot.navigations:
        urls.append((url, "script navigation"))
    unique = []
    for url, where in urls:
        if url and url not in seen:
            seen.add(url)
            unique.append((url, where))
    return unique


def check(snapshot: PageSnapshot, config: CheckConfig) -> CheckResult:
    found = FindingList(NAME)
    allowlist = config.allowlist
    official: list[dict[str, str]] = []
    for url, where in flow_urls(snapshot):
        host = host_of(url)
        scheme = url.split(":", 1)[0].lower()
        if not host:
            continue
        entry = allowlist.lookup(host)
        if scheme == "http":
            if is_loopback(host):
                found.add("insecure_loopback", Severity.WARN,
                          f"The {where} uses plain HTTP on a loopback host ({host}); fine for a test, never for a real portal.",
                          url=url, host=host)
            else:
                found.add("not_https", Severity.FAIL,
                          f"The {where} is not encrypted (plain HTTP): do not enter a password on {host}.",
                          url=url, host=host)
        if entry is not None:
            official.append({"host": host, "where": where, "payer": entry.portal.payer,
                             "portal": entry.portal.name, "role": entry.role})
            if entry.via_pattern:
                found.add("pattern_match", Severity.WARN,
                          f"{host} is trusted only through the wildcard {entry.via_pattern}; list the exact host instead.",
                          host=host, pattern=entry.via_pattern)
            continue
        domain = registrable_domain(host)
        if domain in allowlist.registrable_domains:
            found.add("same_organization", Severity.WARN,
                      f"The {where} is on {host}: same organization ({domain}) but not a listed portal host.",
                      host=host, registrable_domain=domain, where=where)
        else:
            found.add("not_allowlisted", Severity.FAIL,
                      f"The {where} is on {host}, which is not an official portal host in the allowlist.",
                      host=host, registrable_domain=domain, where=where)
    if official and not any(f.severity is Severity.FAIL for f in found.items):
        final = official[-1]
        found.add("official", Severity.PASS,
                  f"{final['host']} is the official {final['payer']} {final['portal']} ({final['role']}) portal.",
                  hosts=official)
    return found.result()
