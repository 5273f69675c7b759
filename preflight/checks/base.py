"""What every check receives, and helpers for building results."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from preflight.config.allowlist import Allowlist
from preflight.config.settings import Settings
from preflight.model import codes
from preflight.model.baseline import BaselineDocument
from preflight.model.report import CheckResult, Finding, Section, Severity
from preflight.model.snapshot import PageSnapshot
from preflight.rules.lookalike.judge import HostJudge

if TYPE_CHECKING:  # pragma: no cover - the portal package imports this module
    from preflight.checks.portal.vocabulary import Vocabulary


def load_vocabulary(path: str | None = None) -> Vocabulary:
    from preflight.checks.portal.vocabulary import load_vocabulary as load

    return load(path)


@dataclass(frozen=True)
class CheckConfig:
    """Everything a check may depend on besides the snapshot: frozen, plain, built once per run.

    Checks load no files: the vocabulary and the host judge are built here, at the edge
    (``CheckConfig.build``), and handed to every check.
    """

    allowlist: Allowlist
    settings: Settings = field(default_factory=Settings)
    """Thresholds from ``preflight.toml`` (defaults when there is none)."""
    vocabulary: Vocabulary = field(default_factory=load_vocabulary)
    """The portal check's words: packaged, plus ``[portal] vocabulary`` from preflight.toml."""
    judge: HostJudge | None = None
    """The host judge for ``allowlist`` (built from it when not given)."""
    expect_role: str | None = None
    """``--expect provider|member|employer|broker``: the user's intent for hosts not on the list."""
    now: float | None = None
    """Local Unix time of the run (tests pin it)."""
    baseline: BaselineDocument | None = None
    """``check --baseline``: the login-page baseline to compare each visit with."""

    def __post_init__(self) -> None:
        if self.judge is None:
            object.__setattr__(self, "judge", HostJudge.for_allowlist(self.allowlist))

    @classmethod
    def build(cls, allowlist: Allowlist, settings: Settings | None = None, expect_role: str | None = None,
              now: float | None = None, baseline: BaselineDocument | None = None) -> CheckConfig:
        """The tables every check needs (vocabulary, host judge), built once for a run."""
        settings = settings or Settings()
        return cls(allowlist=allowlist, settings=settings, vocabulary=load_vocabulary(settings.portal.vocabulary),
                   expect_role=expect_role, now=now, baseline=baseline)

    @property
    def host_judge(self) -> HostJudge:
        assert self.judge is not None
        return self.judge


Check = Callable[[PageSnapshot, CheckConfig], CheckResult]


class FindingList:
    """Collects findings for one check so each call site stays one line."""

    def __init__(self, check: str) -> None:
        self.check = check
        self.items: list[Finding] = []

    def add(self, code: str, severity: Severity, message: str, **evidence: Any) -> None:
        """One finding; its code and severity must stand in the check's table (``model/codes.py``)."""
        full = f"{self.check}.{code}"
        entry = codes.BY_CODE.get(full)
        if entry is None or severity not in entry.severities:
            raise ValueError(f"{full} ({severity.value}) is not in the finding-code table")
        self.items.append(Finding(self.check, full, severity, message, evidence))

    def result(self, data: Section | None = None) -> CheckResult:
        return CheckResult(self.check, tuple(self.items), data)
