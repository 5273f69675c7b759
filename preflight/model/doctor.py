"""``preflight doctor``'s results, typed: one ``MachineCheck`` per item of the help desk's checklist.

``DoctorDocument`` is the ``preflight/doctor@1`` JSON document; ``preflight.model.schema``
generates ``preflight/schema/doctor.schema.json`` from these types and their docstrings.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from preflight.model.serialize import omit_none, schema_keywords

SCHEMA_DOCTOR: Literal["preflight/doctor@1"] = "preflight/doctor@1"


class CheckStatus(enum.Enum):
    """``not_run``: the check could not run here (offline, no such tool, a cap passed); it is never
    counted as passed."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    NOT_RUN = "not_run"


class Owner(enum.Enum):
    """Who can fix it: the person at the computer, the practice's IT, or the payer (the portal's owner)."""

    USER = "user"
    PRACTICE_IT = "practice_it"
    PAYER = "payer"


class DoctorVerdict(enum.Enum):
    """The worst status (``not_run`` counts as nothing); ``error`` when a probe crashed (a bug, exit 70)."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"


@dataclass(frozen=True)
class MachineCheck:
    """One item of the workstation checklist."""

    id: str = field(metadata=schema_keywords(pattern="^[a-z_]+\\.[a-z_]+$"))
    """Stable id (``time.sync``, ``network.tls_inspection``): README's doctor table."""
    status: CheckStatus
    """What it found."""
    owner: Owner
    """Who can fix it when it is not a pass."""
    evidence: str
    """What was seen, in plain words (versions, command output, addresses)."""
    fix: str
    """What to do, in plain words, with the exact command or setting; empty when nothing is to be done."""
    reason: str | None = omit_none()
    """Why it did not run; only with status ``not_run``."""


@dataclass(frozen=True)
class DoctorDocument:
    """A ``preflight doctor`` report (``preflight/doctor@1``)."""

    schema: Literal["preflight/doctor@1"]
    """The document's kind and version."""
    verdict: DoctorVerdict
    """The worst status of the checks."""
    checks: tuple[MachineCheck, ...]
    """Every check, in checklist order; each has a status, ``not_run`` where it could not run."""
    next_steps: tuple[str, ...]
    """The closing checklist for this person, fixes of the failing items first."""
    role: str | None = omit_none()
    """The ``--role`` the next steps were written for."""
    elapsed_s: float = field(default=0.0, metadata=schema_keywords(minimum=0))
    """Seconds the whole run took."""


STATUS_RANK = {CheckStatus.NOT_RUN: 0, CheckStatus.PASS: 1, CheckStatus.WARN: 2, CheckStatus.FAIL: 3}


@dataclass(frozen=True)
class DoctorReport:
    """A whole ``preflight doctor`` run (what the reporters render; ``DoctorDocument`` is its JSON)."""

    checks: tuple[MachineCheck, ...]
    next_steps: tuple[str, ...] = ()
    role: str | None = None
    elapsed_s: float = 0.0
    machine: str = ""
    """``Debian GNU/Linux 12 (bookworm), x86_64``: for the ticket (no host or user name)."""
    portal_url: str = ""
    """The provider portal the network checks were made against (redacted)."""
    crashed: tuple[str, ...] = ()
    """Checks whose probe crashed (a bug in preflight): the run's verdict is ``error``, exit 70."""
    could_not_run: tuple[str, ...] = ()
    """Failed checks that mean "could not run" (no browser, portal unreachable): exit 3 when they are
    the only failures, as ``check`` does."""

    def check(self, check_id: str) -> MachineCheck | None:
        return next((c for c in self.checks if c.id == check_id), None)

    @property
    def verdict(self) -> DoctorVerdict:
        if self.crashed:
            return DoctorVerdict.ERROR
        worst = max((STATUS_RANK[c.status] for c in self.checks), default=1)
        return {3: DoctorVerdict.FAIL, 2: DoctorVerdict.WARN}.get(worst, DoctorVerdict.PASS)

    def exit_code(self) -> int:
        """As for ``check``: 70 a crashed probe; 1 a failed check; 3 when the only failures mean
        "could not run"; else 0 (warnings and checks that did not run do not fail the run)."""
        from preflight.status import ExitStatus

        if self.crashed:
            return ExitStatus.BUG
        failing = {c.id for c in self.checks if c.status is CheckStatus.FAIL}
        if not failing:
            return ExitStatus.OK
        return ExitStatus.COULD_NOT_RUN if failing <= set(self.could_not_run) else ExitStatus.FAIL

    def document(self) -> DoctorDocument:
        return DoctorDocument(schema=SCHEMA_DOCTOR, verdict=self.verdict, checks=self.checks,
                              next_steps=self.next_steps, role=self.role, elapsed_s=self.elapsed_s)


@dataclass(frozen=True)
class DoctorTicket:
    """``doctor --ticket``: the report as a support ticket carries it, with what must not leave."""

    report: DoctorReport
    personal: tuple[str, ...] = ()
    """This machine's user name, home folder and host name: redacted wherever they appear."""

    @classmethod
    def of(cls, report: DoctorReport, environ: Mapping[str, str]) -> DoctorTicket:
        names = ("USER", "USERNAME", "LOGNAME", "HOME", "USERPROFILE", "HOSTNAME", "COMPUTERNAME")
        values = {environ.get(k, "") for k in names}
        # Longest first, so a home folder goes before the user name inside it.
        return cls(report, tuple(sorted((v for v in values if len(v) >= 3 and v not in ("/", "root")),
                                        key=len, reverse=True)))
