"""Progress on stderr through the runner's observer; stdout carries only the report."""

from __future__ import annotations

from typing import Any

from preflight.rules.redact import redact_url


class ProgressObserver:
    """Progress lines on stderr; stdout carries only the report."""

    def __init__(self, console: Any) -> None:
        self.console = console

    def target_started(self, target: str) -> None:
        self.console.print(f"[dim]checking {redact_url(target)} …[/]")

    def target_finished(self, result: Any) -> None:
        self.console.print(f"[dim]{result.verdict.value:5} {redact_url(result.target)} ({result.elapsed_s:.1f} s)[/]")

    def note(self, message: str) -> None:
        self.console.print(f"[yellow]{message}[/]")
