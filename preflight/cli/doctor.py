"""``preflight doctor``: is this workstation ready to sign in, and what exactly to do next?"""

from __future__ import annotations

from collections.abc import Sequence

import click

from preflight.cli.params import (
    CONTEXT_SETTINGS,
    check_browser_path,
    check_writable,
    host_mappings,
    load_check_settings,
    validate_existing_state,
    validate_target,
    write_output,
)
from preflight.errors import UsageError
from preflight.status import ExitStatus

ROLES = ("clinician", "billing", "front-desk", "admin", "facility")


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option("--portal", "portal_url", metavar="URL",
              help="The provider portal to check (default: the allowlist's first provider login).")
@click.option("--role", type=click.Choice(ROLES), help="Tailor the next steps to this person's work.")
@click.option("--ticket", is_flag=True, help="Print a short redacted summary for a support ticket instead.")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON report (preflight/doctor@1) instead.")
@click.option("--html", "html_file", metavar="FILE", help="Also write the checklist as one self-contained HTML page.")
@click.option("--no-portal", is_flag=True, help="Skip the guarded visit to the portal.")
@click.option("--profile", "profile_dir", metavar="DIR", type=click.Path(exists=True, file_okay=False),
              help="Audit this Chrome/Edge profile's cookies for the portal (read from a copy, never changed).")
@click.option("--browser-path", metavar="PATH", help="Chromium/Chrome/Edge binary (or $PREFLIGHT_BROWSER).")
@click.option("--browser-channel", type=click.Choice(["chrome", "msedge"]), help="Use an installed Chrome or Edge.")
@click.option("--allowlist", "allowlist_path", metavar="FILE", help="allowlist.toml to use.")
@click.option("--config", "config_path", metavar="FILE", help="preflight.toml with thresholds.")
@click.option("--resolve", "resolve", multiple=True, metavar="HOST:PORT:ADDR",
              help="Connect HOST:PORT to ADDR, as curl does (a new server before DNS goes live).")
@click.option("--connect-to", "connect_to", multiple=True, metavar="H1:P1:H2:P2",
              help="Connect H1:P1 to H2:P2 instead, as curl does.")
@click.option("--trust-cert", "trust_cert", multiple=True, metavar="FILE.pem",
              type=click.Path(exists=True, dir_okay=False), help="Trust exactly this server certificate in the visit.")
def doctor(portal_url: str | None, role: str | None, ticket: bool, as_json: bool, html_file: str | None, no_portal: bool,
           profile_dir: str | None, browser_path: str | None, browser_channel: str | None,
           allowlist_path: str | None, config_path: str | None, resolve: Sequence[str], connect_to: Sequence[str],
           trust_cert: Sequence[str]) -> ExitStatus:
    """Check this workstation: browsers, time, name resolution, network path, browser readiness and a
    guarded visit to the portal; then the next steps. Never changes the machine.

    Exit 0 ready (warnings included), 1 something failed, 3 could not run (no browser, portal unreachable).
    """
    from preflight.config.allowlist import load_allowlist
    from preflight.doctor import DoctorOptions, RealSystem, run_doctor
    from preflight.model.doctor import DoctorTicket
    from preflight.reporters import OutputFormat, render

    if ticket and as_json:
        raise UsageError("--ticket and --json both write to stdout", "use one of them")
    if html_file == "-" and (ticket or as_json):
        raise UsageError("--html - and --ticket/--json all write to stdout", "send the HTML to a file")
    check_writable(html_file, "--html")
    allowlist = load_allowlist(allowlist_path)
    check_browser_path(browser_path)
    validate_existing_state(None, profile_dir)
    url, name = _portal(allowlist, portal_url)
    system = RealSystem()
    options = DoctorOptions(allowlist=allowlist, portal_url=url, portal_name=name,
                            settings=load_check_settings(config_path), role=role, no_portal=no_portal,
                            profile_dir=profile_dir, browser_path=browser_path, browser_channel=browser_channel,
                            mappings=host_mappings(resolve, connect_to), trust_certs=tuple(trust_cert))
    report = run_doctor(options, system)
    if ticket:
        write_output("-", render(DoctorTicket.of(report, system.environ), OutputFormat.CONSOLE))
    elif html_file != "-":
        write_output("-", render(report, OutputFormat.JSON if as_json else OutputFormat.CONSOLE))
    if html_file:
        write_output(html_file, render(report, OutputFormat.HTML))
    if report.crashed:
        click.echo(f"preflight: error: internal error: the {', '.join(report.crashed)} probe crashed (see the report) "
                   "— rerun with --traceback and report it", err=True)
    return ExitStatus(report.exit_code())


def _portal(allowlist: object, portal_url: str | None) -> tuple[str, str]:
    """The URL to check and the portal's name: ``--portal``, else the first provider portal's login URL."""
    from preflight.config.allowlist import Allowlist
    from preflight.rules.hosts import host_of

    assert isinstance(allowlist, Allowlist)
    if portal_url:
        url = validate_target(portal_url)
        entry = allowlist.lookup(host_of(url) or "")
        return url, entry.portal.name if entry is not None else ""
    provider = next((p for p in allowlist.portals if p.role == "provider"), None)
    if provider is None or not provider.hosts:
        raise UsageError(f"the allowlist {allowlist.source} has no provider portal", "give --portal URL")
    return (provider.login_urls[0] if provider.login_urls else f"https://{provider.hosts[0]}/"), provider.name
