"""What the checks concluded: findings, check results, target results, the run."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, overload

from preflight.model.sections import ClockSection, CookiesSection, PortalSection, Section
from preflight.model.snapshot import PageSnapshot
from preflight.status import ExitStatus

SCHEMA_RUN = "preflight/run@1"


class Severity(enum.Enum):
    """How much a finding matters. Ordered: ``info < pass < warn < fail``."""

    INFO = "info"
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.PASS: 1, Severity.WARN: 2, Severity.FAIL: 3}


class Verdict(enum.Enum):
    """The answer for one target or a whole run. ``error``: the check could not run."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"


@dataclass(frozen=True)
class Finding:
    """One judgement a help-desk person can act on. ``code`` is a stable contract."""

    check: str
    code: str
    severity: Severity
    message: str
    evidence: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckResult:
    """What one check concluded for one target.

    ``error`` is set when the check itself crashed (a bug or missing data), which is different
    from a check that ran and found a problem.
    """

    check: str
    findings: tuple[Finding, ...] = ()
    data: Section | None = None
    """The section this check fills in JSON (``portal``, ``clock``, ``cookies``), if any."""
    error: str | None = None


@dataclass(frozen=True)
class TargetError:
    """Why a target could not be checked (exit code 3 territory)."""

    code: str
    """``target.unreachable``, ``target.timeout``, ``target.tls``, ``browser.crashed`` ..."""
    message: str


@dataclass(frozen=True)
class TargetResult:
    target: str
    snapshot: PageSnapshot | None
    checks: tuple[CheckResult, ...] = ()
    error: TargetError | None = None
    attempts: int = 1
    """Visits of this check (retries of transient network errors included)."""
    elapsed_s: float = 0.0
    name: str = ""
    """The ``[[target]]`` name; empty for a URL given on the command line."""
    tags: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    """``--evidence``: the files kept for this check (screenshot, HAR, trace), redacted."""
    rechecks: tuple[TargetResult, ...] = ()
    """``--confirm``: the earlier checks of this target that failed or errored, oldest first; this
    result is the last one, and its verdict is the run's."""

    @property
    def label(self) -> str:
        """What reports and metrics call the target: its name, else its (redacted) URL."""
        return self.name or self.target

    @property
    def unconfirmed_failures(self) -> int:
        """Earlier checks that failed or errored while this last one did not: flakes, not verdicts."""
        if self.verdict in (Verdict.FAIL, Verdict.ERROR):
            return 0
        return sum(1 for r in self.rechecks if r.verdict in (Verdict.FAIL, Verdict.ERROR))

    @property
    def findings(self) -> tuple[Finding, ...]:
        found: list[Finding] = []
        if self.error is not None:
            found.append(Finding("target", self.error.code, Severity.FAIL, self.error.message))
        for result in self.checks:
            found.extend(result.findings)
            if result.error is not None:
                found.append(
                    Finding(result.check, f"{result.check}.error", Severity.FAIL,
                            f"The {result.check} check crashed (a bug in preflight): {result.error}")
                )
        return tuple(found)

    @property
    def crashed_checks(self) -> tuple[str, ...]:
        """Checks that crashed on this target (a bug): its verdict cannot be trusted."""
        return tuple(result.check for result in self.checks if result.error is not None)

    @property
    def verdict(self) -> Verdict:
        if self.error is not None and self.error.code in ERROR_CODES_COULD_NOT_RUN:
            return Verdict.ERROR
        if self.crashed_checks:
            return Verdict.ERROR
        worst = max((f.severity.rank for f in self.findings), default=Severity.PASS.rank)
        if worst >= Severity.FAIL.rank:
            return Verdict.FAIL
        if worst >= Severity.WARN.rank:
            return Verdict.WARN
        return Verdict.PASS

    @overload
    def section(self, name: Literal["portal"]) -> PortalSection | None: ...
    @overload
    def section(self, name: Literal["clock"]) -> ClockSection | None: ...
    @overload
    def section(self, name: Literal["cookies"]) -> CookiesSection | None: ...
    @overload
    def section(self, name: str) -> Section | None: ...

    def section(self, name: str) -> Section | None:
        """The section check ``name`` filled in, if it ran and has one."""
        for result in self.checks:
            if result.check == name:
                return result.data
        return None


ERROR_CODES_COULD_NOT_RUN = frozenset(
    {"target.unreachable", "target.timeout", "target.dns", "browser.crashed", "target.aborted", "target.blocked",
     "target.crashed", "target.unreadable",
     "browser.endpoint_unreachable"}
)
"""Target errors that mean "could not run" (verdict ``error``, exit 3), not "found a problem"."""


@dataclass(frozen=True)
class RunReport:
    results: tuple[TargetResult, ...]
    allowlist_path: str = ""
    browser: str = ""
    started_at: float = 0.0
    elapsed_s: float = 0.0

    @property
    def verdict(self) -> Verdict:
        verdicts = {r.verdict for r in self.results}
        for v in (Verdict.FAIL, Verdict.ERROR, Verdict.WARN):
            if v in verdicts:
                return v
        return Verdict.PASS

    def exit_code(self, fail_on_warn: bool = False) -> ExitStatus:
        """70 when a check crashed (a bug: no verdict can be trusted); else 1 any fail (or warn with
        ``--fail-on warn``); else 3 could not run; else 0."""
        if any(r.crashed_checks for r in self.results):
            return ExitStatus.BUG
        verdicts = {r.verdict for r in self.results}
        if Verdict.FAIL in verdicts or (fail_on_warn and Verdict.WARN in verdicts):
            return ExitStatus.FAIL
        if Verdict.ERROR in verdicts:
            return ExitStatus.COULD_NOT_RUN
        return ExitStatus.OK
