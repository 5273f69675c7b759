"""Building ``MachineCheck`` s: one helper per status, so every check reads the same way."""

from __future__ import annotations

from preflight.model.doctor import CheckStatus, MachineCheck, Owner

NO_NETWORK = "no network"


def passed(check_id: str, evidence: str, owner: Owner = Owner.USER) -> MachineCheck:
    return MachineCheck(check_id, CheckStatus.PASS, owner, evidence, "")


def warned(check_id: str, owner: Owner, evidence: str, fix: str) -> MachineCheck:
    return MachineCheck(check_id, CheckStatus.WARN, owner, evidence, fix)


def failed(check_id: str, owner: Owner, evidence: str, fix: str) -> MachineCheck:
    return MachineCheck(check_id, CheckStatus.FAIL, owner, evidence, fix)


def not_run(check_id: str, owner: Owner, reason: str, evidence: str = "", fix: str = "") -> MachineCheck:
    """A check that could not run here: never shown as passed; ``reason`` in a few words."""
    return MachineCheck(check_id, CheckStatus.NOT_RUN, owner, evidence or f"not run: {reason}", fix, reason)


def plural(count: int, word: str) -> str:
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word[:-1]}ies" if word.endswith("y") else f"{count} {word}s"
