"""``preflight policy export|show``: browser policy for the official portals, and what is in force."""

from __future__ import annotations

import click

from preflight.cli.params import CONTEXT_SETTINGS, check_browser_path, check_writable, write_output
from preflight.status import ExitStatus

BROWSER_CHOICES = ("chrome", "edge", "chromium")
FORMAT_CHOICES = ("json", "reg", "mobileconfig", "admx-list")


@click.group(context_settings=CONTEXT_SETTINGS)
def policy() -> None:
    """Export enterprise browser policy for the official portals, or show the policies in force."""


@policy.command("export")
@click.option("--browser", "browser", type=click.Choice(BROWSER_CHOICES), default="chrome", show_default=True,
              help="Which browser the policy is for (names its registry key, macOS domain, Linux folder).")
@click.option("--format", "output_format", type=click.Choice(FORMAT_CHOICES), default="json", show_default=True,
              help="json: Linux managed-policy file; reg: Windows registry import; mobileconfig: macOS "
                   "profile; admx-list: names and values to enter in Group Policy or Intune.")
@click.option("--allowlist", "allowlist_path", metavar="FILE", help="allowlist.toml to build from.")
@click.option("-o", "--output", "output", default="-", show_default=True, metavar="FILE",
              help="Write here instead of stdout.")
def policy_export(browser: str, output_format: str, allowlist_path: str | None, output: str) -> ExitStatus:
    """Build password protection, cookie and pop-up policies from the allowlist.

    Confirm every host with the payer before deploying: the policy trusts what the allowlist says.
    """
    from preflight.config.allowlist import load_allowlist
    from preflight.policy.build import POLICY_FILE_NAME, build_export
    from preflight.policy.formats import ExportFormat, render

    check_writable(output, "--output")
    export = build_export(load_allowlist(allowlist_path), browser)
    fmt = ExportFormat(output_format)
    write_output(output, render(export, fmt))
    if fmt is ExportFormat.JSON:
        page = "edge://policy" if browser == "edge" else "chrome://policy"
        click.echo(f"install as {export.browser.linux_dir}{POLICY_FILE_NAME} (mode 0644) on Linux; "
                   f"check it in {page} or with `preflight policy show`", err=True)
    for note in export.notes:
        click.echo(f"note: {note}", err=True)
    return ExitStatus.OK


@policy.command("show")
@click.option("--browser-path", metavar="PATH", help="Chromium/Chrome/Edge binary (or $PREFLIGHT_BROWSER).")
@click.option("--browser-channel", type=click.Choice(["chrome", "msedge"]), help="Use an installed Chrome or Edge.")
@click.option("--allowlist", "allowlist_path", metavar="FILE", help="allowlist.toml to judge against.")
@click.option("--json", "as_json", is_flag=True, help="JSON (preflight/policy@1) instead of text.")
@click.option("-v", "--verbose", is_flag=True, help="Show informational findings too.")
def policy_show(browser_path: str | None, browser_channel: str | None, allowlist_path: str | None,
                as_json: bool, verbose: bool) -> ExitStatus:
    """The policies in force, from the browser's own chrome://policy page, judged for portal sign-in.

    Exit 1 when a policy breaks a portal sign-in (blocked cookies or pages), else 0.
    """
    from preflight.capture.policy import read_policies
    from preflight.config.allowlist import load_allowlist
    from preflight.model.policy import PolicyReport
    from preflight.model.report import Severity
    from preflight.policy.judge import judge_policies
    from preflight.reporters import OutputFormat, RenderOptions, render

    allowlist = load_allowlist(allowlist_path)
    check_browser_path(browser_path)
    browser, entries = read_policies(browser_path, browser_channel)
    report = PolicyReport(browser, allowlist.source, entries, judge_policies(entries, allowlist))
    write_output("-", render(report, OutputFormat.JSON if as_json else OutputFormat.CONSOLE,
                             RenderOptions(verbose=verbose)))
    return ExitStatus.FAIL if report.worst is Severity.FAIL else ExitStatus.OK
