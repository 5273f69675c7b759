"""The command line: one module per command, shared parameters, progress. One error boundary here.

Commands parse, validate and wire; they return an ``ExitStatus`` and never call ``sys.exit``.
``main`` turns domain errors into one line ``preflight: error: <what> — <what to do>`` and the
status of the exit table; ``python -m preflight`` and the console script exit with it.
"""

from __future__ import annotations

import os
import sys
import traceback as traceback_mod
from collections.abc import Sequence
from typing import NoReturn

import click

from preflight import __version__
from preflight.cli import allowlist, baseline, check, demo, doctor, mock_portal, policy, serve, vet
from preflight.cli.params import CONTEXT_SETTINGS
from preflight.errors import PreflightError
from preflight.rules.redact import redact_text
from preflight.status import ExitStatus

ENV_PREFIX = "PREFLIGHT"
"""Click's convention: ``PREFLIGHT_CHECK_JOBS=2`` is ``preflight check --jobs 2`` unless the flag is given."""


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="preflight")
@click.option("--traceback", is_flag=True, help="Show the full stack trace on errors (for bug reports).")
def cli(traceback: bool) -> None:
    """Check that this browser is about to log in to the official provider portal.

    Nothing is ever typed, clicked or submitted on the pages visited.
    """


for command in (check.check, vet.vet, demo.demo, mock_portal.mock_portal, allowlist.allowlist, doctor.doctor,
                policy.policy, serve.serve, baseline.baseline):
    cli.add_command(command)


def main(argv: Sequence[str] | None = None) -> int:
    """The one error boundary: returns the exit status (the console script exits with it).

    ``--traceback`` adds the stack of an unexpected error to stderr; it never changes the status.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    show_traceback = "--traceback" in args
    try:
        status = cli.main(args=args, prog_name="preflight", standalone_mode=False, auto_envvar_prefix=ENV_PREFIX)
    except PreflightError as exc:
        return _fail(str(exc), exc.exit_code)
    except click.exceptions.NoSuchOption as exc:
        return _fail(exc.format_message(), ExitStatus.USAGE, exc)
    except click.UsageError as exc:
        return _fail(exc.format_message(), ExitStatus.USAGE, exc)
    except (click.exceptions.Abort, KeyboardInterrupt):
        return _fail("interrupted", ExitStatus.INTERRUPTED)
    except click.exceptions.Exit as exc:  # --help, --version
        return exc.exit_code
    except click.ClickException as exc:
        return _fail(exc.format_message(), exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - a bug: one line unless asked for the stack
        if show_traceback:
            traceback_mod.print_exc(file=sys.stderr)
        return _fail(f"internal error: {type(exc).__name__}: {redact_text(str(exc))[:300]} — rerun with "
                     "--traceback and report it", ExitStatus.BUG)
    return int(status) if status is not None else ExitStatus.OK


def entry() -> NoReturn:
    """The console script and ``python -m preflight``: ``main``, then exit at once.

    Every browser, driver, server, file and temporary folder is closed by the time ``main``
    returns; what is left is tearing down the interpreter's tables (the vocabulary's patterns,
    the suffix list), about 0.1 s that nobody waits for. The output is flushed first."""
    status = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``preflight check ... | head``): nothing to keep
            pass
    os._exit(status)


def _command(exc: click.UsageError) -> str:
    ctx = exc.ctx
    if ctx is None or ctx.command_path in ("", "preflight"):
        return ""
    return ctx.command_path.split(" ", 1)[1] + " " if " " in ctx.command_path else ""


def _fail(message: str, status: int, exc: click.UsageError | None = None) -> int:
    # Click echoes arguments back ("No such command 'https://…?token=…'"): redact any URL.
    line = redact_text(" ".join(message.split()))
    if exc is not None:
        line = f"{line} — run `preflight {_command(exc)}--help`"
    click.echo(f"preflight: error: {line}", err=True)
    return status
