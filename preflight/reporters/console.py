"""Human report for a terminal (Rich). Returns text; the CLI decides where it goes."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from preflight.model.report import RunReport, Severity, TargetResult, Verdict
from preflight.rules.outage import diagnose, run_summary
from preflight.rules.skew import describe_offset

_STYLE = {Severity.FAIL: "bold red", Severity.WARN: "yellow", Severity.PASS: "green", Severity.INFO: "dim"}
_VERDICT = {Verdict.FAIL: "bold red", Verdict.ERROR: "bold magenta", Verdict.WARN: "yellow", Verdict.PASS: "bold green"}
_MARK = {Severity.FAIL: "✗", Severity.WARN: "!", Severity.PASS: "✓", Severity.INFO: "·"}


def render(report: RunReport, color: bool = False, width: int = 100, verbose: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width, highlight=False)
    console.print(f"[bold]Outage or account?[/] {escape(run_summary(report.results))}")
    for result in report.results:
        _target(console, result, verbose)
    verdict = report.verdict
    console.print(f"[{_VERDICT[verdict]}]{verdict.value.upper()}[/] — {len(report.results)} target(s) in "
                  f"{report.elapsed_s:.1f} s · allowlist: {escape(report.allowlist_path)} · browser: {escape(report.browser)}")
    return buffer.getvalue()


def _target(console: Console, result: TargetResult, verbose: bool) -> None:
    verdict = result.verdict
    title = f"{escape(result.name)} [dim]{escape(result.target)}[/]" if result.name else escape(result.target)
    console.rule(f"[{_VERDICT[verdict]}]{verdict.value.upper()}[/] {title}", align="left")
    if result.rechecks:
        earlier = ", ".join(r.verdict.value for r in result.rechecks)
        outcome = ("confirmed" if verdict.value in ("fail", "error")
                   else f"not confirmed: {result.unconfirmed_failures} flaky check(s)")
        console.print(f"  checked {1 + len(result.rechecks)} times ({earlier}, then {verdict.value}): {outcome}")
    if result.evidence:
        console.print(f"  evidence: {escape(str(Path(result.evidence[0]).parent))}/ "
                      f"({', '.join(Path(p).name for p in result.evidence)})")
    console.print(f"  outage or account: [bold]{diagnose(result)[0]}[/]")
    snapshot = result.snapshot
    if snapshot is not None and snapshot.final_url and snapshot.final_url != result.target:
        console.print(f"  landed on {escape(snapshot.final_url)}"
                      + (f" (HTTP {snapshot.http_status})" if snapshot.http_status else ""))
    portal = result.section("portal")
    if portal is not None:
        evidence = "; ".join(portal.evidence[:3])
        console.print(f"  login: [bold]{escape(portal.role)}[/] "
                      f"({portal.confidence:.0%}), form {escape(portal.login_form)}"
                      + (f" — {escape(evidence)}" if evidence else ""))
    clock = result.section("clock")
    if clock is not None and clock.skew_seconds is not None:
        uncertainty = clock.uncertainty_seconds or 0.0  # set whenever the skew is
        console.print(f"  clock: {describe_offset(clock.skew_seconds, uncertainty)} (this computer minus the portal)")
    table = Table.grid(padding=(0, 1))
    table.add_column(width=2)
    table.add_column()
    for finding in sorted(result.findings, key=lambda f: -f.severity.rank):
        if finding.severity is Severity.INFO and not verbose:
            continue
        table.add_row(f"[{_STYLE[finding.severity]}]{_MARK[finding.severity]}[/]",
                      f"{escape(finding.message)} [dim]({finding.code})[/]")
    console.print(table)
