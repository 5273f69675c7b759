"""Shared parameters and their validation: URLs, host mappings, output files."""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # pragma: no cover
    from preflight.config.settings import Settings

from preflight.config.targets import (  # noqa: F401 - the CLI's names
    CONFIRM_RANGE,
    JOBS_RANGE,
    MAX_TIMEOUT_S,
    MIN_TIMEOUT_S,
    RETRIES_RANGE,
    ROLE_CHOICES,
    validate_target,
)
from preflight.errors import OutputError, UsageError

MAX_TARGETS = 1000

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class FiniteFloatRange(click.FloatRange):
    """``click.FloatRange`` that also refuses NaN (every comparison with it is false) and infinities."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{number} is not a finite number of seconds", param, ctx)
        return number


def check_browser_path(browser_path: str | None) -> None:
    """``--browser-path`` names an executable: said before the driver or any browser starts."""
    if browser_path:
        from preflight.capture.browser import find_browser

        find_browser(browser_path, None, None)


def check_writable(path: str | None, option: str) -> None:
    if path is None or path == "-":
        return
    target = Path(path)
    parent = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise OutputError(f"{option} {path}: is a directory", "give a file name")
    if not parent.is_dir():
        raise OutputError(f"{option} {path}: folder {parent} does not exist", "create it or choose another path")
    if not os.access(parent, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise OutputError(f"{option} {path}: not writable", "choose a path you can write to")
    # Access bits do not tell the whole story (root under /proc, a read-only mount): open it now,
    # before any browser starts, and leave no empty file behind.
    existed = target.exists()
    try:
        with open(target, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise OutputError(f"{option} {path}: cannot be written ({exc.strerror or exc})",
                          "choose a path you can write to") from None
    if not existed:
        target.unlink(missing_ok=True)


def write_output(path: str, text: str) -> None:
    if path == "-":
        click.echo(text, nl=False)
        return
    # Written whole or not at all: a collector (node_exporter's textfile directory, a CI upload)
    # reading while we write sees the old file or the new one, never half of one.
    target = Path(path)
    if target.exists() and not target.is_file():  # /dev/stderr, a FIFO: never replace, just write
        try:
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}", "choose a path you can write to") from None
        return
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        if target.exists():
            shutil.copymode(target, temporary)
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}", "choose a path you can write to") from None


def stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def browser_options(func: Any) -> Any:
    options = [
        click.option("--browser-path", metavar="PATH", help="Chromium/Chrome/Edge binary (or $PREFLIGHT_BROWSER)."),
        click.option("--browser-channel", type=click.Choice(["chrome", "msedge"]), help="Use an installed Chrome or Edge."),
        click.option("--resolve", "resolve", multiple=True, metavar="HOST:PORT:ADDR",
                     help="Connect HOST:PORT to ADDR, as curl does (repeatable)."),
        click.option("--connect-to", "connect_to", multiple=True, metavar="H1:P1:H2:P2",
                     help="Connect H1:P1 to H2:P2 instead, as curl does (repeatable)."),
        click.option("--trust-cert", "trust_cert", multiple=True, metavar="FILE.pem",
                     type=click.Path(exists=True, dir_okay=False),
                     help="Trust exactly this server certificate (repeatable); other checks stay on."),
        click.option("--timeout", default=30.0, show_default=True, type=FiniteFloatRange(MIN_TIMEOUT_S, MAX_TIMEOUT_S),
                     help="Seconds allowed for each target."),
        click.option("--allowlist", "allowlist_path", metavar="FILE", help="allowlist.toml to use."),
        click.option("--connect", "connect", multiple=True, metavar="WS_URL",
                     help="Use the browsers of this Playwright run-server instead of launching one (repeatable: "
                          "targets are spread across them)."),
        click.option("--cdp", "cdp", metavar="URL",
                     help="Use this running Chrome/Edge over DevTools (http://HOST:PORT); every visit in a new context."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def validate_existing_state(storage_state: str | None, profile_dir: str | None) -> None:
    """``--storage-state`` / ``--profile``: one of them, readable, and what it says it is."""
    if storage_state is None and profile_dir is None:
        return
    from preflight.capture.existing_state import locate_profile, read_storage_state

    if storage_state is not None and profile_dir is not None:
        raise UsageError("--storage-state and --profile both give the starting cookies", "use one of them")
    if storage_state is not None:
        read_storage_state(storage_state)
    if profile_dir is not None:
        locate_profile(profile_dir)


def load_check_settings(config_path: str | None) -> Settings:
    """preflight.toml, validated now (a bad vocabulary file too), not after the browser started."""
    from preflight.config.settings import load_settings

    settings = load_settings(config_path)
    if settings.portal.vocabulary:
        # Only then: importing the checks is left to the run, which does it while the browser starts.
        from preflight.checks.portal.vocabulary import load_vocabulary

        load_vocabulary(settings.portal.vocabulary)
    return settings


def target_network(resolve: Sequence[str], connect_to: Sequence[str], trust_cert: Sequence[str],
                   targets: Sequence[Any]) -> tuple[tuple[Any, ...], tuple[str, ...]]:
    """The one browser's host rules and pinned certificates: the flags', then every target's
    (a host mapped two ways is a ``ConfigError``)."""
    from preflight.config.targets import merged_mappings

    mappings = merged_mappings(host_mappings(resolve, connect_to), targets)
    certs = tuple(dict.fromkeys([*trust_cert, *(c for t in targets for c in t.trust_certs)]))
    return mappings, certs


def allowlist_choice(flag: str | None, settings: Settings) -> str | None:
    """``--allowlist``, else ``$PREFLIGHT_ALLOWLIST`` (``load_allowlist`` finds it), else
    preflight.toml's ``allowlist``, else the usual search."""
    from preflight.config.allowlist import ENV_ALLOWLIST

    if flag is not None or os.environ.get(ENV_ALLOWLIST):
        return flag
    return settings.allowlist


