"""Progress on stderr: a live table on a terminal, timestamped lines elsewhere."""

from __future__ import annotations

import io
import re

from rich.console import Console

from preflight.cli.progress import ProgressObserver
from preflight.model.report import TargetError, TargetResult


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def result(name: str, error: bool = False) -> TargetResult:
    return TargetResult("https://x.example/?token=SECRET-TOKEN-1", None, (),
                        TargetError("target.unreachable", "refused") if error else None, elapsed_s=1.25, name=name)


def test_plain_lines_with_timestamps_when_not_a_terminal():
    out = io.StringIO()
    observer = ProgressObserver(Console(file=out, force_terminal=False, width=200), ["a", "b"])
    with observer:
        observer.target_started("a")
        observer.target_finished(result("a"))
        observer.target_started("b")
        observer.note("b: error; checking again to confirm (1/1)")
        observer.target_started("b")
        observer.target_finished(result("b", error=True))
    lines = out.getvalue().splitlines()
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ "
    assert [re.sub(stamp, "", line) for line in lines] == [
        "checking a", "pass  a (1.2 s)", "checking b", "b: error; checking again to confirm (1/1)",
        "checking b (check 2)", "error b (1.2 s)"]
    assert all(re.match(stamp, line) for line in lines)


def test_a_live_table_on_a_terminal_with_every_target_and_its_state():
    out = io.StringIO()
    clock = Clock()
    console = Console(file=out, force_terminal=True, width=100, color_system=None)
    observer = ProgressObserver(console, ["https://x.example/?token=SECRET-TOKEN-1", "b", "c"], clock=clock)
    assert observer.live_mode
    with observer:
        observer.target_started("b")
        clock.now += 2.5
        table = Console(file=io.StringIO(), width=100, color_system=None)
        table.print(observer._table())
        text = table.file.getvalue()
        assert re.search(r"b\s+running\s+2\.5", text) and re.search(r"c\s+waiting", text)
        observer.target_finished(result("b"))
    final = out.getvalue()
    assert re.search(r"b\s+pass\s+1\.2", final)
    assert "SECRET-TOKEN-1" not in final and "token=REDACTED" in final
