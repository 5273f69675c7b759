"""One TOML reader for every file preflight reads, and one file finder."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from preflight.config.files import UnreadableFile, read_user_text
from preflight.errors import ConfigError


def user_config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "preflight"


def find_file(explicit: str | os.PathLike[str] | None, env_var: str, name: str, cwd: Path | None) -> Path | None:
    """The option, then the environment variable, then ``./name``, then the user config dir."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(env_var)
    if env:
        return Path(env)
    for candidate in ((cwd or Path.cwd()) / name, user_config_dir() / name):
        if candidate.is_file():
            return candidate
    return None


def read_toml_text(path: Path, what: str, hint: str, error: type[ConfigError] = ConfigError) -> str:
    """The file's text, or an ``error`` (a ``ConfigError``: exit 2) that says why not."""
    try:
        return read_user_text(path)
    except UnreadableFile as exc:
        if exc.reason.startswith("is a directory"):
            raise error(f"{path}: is a directory, not a file", hint) from None
        if exc.reason.startswith("not a UTF-8"):
            raise error(f"{path}: not a UTF-8 text file", f"the {what} file is TOML text") from None
        raise error(f"{path}: cannot read {what}: {exc.reason}", exc.hint) from None


def loads_toml(text: str, source: str, error: type[ConfigError] = ConfigError) -> dict[str, Any]:
    """Parsed TOML, or an ``error`` naming the source and line."""
    if "\x00" in text:
        raise error(f"{source}: not a text file", "a TOML text file is expected")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{source}: invalid TOML: {exc}", "fix the syntax at that line") from None


def read_toml(path: Path, what: str, hint: str, error: type[ConfigError] = ConfigError) -> dict[str, Any]:
    """Every TOML file preflight reads (allowlist, settings, vocabulary, mock routes) comes through here."""
    return loads_toml(read_toml_text(path, what, hint, error), str(path), error)
