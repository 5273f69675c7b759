"""``preflight check``: visit each URL, never submitting anything, and judge it."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

import click

from preflight.cli.params import (
    CONFIRM_RANGE,
    CONTEXT_SETTINGS,
    JOBS_RANGE,
    MAX_TARGETS,
    RETRIES_RANGE,
    ROLE_CHOICES,
    allowlist_choice,
    browser_options,
    check_browser_path,
    check_remote_browser,
    check_writable,
    load_check_settings,
    output_folder,
    screenshot_folder,
    target_network,
    validate_existing_state,
    validate_target,
    write_output,
)
from preflight.cli.progress import ProgressObserver
from preflight.config.targets import Target
from preflight.errors import UsageError
from preflight.rules.redact import redact_text, redact_url
from preflight.status import ExitStatus

if TYPE_CHECKING:  # pragma: no cover
    from preflight.model.baseline import BaselineDocument
    from preflight.model.report import RunReport
    from preflight.reporters import RenderOptions

T = TypeVar("T")


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("urls", nargs=-1)
@browser_options
@click.option("--target", "target_names", multiple=True, metavar="NAME",
              help="Check this [[target]] of preflight.toml (repeatable; default: every target).")
@click.option("--tag", "target_tags", multiple=True, metavar="TAG",
              help="Check the [[target]]s carrying this tag (repeatable).")
@click.option("--jobs", default=4, show_default=True, type=click.IntRange(*JOBS_RANGE), help="Targets checked at once.")
@click.option("--retries", default=1, show_default=True, type=click.IntRange(*RETRIES_RANGE),
              help="Retries for transient network errors.")
@click.option("--confirm", default=0, show_default=True, type=click.IntRange(*CONFIRM_RANGE),
              help="Check a target that failed or errored again, up to N times; the last check is the verdict.")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON report to stdout instead of the console report.")
@click.option("--json-file", metavar="FILE", help="Also write the JSON report to FILE ('-' for stdout).")
@click.option("--junit-file", metavar="FILE", help="Also write a JUnit XML report to FILE ('-' for stdout).")
@click.option("--html", "html_file", metavar="FILE",
              help="Also write a self-contained HTML report, with each page's screenshot, to FILE ('-' for stdout).")
@click.option("--metrics", "metrics_file", metavar="FILE",
              help="Also write Prometheus metrics to FILE (node_exporter's textfile collector; '-' for stdout).")
@click.option("--pushgateway", "pushgateway", metavar="URL",
              help="Also push the metrics to this Prometheus Pushgateway (a group per target).")
@click.option("--push-job", "push_job", default="preflight", show_default=True, metavar="NAME",
              help="The Pushgateway job name.")
@click.option("--evidence", "evidence_dir", metavar="DIR", type=click.Path(file_okay=False),
              help="Keep a screenshot, HAR and trace of each target that did not pass in DIR (redacted).")
@click.option("--fail-on", type=click.Choice(["fail", "warn"]), default="fail", show_default=True,
              help="Lowest verdict that makes the exit code 1.")
@click.option("--config", "config_path", metavar="FILE", help="preflight.toml with targets and check thresholds.")
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
@click.option("--baseline", "baseline_path", metavar="FILE",
              help="Compare each login page with this baseline (`preflight baseline save`).")
@click.option("-v", "--verbose", is_flag=True, help="Show informational findings too.")
@click.pass_context
def check(ctx: click.Context, urls: Sequence[str], browser_path: str | None, browser_channel: str | None,
          resolve: Sequence[str], connect_to: Sequence[str], trust_cert: Sequence[str], timeout: float,
          allowlist_path: str | None, target_names: Sequence[str] = (), target_tags: Sequence[str] = (),
          jobs: int = 4, retries: int = 1, confirm: int = 0, as_json: bool = False, json_file: str | None = None,
          junit_file: str | None = None, metrics_file: str | None = None, evidence_dir: str | None = None,
          pushgateway: str | None = None, push_job: str = "preflight",
          fail_on: str = "fail", config_path: str | None = None, expect_role: str | None = None,
          no_clock: bool = False, screenshot_dir: str | None = None, verbose: bool = False,
          storage_state: str | None = None, profile_dir: str | None = None, browser_policies: bool = False,
          policies_from: str | None = None, baseline_path: str | None = None,
          html_file: str | None = None, connect: Sequence[str] = (), cdp: str | None = None) -> ExitStatus:
    """Visit each URL, or each [[target]] of preflight.toml (never submitting anything), and judge it.

    Options come from, in order: the command line, PREFLIGHT_CHECK_<OPTION> environment variables,
    preflight.toml ([run], [output], allowlist), the defaults shown.
    """
    # The reports and the checks are imported during the run, while the browser starts.
    from preflight.config.allowlist import load_allowlist
    from preflight.config.targets import select_targets
    from preflight.runner import RunSettings, run

    check_settings = load_check_settings(config_path)

    def default(name: str, value: T, configured: T | None) -> T:
        """The file's value for an option left at its default (flags and environment win)."""
        source = ctx.get_parameter_source(name)
        if configured is not None and source in (None, click.core.ParameterSource.DEFAULT):
            return configured
        return value

    run_defaults, output = check_settings.run, check_settings.output
    jobs = default("jobs", jobs, run_defaults.jobs)
    timeout = default("timeout", timeout, run_defaults.timeout)
    retries = default("retries", retries, run_defaults.retries)
    confirm = default("confirm", confirm, run_defaults.confirm)
    json_file = json_file or output.json_file
    junit_file = junit_file or output.junit_file
    metrics_file = metrics_file or output.metrics_file
    html_file = html_file or output.html_file
    evidence_dir = evidence_dir or output.evidence_dir
    allowlist_path = allowlist_choice(allowlist_path, check_settings)

    if urls and (target_names or target_tags):
        raise UsageError("--target/--tag pick [[target]]s of preflight.toml; URLs were given too",
                         "give URLs or --target/--tag, not both")
    if urls:
        if len(urls) > MAX_TARGETS:
            raise UsageError(f"{len(urls)} URLs given; at most {MAX_TARGETS} per run", "split the list into batches")
        targets = tuple(Target(url=validate_target(u)) for u in urls)
    elif check_settings.targets:
        targets = select_targets(check_settings.targets, target_names, target_tags, check_settings.source)
    elif target_names or target_tags:
        raise UsageError("--target/--tag given, but no preflight.toml with [[target]] tables was found",
                         "pass --config FILE or run where preflight.toml is")
    else:
        raise UsageError("no URL given and no [[target]] in preflight.toml",
                         "usage: preflight check https://cignaforhcp.cigna.com/ (or add [[target]]s to preflight.toml)")
    stdout_writers = [name for name, used in (("--json", as_json), ("--json-file -", json_file == "-"),
                                              ("--junit-file -", junit_file == "-"),
                                              ("--metrics -", metrics_file == "-"), ("--html -", html_file == "-"))
                      if used]
    if len(stdout_writers) > 1:
        raise UsageError(f"{' and '.join(stdout_writers)} all write to stdout", "send all but one to a file")
    if not connect and not cdp:  # with --connect, --browser-path is a path on the run-server's machine
        check_browser_path(browser_path)
    validate_existing_state(storage_state, profile_dir)
    validate_pushgateway(pushgateway)
    mappings, certs = target_network(resolve, connect_to, trust_cert, targets)
    check_remote_browser(connect, cdp, browser_path=browser_path, browser_channel=browser_channel, mappings=mappings,
                         trust_certs=certs, profile_dir=profile_dir, browser_policies=bool(browser_policies or policies_from))
    preferences = None
    if browser_policies or policies_from:
        preferences = policy_preferences(policies_from, browser_path, browser_channel, timeout,
                                         storage_state or profile_dir)
    settings = RunSettings(
        allowlist=load_allowlist(allowlist_path), settings=check_settings,
        browser_path=browser_path, browser_channel=browser_channel,
        mappings=mappings, trust_certs=certs,
        jobs=jobs, timeout_s=timeout, retries=retries, confirm=confirm,
        screenshot_dir=screenshot_folder(screenshot_dir), expect_role=expect_role, clock=not no_clock,
        storage_state=storage_state, profile_dir=profile_dir, profile_preferences=preferences,
        evidence_dir=output_folder(evidence_dir, "--evidence"), keep_screenshot=html_file is not None,
        baseline=baseline_of(baseline_path),
        connect=tuple(connect), cdp=cdp,
    )
    outputs = report_outputs(as_json, json_file, junit_file, metrics_file, html_file)
    for output_format, path in outputs:
        check_writable(path, OPTION_OF[output_format])
    def publish(report: RunReport) -> None:
        """Render and write every report (in a worker thread, while the browser closes)."""
        from preflight.reporters import OutputFormat, RenderOptions, render

        options = RenderOptions(color=sys.stdout.isatty(), verbose=verbose)
        for output_format, path in outputs:
            write_output(path, render(report, OutputFormat(output_format), options))
        github_actions(report, options)

    with ProgressObserver.for_stderr([t.label for t in targets]) as observer:
        # A live table on the terminal is stopped before the reports go out: not drawn over them.
        early = not observer.live_mode
        report = run(targets, settings, observer, publish if early else None)
    if not early:
        publish(report)
    status = report.exit_code(fail_on_warn=fail_on == "warn")
    if pushgateway and not push_metrics(report, pushgateway, push_job) and status is ExitStatus.OK:
        status = ExitStatus.COULD_NOT_RUN
    if status is ExitStatus.BUG:
        crashed = sorted({check for result in report.results for check in result.crashed_checks})
        click.echo(f"preflight: error: internal error: the {', '.join(crashed)} check crashed (see the report) — "
                   "rerun with --traceback and report it", err=True)
    return status


