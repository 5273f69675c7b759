"""``allowlist.toml`` -> a frozen, validated ``Allowlist``.

Errors name the file, the line (where it can be found) and the key, and become exit code 2.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from preflight.config.toml import find_file, loads_toml, read_toml_text
from preflight.errors import ConfigError
from preflight.rules.hosts import InvalidURL, normalize_host, parse_url, registrable_domain

PACKAGED_SOURCE = "<packaged default>"
"""``Allowlist.source`` of the list shipped in the package."""
ROLES = ("provider", "member", "employer", "broker", "identity", "resource")
"""Portal roles. ``identity``: a sign-in service; ``resource``: static/CDN hosts."""

LOGIN_ROLES = ("provider", "member", "employer", "broker")

_PORTAL_KEYS = {"payer", "name", "role", "hosts", "host_patterns", "identity_hosts", "aliases", "notes",
                "login_urls", "change_password_url"}

_TOP_KEYS = {"portal", "version"}

ENV_ALLOWLIST = "PREFLIGHT_ALLOWLIST"


@dataclass(frozen=True)
class Portal:
    """One official portal: who runs it, what it is for, and the hosts it answers on."""

    payer: str
    name: str
    role: str
    hosts: tuple[str, ...]
    """Exact host names, lower-case ASCII (punycode)."""
    host_patterns: tuple[str, ...] = ()
    """``*.example.com`` patterns: discouraged, reported as such."""
    identity_hosts: tuple[str, ...] = ()
    """Sign-in services a login on this portal may pass through."""
    login_urls: tuple[str, ...] = ()
    """Pages where the password is typed (``https://`` on this portal's hosts or identity hosts);
    empty means ``https://<host>/`` for each host. Exported as ``PasswordProtectionLoginURLs``."""
    change_password_url: str | None = None
    """Where users change this portal's password (same host rule); exported as
    ``PasswordProtectionChangePasswordURL``."""
    aliases: tuple[str, ...] = ()
    """Other names pages use for this payer or portal ("Cigna Healthcare", "CHCP"): with ``payer``
    and ``name``, what a login off the allowlist must not present itself as (domain.impersonates)."""


@dataclass(frozen=True)
class HostEntry:
    """What the allowlist says about one exact host."""

    host: str
    portal: Portal
    role: str
    """The portal's role, or ``identity`` for a portal's identity host."""
    via_pattern: str | None = None


@dataclass(frozen=True)
class Allowlist:
    portals: tuple[Portal, ...]
    source: str = "<memory>"
    """Path of the file it came from, or ``<packaged default>``."""
    _exact: Mapping[str, HostEntry] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(cls, portals: tuple[Portal, ...], source: str = "<memory>") -> Allowlist:
        exact: dict[str, HostEntry] = {}
        for portal in portals:
            for host in portal.hosts:
                exact[host] = HostEntry(host, portal, portal.role)
            for host in portal.identity_hosts:
                exact.setdefault(host, HostEntry(host, portal, "identity"))
        return cls(portals=portals, source=source, _exact=exact)

    def lookup(self, host: str) -> HostEntry | None:
        """The entry for ``host`` (already normalised), exact hosts before patterns."""
        entry = self._exact.get(host)
        if entry is not None:
            return entry
        for portal in self.portals:
            for pattern in portal.host_patterns:
                suffix = pattern[1:]  # "*.example.com" -> ".example.com"
                if host.endswith(suffix) and host != suffix[1:]:
                    return HostEntry(host, portal, portal.role, via_pattern=pattern)
        return None

    @property
    def hosts(self) -> tuple[str, ...]:
        return tuple(self._exact)

    @property
    def registrable_domains(self) -> frozenset[str]:
        domains = {registrable_domain(h) for h in self._exact}
        for portal in self.portals:
            domains.update(registrable_domain(p[2:]) for p in portal.host_patterns)
        return frozenset(domains)


def packaged_default_text() -> str:
    return resources.files("preflight").joinpath("data/allowlist.toml").read_text(encoding="utf-8")


def find_allowlist(explicit: str | os.PathLike[str] | None, cwd: Path | None = None) -> Path | None:
    """``--allowlist``, then ``$PREFLIGHT_ALLOWLIST``, ``./allowlist.toml``, the user config dir.

    ``None`` means: use the packaged default.
    """
    return find_file(explicit, ENV_ALLOWLIST, "allowlist.toml", cwd)


def load_allowlist(explicit: str | os.PathLike[str] | None = None) -> Allowlist:
    path = find_allowlist(explicit)
    if path is None:
        return parse_allowlist(packaged_default_text(), PACKAGED_SOURCE)
    return parse_allowlist(read_toml_text(path, "allowlist", "pass the path of an allowlist.toml"), str(path))


def parse_allowlist(text: str, source: str = "<memory>") -> Allowlist:
    hint = "see the allowlist section of README.md"
    data = loads_toml(text, source)
    unknown = set(data) - _TOP_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise ConfigError(f"{where(source, text, key)}: unknown key {key!r}",
                          f"top-level keys are {', '.join(sorted(_TOP_KEYS))}")
    tables = data.get("portal")
    if not tables:
        raise ConfigError(f"{source}: no [[portal]] entries", f"add at least one portal; {hint}")
    if not isinstance(tables, list):
        raise ConfigError(f"{source}: 'portal' must be an array of tables ([[portal]])", hint)

    portals: list[Portal] = []
    owner: dict[str, tuple[str, str]] = {}  # host -> (portal name, role)
    for index, table in enumerate(tables, start=1):
        portal_at = f"{source}: portal #{index}"
        if not isinstance(table, dict):
            raise ConfigError(f"{portal_at}: must be a table", hint)
        unknown = set(table) - _PORTAL_KEYS
        if unknown:
            key = sorted(unknown)[0]
            raise ConfigError(f"{where(source, text, key)}: portal #{index}: unknown key {key!r}",
                              f"allowed keys: {', '.join(sorted(_PORTAL_KEYS))}")
        for key in ("payer", "name", "role", "hosts"):
            if key not in table:
                raise ConfigError(f"{portal_at}: missing required key {key!r}", hint)
        for key in ("payer", "name", "role"):
            if not isinstance(table[key], str) or not table[key].strip():
                raise ConfigError(f"{where(source, text, key, index)}: portal #{index}: "
                                  f"{key!r} must be a non-empty string", hint)
        role = table["role"]
        if role not in ROLES:
            raise ConfigError(f"{where(source, text, role, index)}: portal #{index}: unknown role {role!r}",
                              f"use one of {', '.join(ROLES)}")
        hosts = _host_list(table, "hosts", source, text, index, required=True)
        patterns = tuple(_pattern(p, source, text, index) for p in _str_list(table, "host_patterns", source, text, index))
        identity = _host_list(table, "identity_hosts", source, text, index)
        aliases = _aliases(table, source, text, index)
        for host, host_role in [(h, role) for h in hosts] + [(h, "identity") for h in identity]:
            previous = owner.get(host)
            if previous is not None:
                if previous[1] != host_role:
                    raise ConfigError(
                        f"{where(source, text, host, occurrence=2)}: host {host!r} is listed as "
                        f"{previous[1]} ({previous[0]}) and as {host_role} ({table['name']})",
                        "a host has one role; split the portals by host")
                if host_role != "identity":
                    raise ConfigError(
                        f"{where(source, text, host, occurrence=2)}: duplicate host {host!r} "
                        f"(already in {previous[0]})", "list each host once")
            owner[host] = (table["name"], host_role)
        own_hosts = set(hosts) | set(identity)
        login_urls = tuple(_portal_url(u, "login_urls", own_hosts, source, text, index)
                           for u in _str_list(table, "login_urls", source, text, index))
        change_password_url = None
        if "change_password_url" in table:
            value = table["change_password_url"]
            if not isinstance(value, str):
                raise ConfigError(f"{where(source, text, 'change_password_url', index)}: portal #{index}: "
                                  "'change_password_url' must be a string",
                                  'e.g. change_password_url = "https://portal.example.com/password/change"')
            change_password_url = _portal_url(value, "change_password_url", own_hosts, source, text, index)
        portals.append(Portal(payer=table["payer"].strip(), name=table["name"].strip(), role=role,
                              hosts=hosts, host_patterns=patterns, identity_hosts=identity, aliases=aliases,
                              login_urls=login_urls, change_password_url=change_password_url))
    return Allowlist.build(tuple(portals), source)


def _str_list(table: Mapping[str, Any], key: str, source: str, text: str, index: int) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where(source, text, key, index)}: portal #{index}: {key!r} must be a list of strings",
                          f'e.g. {key} = ["portal.example.com"]')
    return value


