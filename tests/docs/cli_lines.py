"""One check for every ``preflight`` command line a recipe or manifest carries: the real Click
command knows each option and parses the line (resilient parsing: files named need not exist)."""

from __future__ import annotations

import click
import pytest


def assert_parses(where: str, argv: list[str]) -> None:
    from preflight.cli import cli

    name, *args = argv
    assert name in cli.commands, f"{where}: preflight has no command {name}"
    command = cli.commands[name]
    known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    used = [arg.split("=", 1)[0] for arg in args if arg.startswith("-")]
    missing = [opt for opt in dict.fromkeys(used) if opt not in known]
    assert not missing, f"{where}: `preflight {name}` has no option {', '.join(missing)}"
    try:
        with command.make_context(f"preflight {name}", list(args), resilient_parsing=True):
            pass
    except click.UsageError as exc:
        pytest.fail(f"{where}: `preflight {' '.join(argv)}`: {exc.format_message()}")
