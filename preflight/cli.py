"""Click commands only: parse, validate, wire, exit. One error boundary in ``main``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Sequence

import click

from . import __version__
from .errors import OutputError, PreflightError, UsageError
from .hosts import InvalidURL, as_browser_url, parse_url
from .redact import redact_text, redact_url

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_COULD_NOT_RUN = 0, 1, 2, 3
MAX_TARGETS = 1000
ROLE_CHOICES = ("provider", "member", "employer", "broker")
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# --------------------------------------------------------------------------- validation helpers


def validate_target(text: str) -> str:
    """A URL a browser can open over HTTP(S), without credentials. Schemeless means https."""
    raw = text.strip()
    if not raw:
        raise UsageError("empty URL", "give a URL such as https://cignaforhcp.cigna.com/")
    if len(raw) > 8192:
        raise UsageError("URL longer than 8192 characters", "check what was pasted")
    try:
        parsed = parse_url(as_browser_url(raw))
    except InvalidURL:
        raise UsageError(f"not a valid URL: {redact_url(raw)!r}",
                         "give a full URL such as https://cignaforhcp.cigna.com/") from None
    if parsed.scheme not in ("http", "https"):
        raise UsageError(f"unsupported scheme {parsed.scheme + ':'!r} in {redact_url(raw)!r}",
                         "preflight checks web pages: use an https:// URL")
    if parsed.has_credentials:
        raise UsageError(f"URL carries credentials: {redact_url(parsed.href)!r}",
                         "remove the user name and password from the URL; never put them in a link")
    if not parsed.host:
        raise UsageError(f"URL has no host: {redact_url(raw)!r}", "give a URL such as https://cignaforhcp.cigna.com/")
    return parsed.href


def _writable(path: str | None, option: str) -> None:
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


def _write(path: str, text: str) -> None:
    if path == "-":
        click.echo(text, nl=False)
        return
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}", "choose a path you can write to") from None


def _stderr() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


# --------------------------------------------------------------------------- commands


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="preflight")
@click.option("--traceback", is_flag=True, help="Show the full stack trace on errors (for bug reports).")
@click.pass_context
def cli(ctx: click.Context, traceback: bool) -> None:
    """Check that this browser is about to log in to the official provider portal.

    Nothing is ever typed, clicked or submitted on the pages visited.
    """
    ctx.ensure_object(dict)
    ctx.obj["traceback"] = traceback


def _browser_options(func: Any) -> Any:
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
        click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(0.5, 600),
                     help="Seconds allowed for each target."),
        click.option("--allowlist", "allowlist_path", metavar="FILE", help="allowlist.toml to use."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("urls", nargs=-1)
@_browser_options
@click.option("--jobs", default=4, show_default=True, type=click.IntRange(1, 32), help="Targets checked at once.")
@click.option("--retries", default=1, show_default=True, type=click.IntRange(0, 5),
              help="Retries for transient network errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON report to stdout instead of the console report.")
@click.option("--json-file", metavar="FILE", help="Also write the JSON report to FILE ('-' for stdout).")
@click.option("--junit-file", metavar="FILE", help="Also write a JUnit XML report to FILE ('-' for stdout).")
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
@click.option("-v", "--verbose", is_flag=True, help="Show informational findings too.")
def check(urls: Sequence[str], browser_path: str | None, browser_channel: str | None, resolve: Sequence[str],
          connect_to: Sequence[str], trust_cert: Sequence[str], timeout: float, allowlist_path: str | None,
          jobs: int, retries: int, as_json: bool, json_file: str | None, junit_file: str | None, fail_on: str,
          config_path: str | None, expect_role: str | None,
          no_clock: bool, screenshot_dir: str | None, verbose: bool, storage_state: str | None = None,
          profile_dir: str | None = None) -> None:
    """Visit each URL (never submitting anything) and judge it."""
    from .config import load_allowlist
    from .reporters import REPORTERS, OutputFormat
    from .reporters import console as console_reporter
    from .reporters import json as json_reporter
    from .runner import RunSettings, run

    if not urls:
        raise UsageError("no URL given", "usage: preflight check https://cignaforhcp.cigna.com/")
    if len(urls) > MAX_TARGETS:
        raise UsageError(f"{len(urls)} URLs given; at most {MAX_TARGETS} per run", "split the list into batches")
    stdout_writers = [name for name, used in (("--json", as_json), ("--json-file -", json_file == "-"),
                                              ("--junit-file -", junit_file == "-")) if used]
    if len(stdout_writers) > 1:
        raise UsageError(f"{' and '.join(stdout_writers)} all write to stdout", "send all but one to a file")
    targets = [validate_target(u) for u in urls]
    _existing_state(storage_state, profile_dir)
    settings = RunSettings(
        allowlist=load_allowlist(allowlist_path), check_settings=_check_settings(config_path),
        browser_path=browser_path, browser_channel=browser_channel,
        mappings=_mappings(resolve, connect_to), trust_certs=tuple(trust_cert),
        jobs=jobs, timeout_s=timeout, retries=retries,
        screenshot_dir=_screenshot_dir(screenshot_dir), expect_role=expect_role, clock=not no_clock,
        storage_state=storage_state, profile_dir=profile_dir,
    )
    _writable(json_file, "--json-file")
    _writable(junit_file, "--junit-file")
    report = run(targets, settings, _ProgressObserver(_stderr()))
    if as_json:
        _write("-", json_reporter.render(report))
    elif "-" not in (json_file, junit_file):
        _write("-", console_reporter.render(report, color=sys.stdout.isatty(), verbose=verbose))
    if json_file:
        _write(json_file, json_reporter.render(report))
    if junit_file:
        _write(junit_file, REPORTERS[OutputFormat.JUNIT](report))
    sys.exit(report.exit_code(fail_on_warn=fail_on == "warn"))


def _existing_state(storage_state: str | None, profile_dir: str | None) -> None:
    """``--storage-state`` / ``--profile``: one of them, readable, and what it says it is."""
    from .profile import locate_profile, read_storage_state

    if storage_state is not None and profile_dir is not None:
        raise UsageError("--storage-state and --profile both give the starting cookies", "use one of them")
    if storage_state is not None:
        read_storage_state(storage_state)
    if profile_dir is not None:
        locate_profile(profile_dir)


def _check_settings(config_path: str | None) -> dict[str, Any]:
    """preflight.toml, validated now (a bad vocabulary file too), not after the browser started."""
    from .config import load_settings
    from .vocabulary import load_vocabulary

    settings = load_settings(config_path)
    vocabulary = settings.get("portal.vocabulary")
    if vocabulary:
        load_vocabulary(vocabulary)
    return settings


def _mappings(resolve: Sequence[str], connect_to: Sequence[str]) -> tuple[Any, ...]:
    from .browser import parse_connect_to, parse_resolve

    return tuple(parse_resolve(r) for r in resolve) + tuple(parse_connect_to(c) for c in connect_to)


def _screenshot_dir(path: str | None) -> Path | None:
    if path is None:
        return None
    directory = Path(path)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"--screenshot {path}: cannot create folder ({exc.strerror or exc})",
                          "choose a folder you can write to") from None
    if not os.access(directory, os.W_OK):
        raise OutputError(f"--screenshot {path}: not writable", "choose a folder you can write to")
    return directory


class _ProgressObserver:
    """Progress lines on stderr; stdout carries only the report."""

    def __init__(self, console: Any) -> None:
        self.console = console

    def target_started(self, target: str) -> None:
        self.console.print(f"[dim]checking {redact_url(target)} …[/]")

    def target_finished(self, result: Any) -> None:
        self.console.print(f"[dim]{result.verdict.value:5} {redact_url(result.target)} ({result.elapsed_s:.1f} s)[/]")

    def note(self, message: str) -> None:
        self.console.print(f"[yellow]{message}[/]")


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option("--browser-path", metavar="PATH", help="Chromium/Chrome/Edge binary (or $PREFLIGHT_BROWSER).")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON report instead of the console report.")
def demo(browser_path: str | None, as_json: bool) -> None:
    """Start the embedded mock portal, check its provider and member logins, stop."""
    from .config import load_allowlist
    from .mock.server import MockPortal
    from .reporters import console as console_reporter
    from .reporters import json as json_reporter
    from .runner import RunSettings, run

    err = _stderr()
    allowlist = load_allowlist(None)
    with MockPortal() as portal:
        hosts = ["cignaforhcp.cigna.com", "my.cigna.com"]
        err.print(f"[dim]mock portal on 127.0.0.1:{portal.port}, certificate {portal.cert_path}[/]")
        settings = RunSettings(
            allowlist=allowlist, browser_path=browser_path,
            mappings=_mappings((), portal.connect_to_args(hosts)), trust_certs=(str(portal.cert_path),),
            jobs=2, timeout_s=30,
        )
        report = run([portal.url(h) for h in hosts], settings, _ProgressObserver(err))
        posted = [r for r in portal.requests if r["method"] not in ("GET", "HEAD")]
    _write("-", json_reporter.render(report) if as_json else console_reporter.render(report, color=sys.stdout.isatty()))
    err.print(f"[dim]the mock portal received {len(posted)} submission(s)[/]")
    sys.exit(report.exit_code())


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("inputs", nargs=-1)
@click.option("--allowlist", "allowlist_path", metavar="FILE", help="allowlist.toml to judge against.")
@click.option("--json", "as_json", is_flag=True, help="Print the preflight/vet@1 JSON document.")
def vet(inputs: Sequence[str], allowlist_path: str | None, as_json: bool) -> None:
    """Judge links offline, no browser: URL... or '-' (or a file) with one URL per line.

    Exit 0 when every URL is on an official portal host, 1 otherwise.
    """
    import json

    from .config import load_allowlist
    from .vet import render_vet_text, vet_exit_code, vet_json, vet_urls

    if not inputs:
        raise UsageError("no URL given", "usage: preflight vet URL... or preflight vet - < urls.txt")
    judge_against = load_allowlist(allowlist_path)
    results = list(vet_urls(_vet_lines(inputs), judge_against))
    if not results:
        raise UsageError("no URL in the input (only blank lines or comments)", "give at least one URL")
    _write("-", json.dumps(vet_json(results), indent=2, ensure_ascii=False) + "\n" if as_json
           else render_vet_text(results))
    sys.exit(vet_exit_code(results))


def _vet_lines(inputs: Sequence[str]) -> list[str]:
    """Arguments are URLs; ``-`` reads stdin; ``@FILE`` reads a file, one URL per line."""
    lines: list[str] = []
    for item in inputs:
        if item == "-":
            lines.extend(sys.stdin.read().splitlines())
        elif item.startswith("@"):
            try:
                lines.extend(Path(item[1:]).read_text(encoding="utf-8", errors="replace").splitlines())
            except OSError as exc:
                raise UsageError(f"cannot read {item[1:]}: {exc.strerror or exc}", "give a readable file of URLs") from None
        else:
            lines.append(item)
    return lines


@cli.command("mock-portal", context_settings=CONTEXT_SETTINGS)
@click.option("--port", default=8443, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port).")
@click.option("--log", "log_path", metavar="FILE", help="Append one JSON line per request to FILE.")
@click.option("--root", "roots", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Extra site folder served before the packaged pages (repeatable).")
def mock_portal(port: int, log_path: str | None, roots: Sequence[str]) -> None:
    """Serve the embedded mock portal over HTTPS until Ctrl-C."""
    from .mock.server import serve

    _writable(log_path, "--log")
    serve(port=port, log_path=Path(log_path) if log_path else None, roots=[Path(r) for r in roots],
          print_fn=click.echo)


@cli.group(context_settings=CONTEXT_SETTINGS)
def allowlist() -> None:
    """Show or validate the allowlist of official portal hosts."""


@allowlist.command("validate")
@click.option("--allowlist", "allowlist_path", metavar="FILE", help="allowlist.toml to validate.")
def allowlist_validate(allowlist_path: str | None) -> None:
    """Exit 0 if the allowlist is valid, 2 with the first problem otherwise."""
    from .config import load_allowlist

    loaded = load_allowlist(allowlist_path)
    hosts = sum(len(p.hosts) for p in loaded.portals)
    click.echo(f"{loaded.source}: valid — {len(loaded.portals)} portal(s), {hosts} host(s)")
    for portal in loaded.portals:
        for pattern in portal.host_patterns:
            click.echo(f"warning: {portal.name}: host pattern {pattern} is discouraged; list exact hosts", err=True)


@allowlist.command("show")
@click.option("--allowlist", "allowlist_path", metavar="FILE", help="allowlist.toml to show.")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
def allowlist_show(allowlist_path: str | None, as_json: bool) -> None:
    """List the portals and hosts the allowlist trusts."""
    import json

    from .config import load_allowlist

    loaded = load_allowlist(allowlist_path)
    if as_json:
        click.echo(json.dumps({"source": loaded.source, "portals": [
            {"payer": p.payer, "name": p.name, "role": p.role, "hosts": list(p.hosts),
             "host_patterns": list(p.host_patterns), "identity_hosts": list(p.identity_hosts)}
            for p in loaded.portals]}, indent=2))
        return
    click.echo(f"# {loaded.source}")
    for p in loaded.portals:
        click.echo(f"{p.payer} · {p.name} · {p.role}")
        for host in p.hosts:
            click.echo(f"    {host}")
        for host in p.host_patterns:
            click.echo(f"    {host}   (pattern, discouraged)")
        for host in p.identity_hosts:
            click.echo(f"    {host}   (identity)")


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option("--browser-path", metavar="PATH", help="Chromium/Chrome/Edge binary (or $PREFLIGHT_BROWSER).")
@click.option("--browser-channel", type=click.Choice(["chrome", "msedge"]), help="Use an installed Chrome or Edge.")
@click.option("--allowlist", "allowlist_path", metavar="FILE", help="allowlist.toml to check.")
def doctor(browser_path: str | None, browser_channel: str | None, allowlist_path: str | None) -> None:
    """Check this workstation: browser, allowlist, clock, and a guarded visit to the mock portal."""
    from .doctor import run_doctor

    sys.exit(run_doctor(browser_path, browser_channel, allowlist_path, click.echo))


# --------------------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None) -> None:
    """The one error boundary: domain errors -> one line + exit code; ``--traceback`` for bugs."""
    args = list(sys.argv[1:] if argv is None else argv)
    show_traceback = "--traceback" in args
    try:
        cli.main(args=args, prog_name="preflight", standalone_mode=False)
    except PreflightError as exc:
        if show_traceback:
            raise
        _fail(str(exc), exc.exit_code)
    except click.exceptions.NoSuchOption as exc:
        _fail(f"{exc.format_message()}", EXIT_USAGE, exc)
    except click.UsageError as exc:
        _fail(f"{exc.format_message()} — run `preflight {_command(exc)}--help`", EXIT_USAGE)
    except click.exceptions.Abort:
        _fail("interrupted", 130)
    except click.ClickException as exc:
        _fail(exc.format_message(), exc.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug: say so in one line unless asked for the stack
        if show_traceback:
            raise
        _fail(f"internal error: {type(exc).__name__}: {redact_text(str(exc))[:300]} — rerun with --traceback "
              "and report it", 70)
    sys.exit(0)


def _command(exc: click.UsageError) -> str:
    ctx = exc.ctx
    if ctx is None or ctx.command_path in ("", "preflight"):
        return ""
    return ctx.command_path.split(" ", 1)[1] + " " if " " in ctx.command_path else ""


def _fail(message: str, code: int, exc: click.UsageError | None = None) -> None:
    # Click echoes arguments back ("No such command 'https://…?token=…'"): redact any URL.
    line = redact_text(" ".join(message.split()))
    if exc is not None:
        line = f"{line} — run `preflight {_command(exc)}--help`"
    click.echo(f"preflight: error: {line}", err=True)
    sys.exit(code)
