"""Brands derived from the allowlist: the names a lookalike imitates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from preflight.config.allowlist import LOGIN_ROLES, Allowlist
from preflight.rules.hosts import (
    host_parts,
    is_ip,
    label_to_unicode,
    registrable_domain,
    tenant_domain,
)
from preflight.rules.lookalike.data import lookalike_words
from preflight.rules.lookalike.distance import typo_limit
from preflight.rules.lookalike.skeleton import skeleton


@dataclass(frozen=True)
class Brand:
    """A name from the allowlist worth imitating."""

    name: str
    """As the allowlist spells it (Unicode for IDN labels): ``cigna``, ``cignaforhcp``."""
    skeleton: str
    target: str
    """What it stands for: a registrable domain (``cigna.com``) or a host."""
    official_host: str
    """Where to send people instead."""
    from_domain: bool
    """Taken from a registrable domain (``cigna`` of ``cigna.com``) rather than a host label."""
    limit: int = 0
    """``typo_limit`` for this name: how far a spelling may stray and still imitate it."""


def official_hosts(allowlist: Allowlist) -> dict[str, str]:
    """Allowlisted host or domain -> the host to send people to (a login portal host first)."""
    hosts = list(allowlist.hosts)
    login_hosts = [e.host for e in (allowlist.lookup(h) for h in hosts) if e and e.role in LOGIN_ROLES]
    official = {host: host for host in hosts}
    for host in login_hosts + hosts:
        for domain in (registrable_domain(host), tenant_domain(host)):
            official.setdefault(domain, host)
    for portal in allowlist.portals:
        for pattern in portal.host_patterns:
            official.setdefault(registrable_domain(pattern[2:]), pattern[2:])
    return official


def derive_brands(allowlist: Allowlist, official: Mapping[str, str]) -> tuple[Brand, ...]:
    generic = lookalike_words().generic_labels
    hosts = list(allowlist.hosts)
    patterns = [p[2:] for portal in allowlist.portals for p in portal.host_patterns]
    brands: dict[str, Brand] = {}

    def add(label: str, target: str, official: str, from_domain: bool, minimum: int) -> None:
        name = label_to_unicode(label)
        if name in generic or len(name) < minimum or name.isdigit():
            return
        key = skeleton(name)
        if key and key not in brands:
            brands[key] = Brand(name, key, target, official, from_domain, typo_limit(len(key)))

    tenant_labels: dict[str, int] = {}
    for host in hosts + patterns:
        if is_ip(host):
            continue
        parts = host_parts(host)
        tenant = tenant_domain(host)
        if tenant != registrable_domain(host) and tenant != host:
            # On a hosting platform (payer.github.io): the tenant label is the name, not "github".
            label = tenant.split(".", 1)[0]
            add(label, tenant, official.get(tenant, host), True, 2)
            tenant_labels[host] = len(tenant.split("."))
        elif parts.domain and parts.suffix:
            domain = f"{parts.domain}.{parts.suffix}"
            add(parts.domain, domain, official.get(domain, host), True, 2)
    for host in hosts:
        if is_ip(host):
            continue
        subdomain = host_parts(host).subdomain
        if host in tenant_labels:
            subdomain = tuple(host.split("."))[: max(0, len(host.split(".")) - tenant_labels[host])]
        for label in subdomain:
            add(label, host, host, False, 4)
            for segment in label.split("-") if "-" in label else ():
                add(segment, host, host, False, 4)
    return tuple(brands.values())
