"""What every check receives, and helpers for building results."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

from ..config import Allowlist
from ..models import CheckResult, Finding, PageSnapshot, Severity

if TYPE_CHECKING:  # pragma: no cover
    from ..vocabulary import Vocabulary


@dataclass(frozen=True)
class CheckConfig:
    """Everything a check may depend on besides the snapshot. Frozen and plain."""

    allowlist: Allowlist
    expect_role: str | None = None
    """``--expect provider|member|employer``: the user's intent for hosts not on the list."""
    settings: Mapping[str, Any] = field(default_factory=dict)
    """Thresholds from ``preflight.toml`` / options, keyed ``"<check>.<name>"``."""
    now: float | None = None
    """Local Unix time of the run (tests pin it)."""

    def setting(self, key: str, default: Any) -> Any:
        return self.settings.get(key, default)


Check = Callable[[PageSnapshot, CheckConfig], CheckResult]


class FindingList:
    """Collects findings for one check so each call site stays one line."""

    def __init__(self, check: str) -> None:
        self.check = check
        self.items: list[Finding] = []

    def add(self, code: str, severity: Severity, message: str, **evidence: Any) -> None:
        self.items.append(Finding(self.check, f"{self.check}.{code}", severity, message, evidence))

    def result(self, data: Mapping[str, Any] | None = None) -> CheckResult:
        return CheckResult(self.check, tuple(self.items), data)


SETTING_VOCABULARY = "portal.vocabulary"
"""Check setting: path of a vocabulary override file (``[portal] vocabulary`` in preflight.toml)."""


def vocabulary(config: CheckConfig) -> "Vocabulary":
    """The vocabulary for this run: packaged, plus ``[portal] vocabulary`` from preflight.toml.

    One resolution for every check, so they all read the same words (and share one cache entry).
    """
    from ..vocabulary import load_vocabulary

    override = config.setting(SETTING_VOCABULARY, None)
    return load_vocabulary(str(Path(override).resolve()) if override else None)
