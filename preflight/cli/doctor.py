"""``preflight doctor``: is this workstation ready?"""

from __future__ import annotations

import click

from preflight.cli.params import CONTEXT_SETTINGS
from preflight.status import ExitStatus


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option("--browser-path", metavar="PATH", help="Chromium/Chrome/Edge binary (or $PREFLIGHT_BROWSER).")
@click.option("--browser-channel", type=click.Choice(["chrome", "msedge"]), help="Use an installed Chrome or Edge.")
@click.option("--allowlist", "allowlist_path", metavar="FILE", help="allowlist.toml to check.")
def doctor(browser_path: str | None, browser_channel: str | None, allowlist_path: str | None) -> ExitStatus:
    """Check this workstation: browser, allowlist, clock, and a guarded visit to the mock portal."""
    from preflight.doctor import run_doctor

    return ExitStatus(run_doctor(browser_path, browser_channel, allowlist_path, click.echo))
