"""The closing checklist: the fixes of what failed or warned (by owner), then the steps for this
person's ``--role``, then what works for everyone. The words live in ``preflight/data/doctor.toml``."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

from preflight.config.allowlist import Allowlist
from preflight.config.toml import loads_toml
from preflight.model.doctor import CheckStatus, MachineCheck, Owner

ROLES = ("clinician", "billing", "front-desk", "admin", "facility")
OWNER_LABEL = {Owner.USER: "You", Owner.PRACTICE_IT: "Practice IT", Owner.PAYER: "The payer (portal help desk)"}


@cache
def _steps_data() -> dict[str, Any]:
    text = resources.files("preflight").joinpath("data/doctor.toml").read_text(encoding="utf-8")
    data: dict[str, Any] = loads_toml(text, "preflight/data/doctor.toml")["steps"]
    return data


def role_steps(role: str) -> tuple[str, ...]:
    return tuple(_steps_data()["role"][role]["steps"])


def next_steps(checks: Sequence[MachineCheck], role: str | None, allowlist: Allowlist, portal_url: str,
               portal_name: str) -> tuple[str, ...]:
    steps: list[str] = []
    for status in (CheckStatus.FAIL, CheckStatus.WARN):
        for check in checks:
            if check.status is status and check.fix:
                line = f"{OWNER_LABEL[check.owner]}: {check.fix.rstrip('.')}. ({check.id})"
                if line not in steps:
                    steps.append(line)
    member = next((p.hosts[0] for p in allowlist.portals if p.role == "member" and p.hosts), None)
    values = {"portal": portal_url, "portal_name": portal_name or "the portal",
              "member": member or "the member site"}
    if role is not None:
        steps.extend(s.format(**values) for s in role_steps(role))
    steps.extend(s.format(**values) for s in _steps_data()["common"])
    if role is None:
        steps.append(f"For steps for your work, run doctor again with --role ({'|'.join(ROLES)}).")
    return tuple(steps)