def baseline_of(path: str | None) -> BaselineDocument | None:
    if not path:
        return None
    from preflight.config.baseline import load_baseline

    return load_baseline(path)


def push_metrics(report: RunReport, gateway: str, job: str) -> bool:
    """Push to the Pushgateway; a failure is one line on stderr (the reports are written already)."""
    from preflight.publish import push_to_gateway

    try:
        push_to_gateway(report, gateway, job)
    except Exception as exc:  # noqa: BLE001 - urllib raises URLError, HTTPError, OSError, ValueError
        click.echo(f"preflight: error: cannot push the metrics to {redact_url(gateway)}: "
                   f"{redact_text(str(getattr(exc, 'reason', exc)))[:200]} — check the Pushgateway URL", err=True)
        return False
    return True


def validate_pushgateway(url: str | None) -> None:
    if url is None:
        return
    from preflight.rules.hosts import InvalidURL, parse_url

    try:
        parsed = parse_url(url if "://" in url else f"http://{url}")
    except InvalidURL:
        raise UsageError(f"--pushgateway {redact_url(url)!r} is not a URL", "e.g. --pushgateway http://pushgateway:9091") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise UsageError(f"--pushgateway {redact_url(url)!r} is not an http(s) URL",
                         "e.g. --pushgateway http://pushgateway:9091")


