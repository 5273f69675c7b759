"""``preflight allowlist show|validate``."""

from __future__ import annotations

import click

from preflight.cli.params import CONTEXT_SETTINGS, write_output
from preflight.status import ExitStatus


@click.group(context_settings=CONTEXT_SETTINGS)
def allowlist() -> None:
    """Show or validate the allowlist of official portal hosts."""


@allowlist.command("validate")
@click.option("--allowlist", "allowlist_path", metavar="FILE", help="allowlist.toml to validate.")
def allowlist_validate(allowlist_path: str | None) -> ExitStatus:
    """Exit 0 if the allowlist is valid, 2 with the first problem otherwise."""
    from preflight.config.allowlist import load_allowlist

    loaded = load_allowlist(allowlist_path)
    hosts = sum(len(p.hosts) for p in loaded.portals)
    click.echo(f"{loaded.source}: valid — {len(loaded.portals)} portal(s), {hosts} host(s)")
    for portal in loaded.portals:
        for pattern in portal.host_patterns:
            click.echo(f"warning: {portal.name}: host pattern {pattern} is discouraged; list exact hosts", err=True)
    return ExitStatus.OK


@allowlist.command("show")
@click.option("--allowlist", "allowlist_path", metavar="FILE", help="allowlist.toml to show.")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
def allowlist_show(allowlist_path: str | None, as_json: bool) -> ExitStatus:
    """List the portals and hosts the allowlist trusts."""
    from preflight.config.allowlist import load_allowlist
    from preflight.reporters import OutputFormat, render

    loaded = load_allowlist(allowlist_path)
    write_output("-", render(loaded, OutputFormat.JSON if as_json else OutputFormat.CONSOLE))
    return ExitStatus.OK
