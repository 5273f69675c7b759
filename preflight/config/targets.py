"""What to check: a URL from the command line, or a ``[[target]]`` table of ``preflight.toml``.

A target carries its own intent (``expect``), time bound and host mappings; the runner applies
them per target, and the browser gets the union of every selected target's mappings (a host
mapped two different ways is a ``ConfigError`` before any browser starts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from preflight.config.network import HostMapping, parse_connect_to, parse_resolve
from preflight.errors import ConfigError, UsageError
from preflight.rules.hosts import InvalidURL, as_browser_url, parse_url
from preflight.rules.redact import redact_url

ROLE_CHOICES = ("provider", "member", "employer", "broker")
"""The logins ``expect`` can name."""

MIN_TIMEOUT_S, MAX_TIMEOUT_S = 0.5, 600.0
"""Seconds a target may be given (``--timeout``, ``[run] timeout``, a target's ``timeout``)."""
JOBS_RANGE, RETRIES_RANGE, CONFIRM_RANGE = (1, 32), (0, 5), (0, 5)
"""``--jobs``, ``--retries``, ``--confirm`` and their ``[run]`` keys, inclusive."""

NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
"""Target names and tags: they become metric labels, file names and JUnit test names."""

TARGET_KEYS = ("name", "url", "expect", "connect_to", "resolve", "trust_cert", "timeout", "tags")


@dataclass(frozen=True)
class Target:
    """One thing to check. ``name`` is what every report and metric calls it."""

    url: str
    """As the browser opens it (validated; never carries credentials)."""
    name: str = ""
    """Empty for a URL typed on the command line: reports then use the redacted URL."""
    expect: str | None = None
    """The login this target should be (``provider``, ``member`` ...), or ``--expect``'s."""
    timeout_s: float | None = None
    """This target's bound (retries included); ``--timeout`` when None."""
    tags: tuple[str, ...] = ()
    mappings: tuple[HostMapping, ...] = ()
    """``connect_to`` and ``resolve`` of this target (the browser gets them all)."""
    trust_certs: tuple[str, ...] = ()
    """``trust_cert`` files, absolute."""

    @property
    def label(self) -> str:
        """The name, or the redacted URL when the target has none."""
        return self.name or redact_url(self.url)


def validate_target(text: str) -> str:
    """A URL a browser can open over HTTP(S), without credentials. Schemeless means https."""
    raw = text.strip()
    if not raw:
        raise UsageError("empty URL", "give a URL such as https://cignaforhcp.cigna.com/")
    if len(raw) > 8192:
        raise UsageError("URL longer than 8192 characters", "check what was pasted")
    try:
        parsed = parse_url(as_browser_url(raw))
    except InvalidURL:
        raise UsageError(f"not a valid URL: {redact_url(raw)!r}",
                         "give a full URL such as https://cignaforhcp.cigna.com/") from None
    if parsed.scheme not in ("http", "https"):
        raise UsageError(f"unsupported scheme {parsed.scheme + ':'!r} in {redact_url(raw)!r}",
                         "preflight checks web pages: use an https:// URL")
    if parsed.has_credentials:
        raise UsageError(f"URL carries credentials: {redact_url(parsed.href)!r}",
                         "remove the user name and password from the URL; never put them in a link")
    if not parsed.host:
        raise UsageError(f"URL has no host: {redact_url(raw)!r}", "give a URL such as https://cignaforhcp.cigna.com/")
    return parsed.href


def parse_targets(entries: Any, place: Any, base: Path | None) -> tuple[Target, ...]:
    """``[[target]]`` tables -> targets; ``place(needle, index)`` gives ``file:line`` for messages."""
    hint = "see the preflight.toml section of README.md"
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ConfigError(f"{place('target', None)}: 'target' must be an array of tables ([[target]])", hint)
    targets: list[Target] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries, start=1):
        targets.append(_target(entry, index, place, base, hint))
        name = targets[-1].name
        if name in seen:
            raise ConfigError(f"{place('name', index)}: target name {name!r} is used twice "
                              f"(targets {seen[name]} and {index})", "give each [[target]] its own name")
        seen[name] = index
    return tuple(targets)