def host_mappings(resolve: Sequence[str], connect_to: Sequence[str]) -> tuple[Any, ...]:
    from preflight.config.network import parse_connect_to, parse_resolve

    return tuple(parse_resolve(r) for r in resolve) + tuple(parse_connect_to(c) for c in connect_to)


def output_folder(path: str | None, option: str) -> Path | None:
    """A folder the run writes into: created now, and writable, before any browser starts."""
    if path is None:
        return None
    directory = Path(path)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{option} {path}: cannot create folder ({exc.strerror or exc})",
                          "choose a folder you can write to") from None
    if not os.access(directory, os.W_OK):
        raise OutputError(f"{option} {path}: not writable", "choose a folder you can write to")
    return directory


def screenshot_folder(path: str | None) -> Path | None:
    return output_folder(path, "--screenshot")


def check_remote_browser(connect: Sequence[str], cdp: str | None, *, browser_path: str | None = None,
                         browser_channel: str | None = None, mappings: Sequence[object] = (),
                         trust_certs: Sequence[str] = (), profile_dir: str | None = None,
                         browser_policies: bool = False) -> None:
    """``--connect``/``--cdp``: well-formed, and no option that needs a browser launched here."""
    from urllib.parse import urlsplit

    if not connect and not cdp:
        return
    if connect and cdp:
        raise UsageError("--connect and --cdp both name the browser to use", "use one of them")
    for url in connect:
        if urlsplit(url).scheme not in ("ws", "wss") or not urlsplit(url).hostname:
            raise UsageError(f"--connect {url}: not a ws:// or wss:// URL",
                             "give the run-server's endpoint, e.g. ws://127.0.0.1:3000/")
    if cdp is not None and (urlsplit(cdp).scheme not in ("http", "https", "ws", "wss") or not urlsplit(cdp).hostname):
        raise UsageError(f"--cdp {cdp}: not an http(s):// or ws(s):// URL",
                         "give the browser's DevTools address, e.g. http://127.0.0.1:9222")
    option = "--connect" if connect else "--cdp"
    if profile_dir is not None or browser_policies:
        raise UsageError(f"{'--profile' if profile_dir else '--browser-policies'} opens a profile in a browser "
                         f"launched here; {option} uses a remote one", "use --storage-state FILE, or drop " + option)
    if cdp is not None:
        if browser_path or browser_channel:
            raise UsageError("--cdp uses a browser that is already running; --browser-path/--browser-channel "
                             "choose one to launch", "drop one of them")
        if mappings or trust_certs:
            raise UsageError("--cdp uses a browser that is already running, whose switches are set: "
                             "--connect-to/--resolve/--trust-cert (from flags or preflight.toml) cannot reach it",
                             "start that browser with --host-resolver-rules and --ignore-certificate-errors-spki-list "
                             "(README, Remote browsers), or use --connect with a run-server")
