"""``preflight mock-portal``: serve the embedded mock portal."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from preflight.cli.params import CONTEXT_SETTINGS, check_writable
from preflight.status import ExitStatus


@click.command("mock-portal", context_settings=CONTEXT_SETTINGS)
@click.option("--port", default=8443, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port).")
@click.option("--log", "log_path", metavar="FILE", help="Append one JSON line per request to FILE.")
@click.option("--root", "roots", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Extra site folder served before the packaged pages (repeatable).")
def mock_portal(port: int, log_path: str | None, roots: Sequence[str]) -> ExitStatus:
    """Serve the embedded mock portal over HTTPS until Ctrl-C."""
    from preflight.mock.server import serve

    check_writable(log_path, "--log")
    serve(port=port, log_path=Path(log_path) if log_path else None, roots=[Path(r) for r in roots],
          print_fn=click.echo)
    return ExitStatus.OK
