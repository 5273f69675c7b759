"""``preflight vet``: judge links offline, no browser."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from preflight.cli.params import CONTEXT_SETTINGS, write_output
from preflight.errors import UsageError
from preflight.status import ExitStatus


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("inputs", nargs=-1)
@click.option("--allowlist", "allowlist_path", metavar="FILE", help="allowlist.toml to judge against.")
@click.option("--json", "as_json", is_flag=True, help="Print the preflight/vet@1 JSON document.")
def vet(inputs: Sequence[str], allowlist_path: str | None, as_json: bool) -> ExitStatus:
    """Judge links offline, no browser: URL... or '-' (or a file) with one URL per line.

    Exit 0 when every URL is on an official portal host, 1 otherwise.
    """
    from preflight.config.allowlist import load_allowlist
    from preflight.reporters import OutputFormat, render
    from preflight.vet import vet_exit_code, vet_urls

    if not inputs:
        raise UsageError("no URL given", "usage: preflight vet URL... or preflight vet - < urls.txt")
    judge_against = load_allowlist(allowlist_path)
    results = list(vet_urls(vet_lines(inputs), judge_against))
    if not results:
        raise UsageError("no URL in the input (only blank lines or comments)", "give at least one URL")
    write_output("-", render(results, OutputFormat.JSON if as_json else OutputFormat.CONSOLE))
    return ExitStatus(vet_exit_code(results))


def vet_lines(inputs: Sequence[str]) -> list[str]:
    """Arguments are URLs; ``-`` reads stdin; ``@FILE`` reads a file, one URL per line (at most 10 MB)."""
    from preflight.config.files import BOM, MAX_BYTES, UnreadableFile, read_user_file

    lines: list[str] = []
    for item in inputs:
        if item == "-":
            text = sys.stdin.read(MAX_BYTES + 1)
            if len(text) > MAX_BYTES:
                raise UsageError("standard input is larger than 10 MB", "split the list of URLs")
        elif item.startswith("@"):
            try:
                text = read_user_file(item[1:]).decode("utf-8", errors="replace")
            except UnreadableFile as exc:
                raise UsageError(f"cannot read {item[1:]}: {exc.reason}", "give a readable file of URLs") from None
        else:
            lines.append(item)
            continue
        lines.extend(split_lines(text.removeprefix(BOM)))
    return lines


def split_lines(text: str) -> list[str]:
    """One URL per ``\\n`` line (a trailing ``\\r`` dropped): not ``str.splitlines``, which also splits on
    ``\\x0b``, ``\\x0c``, ``\\x1c``-``\\x1e`` and Unicode line breaks, so results stop matching input lines."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
