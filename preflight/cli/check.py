"""``preflight check``: visit each URL, never submitting anything, and judge it."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from preflight.cli.params import (
    CONTEXT_SETTINGS,
    MAX_TARGETS,
    ROLE_CHOICES,
    browser_options,
    check_browser_path,
    check_writable,
    host_mappings,
    load_check_settings,
    screenshot_folder,
    stderr_console,
    validate_existing_state,
    validate_target,
    write_output,
)
from preflight.cli.progress import ProgressObserver
from preflight.errors import UsageError
from preflight.status import ExitStatus

if TYPE_CHECKING:  # pragma: no cover
    from preflight.reporters import OutputFormat


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("urls", nargs=-1)
@browser_options
@click.option("--jobs", default=4, show_default=True, type=click.IntRange(1, 32), help="Targets checked at once.")
@click.option("--retries", default=1, show_default=True, type=click.IntRange(0, 5),
              help="Retries for transient network errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON report to stdout instead of the console report.")
@click.option("--json-file", metavar="FILE", help="Also write the JSON report to FILE ('-' for stdout).")
@click.option("--junit-file", metavar="FILE", help="Also write a JUnit XML report to FILE ('-' for stdout).")
@click.option("--html", "html_file", metavar="FILE",
              help="Also write a self-contained HTML report, with each page's screenshot, to FILE ('-' for stdout).")
@click.option("--fail-on", type=click.Choice(["fail", "warn"]), default="fail", show_default=True,
              help="Lowest verdict that makes the exit code 1.")
@click.option("--config", "config_path", metavar="FILE", help="preflight.toml with check thresholds.")
@click.option("--expect", "expect_role", type=click.Choice(ROLE_CHOICES), help="The login you mean to reach.")
@click.option("--no-clock", is_flag=True, help="Skip the clock-skew measurement.")
@click.option("--screenshot", "screenshot_dir", metavar="DIR", type=click.Path(file_okay=False),
              help="Save a screenshot of each page in DIR.")
@click.option("--storage-state", "storage_state", metavar="FILE",
              help="Start from this Playwright storage-state JSON and audit its cookies.")
@click.option("--profile", "profile_dir", metavar="DIR",
              help="Start from the cookies of this Chrome/Edge profile folder (read from a copy, never changed).")
@click.option("--browser-policies", "browser_policies", is_flag=True,
              help="Apply the cookie policies in force (read from the browser's chrome://policy) to every visit.")
@click.option("--browser-policies-from", "policies_from", metavar="chrome|msedge|PATH",
              help="Read those policies from this browser instead (implies --browser-policies).")
@click.option("-v", "--verbose", is_flag=True, help="Show informational findings too.")
def check(urls: Sequence[str], browser_path: str | None, browser_channel: str | None, resolve: Sequence[str],
          connect_to: Sequence[str], trust_cert: Sequence[str], timeout: float, allowlist_path: str | None,
          jobs: int, retries: int, as_json: bool, json_file: str | None, junit_file: str | None, fail_on: str,
          config_path: str | None, expect_role: str | None,
          no_clock: bool, screenshot_dir: str | None, verbose: bool, storage_state: str | None = None,
          profile_dir: str | None = None, browser_policies: bool = False,
          policies_from: str | None = None, html_file: str | None = None) -> ExitStatus:
    """Visit each URL (never submitting anything) and judge it."""
    from preflight.config.allowlist import load_allowlist
    from preflight.reporters import RenderOptions, render
    from preflight.runner import RunSettings, run

    if not urls:
        raise UsageError("no URL given", "usage: preflight check https://cignaforhcp.cigna.com/")
    if len(urls) > MAX_TARGETS:
        raise UsageError(f"{len(urls)} URLs given; at most {MAX_TARGETS} per run", "split the list into batches")
    stdout_writers = [name for name, used in (("--json", as_json), ("--json-file -", json_file == "-"),
                                              ("--junit-file -", junit_file == "-"), ("--html -", html_file == "-"))
                      if used]
    if len(stdout_writers) > 1:
        raise UsageError(f"{' and '.join(stdout_writers)} all write to stdout", "send all but one to a file")
    targets = [validate_target(u) for u in urls]
    check_browser_path(browser_path)
    validate_existing_state(storage_state, profile_dir)
    preferences = None
    if browser_policies or policies_from:
        preferences = policy_preferences(policies_from, browser_path, browser_channel, timeout,
                                         storage_state or profile_dir)
    settings = RunSettings(
        allowlist=load_allowlist(allowlist_path), settings=load_check_settings(config_path),
        browser_path=browser_path, browser_channel=browser_channel,
        mappings=host_mappings(resolve, connect_to), trust_certs=tuple(trust_cert),
        jobs=jobs, timeout_s=timeout, retries=retries,
        screenshot_dir=screenshot_folder(screenshot_dir), expect_role=expect_role, clock=not no_clock,
        storage_state=storage_state, profile_dir=profile_dir, profile_preferences=preferences,
        keep_screenshot=html_file is not None,
    )
    check_writable(json_file, "--json-file")
    check_writable(junit_file, "--junit-file")
    check_writable(html_file, "--html")
    outputs = report_outputs(as_json, json_file, junit_file, html_file)
    report = run(targets, settings, ProgressObserver(stderr_console()))
    options = RenderOptions(color=sys.stdout.isatty(), verbose=verbose)
    for output, path in outputs:
        write_output(path, render(report, output, options))
    status = report.exit_code(fail_on_warn=fail_on == "warn")
    if status is ExitStatus.BUG:
        crashed = sorted({check for result in report.results for check in result.crashed_checks})
        click.echo(f"preflight: error: internal error: the {', '.join(crashed)} check crashed (see the report) — "
                   "rerun with --traceback and report it", err=True)
    return status


def policy_preferences(policies_from: str | None, browser_path: str | None, browser_channel: str | None,
                       timeout: float, existing_state: str | None) -> dict[str, object]:
    """The cookie settings of the policies in force, as profile preferences for every visit."""
    from preflight.capture.policy import read_policies
    from preflight.policy.prefs import cookie_preferences

    if existing_state:
        raise UsageError("--browser-policies visits in a fresh profile; --storage-state/--profile bring their own",
                         "use one or the other")
    if policies_from in ("chrome", "msedge"):
        source_path, source_channel = None, policies_from
    elif policies_from:
        check_browser_path(policies_from)
        source_path, source_channel = policies_from, None
    else:
        source_path, source_channel = browser_path, browser_channel
    described, entries = read_policies(source_path, source_channel, timeout)
    cookie = cookie_preferences(entries)
    click.echo(f"browser policies from {described}: "
               + ("; ".join(cookie.applied) if cookie.applied else "no cookie policy in force"), err=True)
    return cookie.preferences


def report_outputs(as_json: bool, json_file: str | None, junit_file: str | None,
                   html_file: str | None = None) -> list[tuple[OutputFormat, str]]:
    """Which reports go where: ``--json`` and ``-`` mean stdout; the console report when nothing else is there."""
    from preflight.reporters import OutputFormat

    outputs: list[tuple[OutputFormat, str]] = []
    if as_json:
        outputs.append((OutputFormat.JSON, "-"))
    elif "-" not in (json_file, junit_file, html_file):
        outputs.append((OutputFormat.CONSOLE, "-"))
    if json_file:
        outputs.append((OutputFormat.JSON, json_file))
    if junit_file:
        outputs.append((OutputFormat.JUNIT, junit_file))
    if html_file:
        outputs.append((OutputFormat.HTML, html_file))
    return outputs
