"""``preflight doctor``: is this workstation ready to sign in to the provider portal, and what
exactly to do next.

- ``system.py``: the one OS boundary (commands, files, folders, registry, names, platform), real
  and recorded.
- one module per area: ``browsers``, ``readiness`` (launch, JavaScript, cookies, policies,
  profile cookies), ``timecheck`` (sync, zone, skew, one-time codes), ``names`` (DNS, hosts file),
  ``proxy``, ``tls`` (inspection), ``portal`` (the guarded check, summarised).
- ``steps.py``: the closing checklist per ``--role``; ``run.py``: every probe at once, each capped.

Reporters (console checklist, JSON ``preflight/doctor@1``, ``--ticket``) are ``reporters/doctor.py``.
"""

from __future__ import annotations

import asyncio

from preflight.doctor.run import DoctorOptions, Probes, run_doctor_async
from preflight.doctor.system import RealSystem, RecordedSystem, System
from preflight.model.doctor import DoctorReport


def run_doctor(options: DoctorOptions, system: System | None = None, probes: Probes | None = None) -> DoctorReport:
    return asyncio.run(run_doctor_async(options, system or RealSystem(), probes or Probes()))


__all__ = ["DoctorOptions", "DoctorReport", "Probes", "RealSystem", "RecordedSystem", "System", "run_doctor",
           "run_doctor_async"]
