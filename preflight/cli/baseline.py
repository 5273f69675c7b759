"""``preflight baseline save|update``: the login pages' stable facts, taken at go-live and after review.

``check --baseline FILE`` compares later visits with the file (``checks/baseline.py``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from preflight import __version__
from preflight.cli.params import (
    CONTEXT_SETTINGS,
    JOBS_RANGE,
    MAX_TARGETS,
    browser_options,
    check_browser_path,
    check_remote_browser,
    check_writable,
    host_mappings,
    load_check_settings,
    stderr_console,
    validate_target,
    write_output,
)
from preflight.cli.progress import ProgressObserver
from preflight.errors import UsageError
from preflight.status import ExitStatus

if TYPE_CHECKING:  # pragma: no cover
    from preflight.model.baseline import BaselineEntry


@click.group(context_settings=CONTEXT_SETTINGS)
def baseline() -> None:
    """Login-page baselines: save at go-live, compare with `check --baseline`, update after review."""


def _network_options(func: Any) -> Any:
    func = click.option("--config", "config_path", metavar="FILE", help="preflight.toml with thresholds.")(func)
    func = click.option("--jobs", default=4, show_default=True, type=click.IntRange(*JOBS_RANGE),
                        help="Targets visited at once.")(func)
    return browser_options(func)


@baseline.command("save", context_settings=CONTEXT_SETTINGS)
@click.argument("urls", nargs=-1)
@click.option("--to", "to_path", required=True, metavar="FILE", help="Baseline file to write (must not exist).")
@_network_options
def save(urls: Sequence[str], to_path: str, browser_path: str | None, browser_channel: str | None,
         resolve: Sequence[str], connect_to: Sequence[str], trust_cert: Sequence[str], timeout: float,
         allowlist_path: str | None, jobs: int, config_path: str | None, connect: Sequence[str] = (),
         cdp: str | None = None) -> ExitStatus:
    """Visit each official login URL (never submitting anything) and write its stable facts to FILE."""
    from preflight.config.baseline import write_baseline
    from preflight.model.baseline import BaselineDocument

    targets = _targets(urls, "usage: preflight baseline save https://cignaforhcp.cigna.com/ --to baseline.json")
    if to_path == "-":
        raise UsageError("--to -: a baseline is a file that later runs read", "give a file name")
    if Path(to_path).exists():
        raise UsageError(f"--to {to_path}: the file exists",
                         "review the changes with `preflight check --baseline` and accept them with "
                         "`preflight baseline update --baseline FILE` (it keeps the old file as history)")
    check_writable(to_path, "--to")
    entries = _capture(targets, browser_path, browser_channel, resolve, connect_to, trust_cert, timeout,
                       allowlist_path, jobs, config_path, connect, cdp)
    if entries is None:
        return ExitStatus.COULD_NOT_RUN
    write_baseline(to_path, BaselineDocument(schema="preflight/baseline@1", created_at=time.time(),
                                             tool=f"preflight {__version__}", targets=tuple(entries)))
    write_output("-", "".join(f"saved {_summary(entry)}\n" for entry in entries) + f"baseline written to {to_path}\n")
    return ExitStatus.OK


@baseline.command("update", context_settings=CONTEXT_SETTINGS)
@click.argument("urls", nargs=-1)
@click.option("--baseline", "baseline_path", required=True, metavar="FILE",
              help="Baseline to update; the old file is kept in FILE.history/.")
@_network_options
def update(urls: Sequence[str], baseline_path: str, browser_path: str | None, browser_channel: str | None,
           resolve: Sequence[str], connect_to: Sequence[str], trust_cert: Sequence[str], timeout: float,
           allowlist_path: str | None, jobs: int, config_path: str | None, connect: Sequence[str] = (),
         cdp: str | None = None) -> ExitStatus:
    """Accept the current state of URL... (default: every target of FILE) after review."""
    from dataclasses import replace

    from preflight.checks.baseline import compare
    from preflight.config.baseline import keep_history, load_baseline, write_baseline

    old = load_baseline(baseline_path)
    targets = _targets(urls, "") if urls else [entry.target for entry in old.targets]
    if not targets:
        raise UsageError(f"{baseline_path} holds no target", "name the URLs to add")
    check_writable(baseline_path, "--baseline")
    entries = _capture(targets, browser_path, browser_channel, resolve, connect_to, trust_cert, timeout,
                       allowlist_path, jobs, config_path, connect, cdp)
    if entries is None:
        return ExitStatus.COULD_NOT_RUN
    fresh = {entry.target: entry for entry in entries}
    kept_entries = [fresh.pop(entry.target, entry) for entry in old.targets]
    merged = tuple(kept_entries) + tuple(fresh.values())
    lines = []
    for entry in entries:
        before = old.entry_for(entry.target)
        if before is None:
            lines.append(f"added {_summary(entry)}\n")
            continue
        codes = sorted({f"baseline.{c.code}" for c in compare(before, entry).changes})
        lines.append(f"accepted {entry.target}: {', '.join(codes) if codes else 'no change'}\n")
    history = keep_history(baseline_path)
    write_baseline(baseline_path, replace(old, created_at=time.time(), tool=f"preflight {__version__}",
                                          targets=merged, previous=str(history)))
    write_output("-", "".join(lines) + f"baseline {baseline_path} updated; the previous one is {history}\n")
    return ExitStatus.OK


def _targets(urls: Sequence[str], usage: str) -> list[str]:
    if not urls:
        raise UsageError("no URL given", usage)
    if len(urls) > MAX_TARGETS:
        raise UsageError(f"{len(urls)} URLs given; at most {MAX_TARGETS} per run", "split the list into batches")
    return [validate_target(u) for u in urls]


def _capture(targets: Sequence[str], browser_path: str | None, browser_channel: str | None,
             resolve: Sequence[str], connect_to: Sequence[str], trust_cert: Sequence[str], timeout: float,
             allowlist_path: str | None, jobs: int, config_path: str | None, connect: Sequence[str] = (),
             cdp: str | None = None) -> list[BaselineEntry] | None:
    """Visit every target with digests; ``None`` (and the reasons on stderr) when one could not be read."""
    from preflight.checks.baseline import facts_of
    from preflight.config.allowlist import load_allowlist
    from preflight.model.report import Verdict
    from preflight.runner import RunSettings, run

    if not connect and not cdp:
        check_browser_path(browser_path)
    mappings = host_mappings(resolve, connect_to)
    check_remote_browser(connect, cdp, browser_path=browser_path, browser_channel=browser_channel,
                         mappings=mappings, trust_certs=trust_cert)
    settings = RunSettings(connect=tuple(connect), cdp=cdp, allowlist=load_allowlist(allowlist_path), settings=load_check_settings(config_path),
                           browser_path=browser_path, browser_channel=browser_channel,
                           mappings=mappings, trust_certs=tuple(trust_cert),
                           jobs=jobs, timeout_s=timeout, clock=False, third_party_probe=False, integrity=True)
    report = run(targets, settings, ProgressObserver(stderr_console()))
    config = settings.check_config()
    entries: list[BaselineEntry] = []
    broken = False
    for result in report.results:
        if result.snapshot is None or result.error is not None:
            why = result.error.message if result.error else "no page was read"
            click.echo(f"preflight: error: {result.target}: {why} — nothing written; a baseline needs every "
                       "page read", err=True)
            broken = True
            continue
        if result.verdict is Verdict.FAIL:
            click.echo(f"preflight: warning: {result.target} fails its check ("
                       + ", ".join(sorted({f.code for f in result.findings if f.severity.value == 'fail'}))
                       + "): a baseline should be taken of the official login only", err=True)
        entry = facts_of(result.snapshot, config, saved_at=time.time())
        if entry.login_form == "none":
            click.echo(f"preflight: warning: {result.target}: no login form on the page; its baseline "
                       "protects little", err=True)
        entries.append(entry)
    return None if broken else entries


def _summary(entry: BaselineEntry) -> str:
    cert = entry.certificate.issuer if entry.certificate else "no certificate"
    return (f"{entry.target}: {entry.login_form} login ({len(entry.fields)} fields), role {entry.role} "
            f"{entry.role_confidence:.2f}, {sum(not s.inline for s in entry.scripts)} external and "
            f"{sum(s.inline for s in entry.scripts)} inline scripts, {cert}")