def _aliases(table: Mapping[str, Any], source: str, text: str, index: int) -> tuple[str, ...]:
    """Names of at least two letters or digits, each once (case and spacing ignored)."""
    aliases: list[str] = []
    for value in _str_list(table, "aliases", source, text, index):
        name = " ".join(value.split())
        if sum(ch.isalnum() for ch in name) < 2:
            raise ConfigError(f"{where(source, text, 'aliases', index)}: portal #{index}: alias {value!r} is too short",
                              "an alias is a name pages show, such as \"Cigna Healthcare\"")
        if name.casefold() in {a.casefold() for a in aliases}:
            raise ConfigError(f"{where(source, text, value, occurrence=2)}: portal #{index}: duplicate alias {value!r}",
                              "list each alias once")
        aliases.append(name)
    return tuple(aliases)


def _host_list(table: Mapping[str, Any], key: str, source: str, text: str, index: int,
               required: bool = False) -> tuple[str, ...]:
    values = _str_list(table, key, source, text, index)
    if required and not values:
        raise ConfigError(f"{where(source, text, key, index)}: portal #{index}: {key!r} is empty",
                          "list at least one exact host name")
    hosts: list[str] = []
    for value in values:
        if "*" in value:
            raise ConfigError(f"{where(source, text, value)}: portal #{index}: {value!r} in {key!r} is a pattern",
                              "put wildcard entries in host_patterns (discouraged) or list exact hosts")
        host = _host(value, source, text, index, key)
        if host in hosts:
            raise ConfigError(f"{where(source, text, value, occurrence=2)}: duplicate host {host!r}",
                              "list each host once")
        hosts.append(host)
    return tuple(hosts)