def github_actions(report: RunReport, options: RenderOptions) -> None:
    """On GitHub Actions: an annotation per failing or warning target, and the job summary."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return
    from preflight.reporters import OutputFormat, render

    annotations = render(report, OutputFormat.GITHUB, options)
    if annotations:
        # Workflow commands are read from stdout; they go after the report.
        click.echo(annotations, nl=False)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(render(report, OutputFormat.MARKDOWN, options))
        except OSError as exc:
            click.echo(f"preflight: warning: cannot write the job summary {summary}: {exc.strerror or exc}", err=True)


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
                   metrics_file: str | None = None, html_file: str | None = None) -> list[tuple[str, str]]:
    """Which reports go where, as (``OutputFormat`` value, path): ``--json`` and ``-`` mean stdout;
    the console report when nothing else is there. Values, not members: the reporters are
    imported only after the run has started the browser."""
    outputs: list[tuple[str, str]] = []
    if as_json:
        outputs.append(("json", "-"))
    elif "-" not in (json_file, junit_file, metrics_file, html_file):
        outputs.append(("console", "-"))
    for output_format, path in (("json", json_file), ("junit", junit_file),
                                ("metrics", metrics_file), ("html", html_file)):
        if path:
            outputs.append((output_format, path))
    return outputs


OPTION_OF = {"console": "stdout", "json": "--json-file", "junit": "--junit-file", "metrics": "--metrics",
             "html": "--html"}
