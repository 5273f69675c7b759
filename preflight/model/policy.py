"""What a browser's own ``chrome://policy`` page says is in force, and what preflight made of it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from preflight.model.report import Finding, Severity

SCHEMA_POLICY: Literal["preflight/policy@1"] = "preflight/policy@1"

BROWSER_TABLE = "chrome"
"""``chrome://policy``'s table of the browser's own policies (others: extensions, precedence)."""


@dataclass(frozen=True)
class PolicyEntry:
    """One row of ``chrome://policy``, as the page shows it."""

    name: str
    value_text: str
    """The value as shown: JSON for lists, dictionaries, numbers and booleans; strings bare."""
    source: str = ""
    """``Platform`` (machine policy: registry, profile, /etc JSON), ``Cloud``, ``Merged`` ..."""
    scope: str = ""
    """``Machine`` or ``Current user``."""
    level: str = ""
    """``Mandatory`` or ``Recommended``."""
    status: str = ""
    """``OK``, ``Error`` ...: whether the browser applies it."""
    errors: str = ""
    warnings: str = ""
    table: str = BROWSER_TABLE

    @property
    def value(self) -> Any:
        """The value as Python data: JSON when it parses as JSON, else the string shown."""
        try:
            return json.loads(self.value_text)
        except ValueError:
            return self.value_text

    @property
    def applied(self) -> bool:
        """Whether the browser applies this value. Measured in Chromium 156: ``OK``; ``Warning,
        Conflict`` for the value that won over another file's (applied, with a warning); ``Error``
        with the reason for an unknown name or a wrong type (not applied)."""
        words = {word.strip().lower() for word in self.status.split(",")}
        return bool(self.status.strip()) and not words & {"error", "ignored"} and not self.errors.strip()


@dataclass(frozen=True)
class PolicyReport:
    """``preflight policy show``: the policies in force in one browser, judged for portal sign-in."""

    browser: str
    allowlist: str
    entries: tuple[PolicyEntry, ...]
    findings: tuple[Finding, ...]

    @property
    def worst(self) -> Severity:
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=Severity.PASS)
