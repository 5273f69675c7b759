"""Output formats, chosen through one enum; every report kind maps each format it has to a reporter.

Reporters return strings; the CLI opens files after the run (``-`` is stdout). Tests check that
every member has a reporter for run reports, and that the CLI renders only through ``render``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from preflight.config.allowlist import Allowlist
from preflight.model.doctor import DoctorReport, DoctorTicket
from preflight.model.policy import PolicyReport
from preflight.model.report import RunReport
from preflight.reporters import allowlist as allowlist_reporter
from preflight.reporters import doctor as doctor_reporter
from preflight.reporters import github, html, json, junit, vet
from preflight.reporters import policy as policy_reporter
from preflight.vet import VetResult


class OutputFormat(enum.Enum):
    CONSOLE = "console"
    JSON = "json"
    JUNIT = "junit"
    HTML = "html"
    """One self-contained page for people, with screenshots."""
    METRICS = "metrics"
    """Prometheus text format (node_exporter's textfile collector)."""
    GITHUB = "github"
    """GitHub Actions workflow commands (annotations)."""
    MARKDOWN = "markdown"
    """A Markdown summary (GitHub's job summary)."""


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    verbose: bool = False


def _metrics(report: RunReport) -> str:
    # prometheus-client is imported only when metrics are asked for.
    from preflight.reporters import metrics

    return metrics.render(report)


def _console_run(report: RunReport, options: RenderOptions) -> str:
    # Rich is imported only when a console report is asked for (``vet --json`` stays light).
    from preflight.reporters import console

    return console.render(report, color=options.color, verbose=options.verbose)


RUN_REPORTERS: Mapping[OutputFormat, Callable[[RunReport, RenderOptions], str]] = {
    OutputFormat.CONSOLE: _console_run,
    OutputFormat.JSON: lambda report, _options: json.render(report),
    OutputFormat.JUNIT: lambda report, _options: junit.render(report),
    OutputFormat.HTML: lambda report, options: html.render(report, verbose=options.verbose),
    OutputFormat.METRICS: lambda report, _options: _metrics(report),
    OutputFormat.GITHUB: lambda report, _options: github.workflow_commands(report),
    OutputFormat.MARKDOWN: lambda report, _options: github.summary(report),
}
VET_REPORTERS: Mapping[OutputFormat, Callable[[Sequence[VetResult], RenderOptions], str]] = {
    OutputFormat.CONSOLE: lambda results, _options: vet.render_text(results),
    OutputFormat.JSON: lambda results, _options: vet.render_json(results),
}
ALLOWLIST_REPORTERS: Mapping[OutputFormat, Callable[[Allowlist, RenderOptions], str]] = {
    OutputFormat.CONSOLE: lambda allowlist, _options: allowlist_reporter.render_text(allowlist),
    OutputFormat.JSON: lambda allowlist, _options: allowlist_reporter.render_json(allowlist),
}
POLICY_REPORTERS: Mapping[OutputFormat, Callable[[PolicyReport, RenderOptions], str]] = {
    OutputFormat.CONSOLE: lambda report, options: policy_reporter.render_text(report, verbose=options.verbose),
    OutputFormat.JSON: lambda report, _options: policy_reporter.render_json(report),
}
DOCTOR_REPORTERS: Mapping[OutputFormat, Callable[[DoctorReport, RenderOptions], str]] = {
    OutputFormat.CONSOLE: lambda report, _options: doctor_reporter.render_console(report),
    OutputFormat.JSON: lambda report, _options: doctor_reporter.render_json(report),
    OutputFormat.HTML: lambda report, _options: doctor_reporter.render_html(report),
}
TICKET_REPORTERS: Mapping[OutputFormat, Callable[[DoctorTicket, RenderOptions], str]] = {
    OutputFormat.CONSOLE: lambda ticket, _options: doctor_reporter.render_ticket(ticket),
}
REPORTERS: Mapping[type, Mapping[OutputFormat, Callable[[Any, RenderOptions], str]]] = {
    RunReport: RUN_REPORTERS,
    tuple: VET_REPORTERS,
    Allowlist: ALLOWLIST_REPORTERS,
    PolicyReport: POLICY_REPORTERS,
    DoctorReport: DOCTOR_REPORTERS,
    DoctorTicket: TICKET_REPORTERS,
}
"""Report kind -> its reporters (vet results travel as a tuple of ``VetResult``)."""


def render(document: RunReport | Allowlist | PolicyReport | DoctorReport | DoctorTicket | Sequence[VetResult],
           output: OutputFormat, options: RenderOptions = RenderOptions()) -> str:
    """The one way the CLI turns a result into text."""
    if isinstance(document, (RunReport, Allowlist, PolicyReport, DoctorReport, DoctorTicket)):
        kind: type = type(document)
    else:
        kind, document = tuple, tuple(document)
    reporters = REPORTERS[kind]
    if output not in reporters:
        raise ValueError(f"no {output.value} output for {kind.__name__}")
    return reporters[output](document, options)
