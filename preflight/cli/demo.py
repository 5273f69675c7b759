"""``preflight demo``: the mock portal and a check of it, then stop."""

from __future__ import annotations

import sys

import click

from preflight.cli.params import (
    CONTEXT_SETTINGS,
    host_mappings,
    stderr_console,
    write_output,
)
from preflight.cli.progress import ProgressObserver
from preflight.status import ExitStatus


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option("--browser-path", metavar="PATH", help="Chromium/Chrome/Edge binary (or $PREFLIGHT_BROWSER).")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON report instead of the console report.")
def demo(browser_path: str | None, as_json: bool) -> ExitStatus:
    """Start the embedded mock portal, check its provider and member logins, stop."""
    from preflight.config.allowlist import load_allowlist
    from preflight.mock.server import MockPortal
    from preflight.reporters import OutputFormat, RenderOptions, render
    from preflight.runner import RunSettings, run

    err = stderr_console()
    allowlist = load_allowlist(None)
    with MockPortal() as portal:
        hosts = ["cignaforhcp.cigna.com", "my.cigna.com"]
        err.print(f"[dim]mock portal on 127.0.0.1:{portal.port}, certificate {portal.cert_path}[/]")
        settings = RunSettings(
            allowlist=allowlist, browser_path=browser_path,
            mappings=host_mappings((), portal.connect_to_args(hosts)), trust_certs=(str(portal.cert_path),),
            jobs=2, timeout_s=30,
        )
        with ProgressObserver(err, [portal.url(h) for h in hosts]) as observer:
            report = run([portal.url(h) for h in hosts], settings, observer)
        posted = [r for r in portal.requests if r["method"] not in ("GET", "HEAD")]
    write_output("-", render(report, OutputFormat.JSON if as_json else OutputFormat.CONSOLE,
                             RenderOptions(color=sys.stdout.isatty())))
    err.print(f"[dim]the mock portal received {len(posted)} submission(s)[/]")
    return report.exit_code()
