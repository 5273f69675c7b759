"""``preflight doctor``'s outputs: the console checklist, the JSON document, and the ticket.

The ticket is what a person pastes into a support ticket: short, and redacted like every other
artifact (URLs' secrets, and also this machine's user name and home folder, which paths and
host names carry). Cookies and tokens never reach a ``MachineCheck`` in the first place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, cast

from preflight.model.doctor import CheckStatus, DoctorReport, DoctorTicket, MachineCheck, Owner
from preflight.model.serialize import to_jsonable
from preflight.rules.redact import REDACTED, is_token_like, redact_text

MARK = {CheckStatus.PASS: "✓", CheckStatus.WARN: "⚠", CheckStatus.FAIL: "✗", CheckStatus.NOT_RUN: "○"}
WORD = {CheckStatus.PASS: "pass", CheckStatus.WARN: "warn", CheckStatus.FAIL: "FAIL", CheckStatus.NOT_RUN: "not run"}
OWNER = {Owner.USER: "you", Owner.PRACTICE_IT: "practice IT", Owner.PAYER: "the payer"}
AREAS = {"browsers": "Browser", "time": "Time", "dns": "Name resolution", "network": "Network path",
         "portal": "The portal"}
TITLES = {
    "browsers.installed": "browsers installed", "browsers.up_to_date": "browser up to date",
    "browsers.headless": "browser starts (headless)", "browsers.javascript": "JavaScript works",
    "browsers.cookies": "cookies work", "browsers.third_party_cookies": "third-party cookie setting",
    "browsers.policies": "browser policies", "browsers.profile_cookies": "profile cookies (--profile)",
    "time.sync": "OS keeps the clock in sync", "time.zone": "time zone", "time.skew": "clock vs the portal",
    "time.one_time_codes": "one-time-code risk", "dns.hosts_file": "hosts file", "dns.portal_hosts": "portal hosts resolve",
    "network.proxy": "proxy", "network.tls_inspection": "TLS inspection", "portal.check": "guarded portal check",
}


def render_json(report: DoctorReport) -> str:
    document = cast(dict[str, Any], to_jsonable(report.document()))
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_console(report: DoctorReport) -> str:
    lines = ["preflight doctor: is this workstation ready to sign in?", f"  {report.machine}; portal {report.portal_url}"]
    area = ""
    for check in report.checks:
        prefix = check.id.split(".", 1)[0]
        if prefix != area:
            area = prefix
            lines += ["", AREAS.get(prefix, prefix)]
        title = TITLES.get(check.id, check.id)
        text = check.evidence
        if check.status is CheckStatus.NOT_RUN and check.reason:
            rest = text.removeprefix("not run: ")
            text = rest if rest.startswith(check.reason) else f"{check.reason} — {rest}"
        lines.append(f"  {MARK[check.status]} {WORD[check.status]:<7} {title:<28} {text}")
        if check.fix and check.status is not CheckStatus.PASS:
            lines.append(f"      fix ({OWNER[check.owner]}): {check.fix}")
    counts = {s: sum(1 for c in report.checks if c.status is s) for s in CheckStatus}
    lines += ["", f"verdict: {report.verdict.value} — {counts[CheckStatus.PASS]} passed, {counts[CheckStatus.WARN]} "
              f"warnings, {counts[CheckStatus.FAIL]} failed, {counts[CheckStatus.NOT_RUN]} not run "
              f"({report.elapsed_s:.1f} s)"]
    if report.crashed:
        lines.append(f"internal error in: {', '.join(report.crashed)} (a bug in preflight: rerun with --traceback "
                     "and report it)")
    lines += ["", "Next steps" + (f" for {report.role}" if report.role else "") + ":"]
    lines += [f"  {n}. {step}" for n, step in enumerate(report.next_steps, start=1)]
    return "\n".join(lines) + "\n"


_PAIR = re.compile(r"(?<![\w.-])([A-Za-z][\w.-]*)=([^\s;,'\"&]+)")
_JWT = re.compile(r"eyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*")


def redact_for_ticket(text: str, personal: Iterable[str] = ()) -> str:
    """The URL redaction every artifact gets, plus: this machine's user, home and host names, any
    ``name=value`` whose name says secret (``SESSION=...``, ``token=...``), and JWT-shaped values."""
    for value in personal:
        text = re.sub(re.escape(value), "<redacted>", text, flags=re.I)
    text = redact_text(text)
    text = _PAIR.sub(lambda m: f"{m.group(1)}={REDACTED}" if is_token_like(m.group(1)) else m.group(0), text)
    return _JWT.sub(REDACTED, text)


def render_ticket(ticket: DoctorTicket) -> str:
    report, personal = ticket.report, ticket.personal

    def short(check: MachineCheck | None, width: int = 150) -> str:
        if check is None:
            return "not checked"
        if check.status is CheckStatus.NOT_RUN:
            return f"not run ({check.reason})"
        text = " ".join(check.evidence.split())
        return f"{WORD[check.status]}: {text[:width]}{'…' if len(text) > width else ''}"

    lines = [
        "preflight doctor: workstation summary (redacted)",
        f"machine:   {report.machine}",
        f"browser:   {short(report.check('browsers.headless'))}",
        f"clock:     {short(report.check('time.sync'), 90)}; {short(report.check('time.skew'), 90)}",
        f"network:   {short(report.check('network.proxy'), 90)}; {short(report.check('network.tls_inspection'), 120)}",
        f"portal:    {short(report.check('portal.check'))}",
        f"verdict:   {report.verdict.value}" + (f" (role {report.role})" if report.role else ""),
    ]
    failing = [c for c in report.checks if c.status in (CheckStatus.FAIL, CheckStatus.WARN)]
    if failing:
        lines.append("needs action:")
        lines += [f"  - {c.id} ({WORD[c.status]}, owner {c.owner.value}): {' '.join(c.fix.split())[:200]}"
                  for c in sorted(failing, key=lambda c: c.status is not CheckStatus.FAIL)]
    skipped = [c.id for c in report.checks if c.status is CheckStatus.NOT_RUN]
    if skipped:
        lines.append(f"not run:   {', '.join(skipped)}")
    return "\n".join(redact_for_ticket(line, personal) for line in lines) + "\n"