def _target(entry: Mapping[str, Any], index: int, place: Any, base: Path | None, hint: str) -> Target:
    for key in entry:
        if key not in TARGET_KEYS:
            raise ConfigError(f"{place(key, index)}: unknown key target.{key} (target {index})",
                              f"[[target]] takes {', '.join(TARGET_KEYS)}")
    for key in ("name", "url"):
        if key not in entry:
            raise ConfigError(f"{place('[[target]]', index)}: target {index} has no {key}",
                              'each [[target]] needs name = "..." and url = "https://..."')

    def fail(key: str, what: str, fix: str = hint) -> ConfigError:
        return ConfigError(f"{place(key, index)}: target.{key} (target {index}) {what}", fix)

    name = entry["name"]
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise fail("name", "must be letters, digits, '.', '_' or '-' (at most 80, starting with a letter or digit)",
                   "names become metric labels and file names")
    url = entry["url"]
    if not isinstance(url, str):
        raise fail("url", "must be a string")
    try:
        url = validate_target(url)
    except UsageError as exc:
        raise fail("url", f"is not usable: {exc.message}", exc.hint) from None
    expect = entry.get("expect")
    if expect is not None and expect not in ROLE_CHOICES:
        raise fail("expect", f"must be one of {', '.join(ROLE_CHOICES)}")
    timeout = entry.get("timeout")
    if timeout is not None:
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) \
                or not MIN_TIMEOUT_S <= timeout <= MAX_TIMEOUT_S:
            raise fail("timeout", f"must be a number of seconds from {MIN_TIMEOUT_S:g} to {MAX_TIMEOUT_S:g}")
        timeout = float(timeout)
    tags = _strings(entry.get("tags", []), lambda what: fail("tags", what))
    for tag in tags:
        if not NAME_PATTERN.fullmatch(tag):
            raise fail("tags", f"has {tag!r}: tags are letters, digits, '.', '_' or '-'")
    mappings: list[HostMapping] = []
    for key, parse in (("resolve", parse_resolve), ("connect_to", parse_connect_to)):
        for text in _strings(entry.get(key, []), lambda what, key=key: fail(key, what)):
            try:
                mappings.append(parse(text))
            except UsageError as exc:
                raise fail(key, f"is not usable: {exc.message}", exc.hint) from None
    certs: list[str] = []
    for text in _strings(entry.get("trust_cert", []), lambda what: fail("trust_cert", what)):
        path = (base / text).resolve() if base is not None else Path(text)
        if not path.is_file():
            raise fail("trust_cert", f"names {text!r}, which is not a file", "give the PEM file's path "
                       "(relative paths are read from the folder of preflight.toml)")
        certs.append(str(path))
    return Target(url=url, name=name, expect=expect, timeout_s=timeout, tags=tuple(dict.fromkeys(tags)),
                  mappings=tuple(mappings), trust_certs=tuple(certs))


def _strings(value: Any, fail: Any) -> list[str]:
    """A string or an array of non-empty strings."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise fail("must be a string or an array of non-empty strings")
    return list(value)


def select_targets(targets: Sequence[Target], names: Iterable[str], tags: Iterable[str],
                   source: str | None) -> tuple[Target, ...]:
    """``--target NAME`` and ``--tag TAG`` (each repeatable): a target named, or carrying a tag named.

    With neither, every target. A name or tag that matches nothing is a usage error.
    """
    names, tags = list(names), list(tags)
    where = source or "preflight.toml"
    known_names = {t.name for t in targets}
    known_tags = {tag for t in targets for tag in t.tags}
    for name in names:
        if name not in known_names:
            raise UsageError(f"--target {name}: no [[target]] of that name in {where}",
                             f"known: {', '.join(sorted(known_names)) or 'none'}")
    for tag in tags:
        if tag not in known_tags:
            raise UsageError(f"--tag {tag}: no [[target]] carries that tag in {where}",
                             f"known tags: {', '.join(sorted(known_tags)) or 'none'}")
    if not names and not tags:
        return tuple(targets)
    return tuple(t for t in targets if t.name in names or set(t.tags) & set(tags))


def merged_mappings(flags: Sequence[HostMapping], targets: Sequence[Target]) -> tuple[HostMapping, ...]:
    """The browser's host rules: the flags', then every target's; one host:port mapped two ways is refused."""
    chosen: dict[tuple[str, int | None], HostMapping] = {}
    owners: dict[tuple[str, int | None], str] = {}
    ordered: list[HostMapping] = []
    sources = [("the command line", m) for m in flags] + [(f"target {t.name!r}", m) for t in targets
                                                            for m in t.mappings]
    for owner, mapping in sources:
        key = (mapping.host.lower(), mapping.port)
        previous = chosen.get(key)
        if previous is None:
            chosen[key], owners[key] = mapping, owner
            ordered.append(mapping)
        elif (previous.to_host, previous.to_port) != (mapping.to_host, mapping.to_port):
            raise ConfigError(f"{mapping.option} ({owner}) and {previous.option} ({owners[key]}) map "
                              f"{mapping.host} two ways", "one browser serves every target: map a host one way")
    return tuple(ordered)
