"""Progress on stderr through the runner's observer; stdout carries only the report.

On a terminal: a Rich live table, one line per target (waiting, running, its verdict, seconds).
Elsewhere (CI logs, files): one plain timestamped line per event, which a log reader can grep.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from preflight.rules.redact import redact_url

_STYLE = {"waiting": "dim", "running": "cyan", "pass": "green", "warn": "yellow", "fail": "bold red",
          "error": "magenta"}


class ProgressObserver:
    """The runner's observer for the CLI; use it as a context manager around the run."""

    def __init__(self, console: Any, labels: Sequence[str] = (), live: bool | None = None,
                 clock: Any = time.monotonic) -> None:
        self.console = console
        self.live_mode = console.is_terminal if live is None else live
        self._clock = clock
        self._rows: dict[str, list[Any]] = {redact_url(label): ["waiting", None, None, 0] for label in labels}
        self._live: Any = None

    @classmethod
    def for_stderr(cls, labels: Sequence[str] = ()) -> ProgressObserver:
        if not _wants_rich(sys.stderr):
            # CI logs and pipes get plain lines; Rich is imported for a terminal only.
            return cls(_PlainLines(sys.stderr), labels)
        from rich.console import Console

        return cls(Console(file=sys.stderr, highlight=False, soft_wrap=True), labels)

    def __enter__(self) -> ProgressObserver:
        if self.live_mode and self._rows:
            from rich.live import Live

            self._live = Live(self._table(), console=self.console, refresh_per_second=4, transient=False,
                              get_renderable=self._table)
            self._live.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    def target_started(self, target: str) -> None:
        label = redact_url(target)
        row = self._rows.setdefault(label, ["waiting", None, None, 0])
        row[0], row[1], row[2] = "running", self._clock(), None
        row[3] += 1
        if self._live is None:
            again = f" (check {row[3]})" if row[3] > 1 else ""
            self._line(f"checking {label}{again}", "dim")

    def target_finished(self, result: Any) -> None:
        label = redact_url(result.label)
        row = self._rows.setdefault(label, ["waiting", None, None, 1])
        row[0], row[2] = result.verdict.value, result.elapsed_s
        if self._live is None:
            self._line(f"{result.verdict.value:5} {label} ({result.elapsed_s:.1f} s)", _STYLE[result.verdict.value])

    def note(self, message: str) -> None:
        if self._live is not None:
            self._live.console.print(f"[yellow]{message}[/]")
        else:
            self._line(message, "yellow")

    def _line(self, text: str, style: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.console.print(f"{stamp} {text}", style=style, markup=False)

    def _table(self) -> Any:
        from rich.table import Table

        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        table.add_column("target", overflow="fold")
        table.add_column("state")
        table.add_column("seconds", justify="right")
        now = self._clock()
        for label, (state, started, elapsed, checks) in self._rows.items():
            if state == "running" and started is not None:
                seconds = f"{now - started:.1f}"
            else:
                seconds = f"{elapsed:.1f}" if elapsed is not None else ""
            shown = state if checks <= 1 or state == "waiting" else f"{state} (check {checks})"
            table.add_row(label, f"[{_STYLE.get(state, '')}]{shown}[/]", seconds)
        return table


def _wants_rich(stream: Any) -> bool:
    """A terminal, or colour asked for (``FORCE_COLOR``, which Rich honours in CI logs)."""
    import os

    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):
        terminal = False
    return terminal or bool(os.environ.get("FORCE_COLOR"))


class _PlainLines:
    """What the observer needs of a console when stderr is not a terminal: lines, unstyled."""

    is_terminal = False

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def print(self, text: str, style: str | None = None, markup: bool = True) -> None:
        try:
            self.stream.write(f"{text}\n")
            self.stream.flush()
        except (OSError, ValueError):  # stderr closed: progress is not worth failing over
            pass
