"""``preflight.toml``: check thresholds, validated into typed settings with their defaults written once.

Each ``[table]`` is a frozen dataclass below; its fields are the keys the file may hold, with
their types and defaults. Unknown tables or keys, wrong types and ``warn_s >= fail_s`` are
``ConfigError``s naming the file, line and key.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

from preflight.config.allowlist import where
from preflight.config.targets import (
    CONFIRM_RANGE,
    JOBS_RANGE,
    MAX_TIMEOUT_S,
    MIN_TIMEOUT_S,
    RETRIES_RANGE,
    Target,
    parse_targets,
)
from preflight.config.toml import find_file, loads_toml, read_toml_text
from preflight.errors import ConfigError

ENV_SETTINGS = "PREFLIGHT_CONFIG"


@dataclass(frozen=True)
class ClockSettings:
    warn_s: float = 30.0
    """Warn from this skew (seconds): one-time codes and sign-in tokens start to fail."""
    fail_s: float = 300.0
    """Fail from this skew: most sign-ins fail."""
    odd_s: float = 2.0
    """A portal host this far from the others is named and not trusted."""


@dataclass(frozen=True)
class TransportSettings:
    cert_warn_days: float = 14.0
    """Warn when the certificate expires sooner than this."""


@dataclass(frozen=True)
class PortalSettings:
    vocabulary: str | None = None
    """A vocabulary override file (absolute once loaded: relative paths are read from the file's folder)."""


@dataclass(frozen=True)
class OutputSettings:
    """Reports every ``preflight check`` of this file writes (flags override; paths are read from the
    file's folder)."""

    json_file: str | None = None
    junit_file: str | None = None
    html_file: str | None = None
    metrics_file: str | None = None
    """Prometheus text format, for node_exporter's textfile collector."""
    evidence_dir: str | None = None
    """Screenshot, HAR and trace of each target that did not pass."""


@dataclass(frozen=True)
class RunDefaults:
    """Defaults of ``preflight check``'s options for this file's targets (flags and ``PREFLIGHT_CHECK_*``
    override them)."""

    jobs: int | None = None
    """Targets checked at once."""
    timeout: float | None = None
    """Seconds allowed for each target (a target's own ``timeout`` wins)."""
    retries: int | None = None
    """Retries of transient network errors, within the target's time."""
    confirm: int | None = None
    """Checks again a target that failed or errored, up to this many times."""


@dataclass(frozen=True)
class BaselineSettings:
    ignore: tuple[str, ...] = ()
    """Known churn, not reported: a pattern starting with ``baseline.`` matches change kinds
    (``baseline.visual_change``, ``baseline.cert_*``); any other is a glob on what changed (a
    script's address without query, a host, a field's name): ``https://cdn.example.com/tag/*``."""
    visual_info: float = 0.08
    """Report a visual change (info) from this share of differing perceptual-hash bits."""
    visual_warn: float = 0.25
    """Warn from this share."""
    clone_visual: float = 0.1
    """A page off the allowlist this close to a baselined login looks like a copy of it."""


@dataclass(frozen=True)
class Settings:
    """Everything ``preflight.toml`` may set; ``Settings()`` is the defaults."""

    clock: ClockSettings = field(default_factory=ClockSettings)
    transport: TransportSettings = field(default_factory=TransportSettings)
    portal: PortalSettings = field(default_factory=PortalSettings)
    output: OutputSettings = field(default_factory=OutputSettings)
    run: RunDefaults = field(default_factory=RunDefaults)
    allowlist: str | None = None
    """Top-level ``allowlist = "allowlist.toml"``: the allowlist for this file's targets."""
    targets: tuple[Target, ...] = ()
    """The ``[[target]]`` tables, in file order."""
    baseline: BaselineSettings = field(default_factory=BaselineSettings)
    source: str | None = None
    """The file these came from, if any."""


TOP_LEVEL_KEYS = ("allowlist", "target")
"""Keys that are not tables: the allowlist path and the ``[[target]]`` array."""

TABLES: dict[str, type] = {f.name: get_type_hints(Settings)[f.name] for f in dataclasses.fields(Settings)
                           if f.name not in ("source", "allowlist", "targets")}
"""``[table]`` -> its dataclass: the one list of what ``preflight.toml`` may contain."""


def find_settings(explicit: str | os.PathLike[str] | None, cwd: Path | None = None) -> Path | None:
    """``--config``, then ``$PREFLIGHT_CONFIG``, ``./preflight.toml``, the user config dir."""
    return find_file(explicit, ENV_SETTINGS, "preflight.toml", cwd)


def load_settings(explicit: str | os.PathLike[str] | None = None) -> Settings:
    """The settings of the ``preflight.toml`` found (the defaults if there is none)."""
    path = find_settings(explicit)
    if path is None:
        return Settings()
    return parse_settings(read_toml_text(path, "settings", "pass the path of a preflight.toml"), str(path),
                          base=path.parent)


def parse_settings(text: str, source: str = "<memory>", base: Path | None = None) -> Settings:
    hint = "see the preflight.toml section of README.md"
    data = loads_toml(text, source)
    tables: dict[str, Any] = {}
    if "target" in data:
        tables["targets"] = parse_targets(data.pop("target"), _place(source, text), base)
    if "allowlist" in data:
        value = data.pop("allowlist")
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where(source, text, 'allowlist')}: allowlist must be the path of an allowlist.toml",
                              hint)
        tables["allowlist"] = str((base / value).resolve()) if base is not None else value
    for table, values in data.items():
        cls = TABLES.get(table)
        if cls is None:
            raise ConfigError(f"{where(source, text, table)}: unknown table [{table}]",
                              f"known tables: {', '.join(sorted(TABLES))}; top-level keys: "
                              f"{', '.join(TOP_LEVEL_KEYS)}")
        if not isinstance(values, dict):
            raise ConfigError(f"{where(source, text, table)}: {table!r} must be a table ([{table}])", hint)
        types = get_type_hints(cls)
        known = {f.name for f in dataclasses.fields(cls)}
        parsed: dict[str, Any] = {}
        for key, value in values.items():
            if key not in known:
                raise ConfigError(f"{where(source, text, key)}: unknown key {table}.{key}",
                                  f"[{table}] takes {', '.join(sorted(known))}")
            parsed[key] = _value(types[key], value, f"{table}.{key}", where(source, text, key), hint, base)
        tables[table] = cls(**parsed)
    settings = Settings(**tables, source=source)
    if not settings.baseline.visual_info < settings.baseline.visual_warn <= 1:
        raise ConfigError(f"{source}: baseline.visual_info ({settings.baseline.visual_info:g}) must be below "
                          f"baseline.visual_warn ({settings.baseline.visual_warn:g}), at most 1", hint)
    if settings.clock.warn_s >= settings.clock.fail_s:
        raise ConfigError(f"{source}: clock.warn_s ({settings.clock.warn_s:g}) must be below clock.fail_s "
                          f"({settings.clock.fail_s:g})", hint)
    return settings