def _host(value: str, source: str, text: str, index: int, key: str) -> str:
    def bad() -> ConfigError:
        # Built only on failure: finding the line scans the file, and hosts are many (linear validation).
        return ConfigError(f"{where(source, text, value)}: portal #{index}: {value!r} in {key!r} is not a host name",
                           "write a bare host such as portal.example.com (no scheme, path or port)")

    if not value or value != value.strip() or re.search(r"[/:@?#\s\\]", value):
        raise bad()
    try:
        host = normalize_host(value)
    except InvalidURL:
        raise bad() from None
    if "." not in host or host.startswith(".") or ".." in host:
        raise bad()
    return host


def _portal_url(value: str, key: str, own_hosts: set[str], source: str, text: str, index: int) -> str:
    """An ``https://`` URL on one of the portal's own hosts (or identity hosts).

    These URLs end up in browser policy on every managed PC: a typo, a plain-HTTP page or a
    host the list does not trust would teach the browser to trust the wrong page.
    """
    at = f"{where(source, text, value)}: portal #{index}: {value!r} in {key!r}"
    try:
        parsed = parse_url(value.strip())
    except InvalidURL:
        raise ConfigError(f"{at} is not a URL", "write a full https:// URL") from None
    if parsed.scheme != "https":
        raise ConfigError(f"{at} is not https://", "portal sign-in pages must be https://")
    if parsed.has_credentials:
        raise ConfigError(f"{at} carries credentials", "remove the user name and password from the URL")
    if parsed.host not in own_hosts:
        raise ConfigError(f"{at}: host {parsed.host!r} is not one of this portal's hosts or identity_hosts",
                          "add the host to hosts (or identity_hosts) first, or fix the URL")
    return parsed.href


def _pattern(value: str, source: str, text: str, index: int) -> str:
    if not value.startswith("*.") or "*" in value[2:]:
        raise ConfigError(f"{where(source, text, value)}: portal #{index}: host pattern {value!r} must look like '*.example.com'",
                          "only a leading '*.' wildcard is supported")
    return "*." + _host(value[2:], source, text, index, "host_patterns")


def where(source: str, text: str, needle: str, portal_index: int | None = None, occurrence: int = 1) -> str:
    """``file:line`` of the ``occurrence``-th mention of ``needle`` (best effort)."""
    seen = 0
    portal_seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith("[[portal]]"):
            portal_seen += 1
        if portal_index is not None and portal_seen != portal_index:
            continue
        if needle in line.split("#", 1)[0]:
            seen += 1
            if seen == occurrence:
                return f"{source}:{number}"
    return source