def _place(source: str, text: str) -> Any:
    """``file:line`` of a key of the ``index``-th ``[[target]]`` (the table's line when None)."""
    lines = text.splitlines()
    starts = [n for n, line in enumerate(lines) if line.strip().startswith("[[target]]")]

    def place(needle: str, index: int | None) -> str:
        if index is None or index > len(starts):
            return where(source, text, needle)
        start = starts[index - 1]
        end = starts[index] if index < len(starts) else len(lines)
        for number in range(start, end):
            if needle in lines[number].split("#", 1)[0]:
                return f"{source}:{number + 1}"
        return f"{source}:{start + 1}"

    return place


_LIMITS: dict[str, tuple[int, int]] = {"run.jobs": JOBS_RANGE, "run.retries": RETRIES_RANGE, "run.confirm": CONFIRM_RANGE}


def _value(expected: Any, value: Any, key: str, place: str, hint: str, base: Path | None) -> Any:
    if expected == int | None:
        low, high = _LIMITS[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ConfigError(f"{place}: {key} must be a whole number from {low} to {high}", hint)
        return value
    if expected == float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not MIN_TIMEOUT_S <= value <= MAX_TIMEOUT_S:
            raise ConfigError(f"{place}: {key} must be a number of seconds from {MIN_TIMEOUT_S:g} to {MAX_TIMEOUT_S:g}",
                              hint)
        return float(value)
    if expected == tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(f"{place}: {key} must be a list of non-empty strings", hint)
        return tuple(value)
    if expected is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
            raise ConfigError(f"{place}: {key} must be a finite number >= 0", hint)
        return float(value)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{place}: {key} must be a non-empty string", hint)
    return str((base / value).resolve()) if base is not None else value
