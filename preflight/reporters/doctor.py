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


_HTML_STYLE = """
:root { --pass:#1a7f37; --warn:#9a6700; --fail:#cf222e; --not_run:#57606a; --error:#8250df; --line:#d0d7de;
  --soft:#f6f8fa; --ink:#1f2328; --muted:#59636e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink); }
main { max-width: 1100px; margin: 0 auto; padding: 0 20px 40px; }
header { border-bottom: 1px solid var(--line); padding: 20px 0 14px; }
h1 { margin: 0; font-size: 24px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
h2 { font-size: 17px; margin: 24px 0 6px; }
.meta { color: var(--muted); font-size: 13px; margin: 6px 0 0; }
.badge { display: inline-block; border-radius: 6px; padding: 1px 10px; color: #fff; font-weight: 700;
  font-size: .8em; text-transform: uppercase; letter-spacing: .04em; white-space: nowrap; }
.pass { background: var(--pass); } .warn { background: var(--warn); } .fail { background: var(--fail); }
.not_run { background: var(--not_run); } .error { background: var(--error); }
table { width: 100%; border-collapse: collapse; }
td { border-top: 1px solid var(--line); padding: 7px 8px; vertical-align: top; }
td.status { width: 110px; } td.what { width: 230px; font-weight: 600; }
.id { display: block; font: 12px ui-monospace, Menlo, Consolas, monospace; color: var(--muted); font-weight: 400; }
.fix { margin-top: 4px; padding: 4px 8px; background: var(--soft); border-left: 4px solid var(--line); }
.owner { font-weight: 700; }
ol li { margin: 4px 0; }
"""
_HTML_MARK = {"pass": "✓ pass", "warn": "⚠ warn", "fail": "✗ fail", "not_run": "○ not run"}


def render_html(report: DoctorReport) -> str:
    """One self-contained page (no script, nothing fetched), every word from the JSON document."""
    from html import escape

    document = json.loads(render_json(report))
    rows: list[str] = []
    area = ""
    for check in document["checks"]:
        prefix = check["id"].split(".", 1)[0]
        if prefix != area:
            area = prefix
            rows.append(f'<tr><td colspan="3"><h2>{escape(AREAS.get(prefix, prefix))}</h2></td></tr>')
        evidence = check["evidence"]
        if check["status"] == "not_run" and check.get("reason"):
            rest = evidence.removeprefix("not run: ")
            evidence = rest if rest.startswith(check["reason"]) else f"{check['reason']} — {rest}"
        fix = ""
        if check["fix"] and check["status"] != "pass":
            fix = (f'<div class="fix"><span class="owner">{escape(OWNER[Owner(check["owner"])])}:</span> '
                   f'{escape(check["fix"])}</div>')
        rows.append(f'<tr id="{escape(check["id"])}"><td class="status"><span class="badge {escape(check["status"])}">'
                    f'{escape(_HTML_MARK[check["status"]])}</span></td><td class="what">'
                    f'{escape(TITLES.get(check["id"], check["id"]))}<span class="id">{escape(check["id"])}</span></td>'
                    f'<td>{escape(evidence)}{fix}</td></tr>')
    steps = "".join(f"<li>{escape(step)}</li>" for step in document["next_steps"])
    role = f" for {escape(document['role'])}" if document.get("role") else ""
    counts = {s.value: sum(1 for c in document["checks"] if c["status"] == s.value) for s in CheckStatus}
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>preflight doctor: {escape(document['verdict'])}</title><style>{_HTML_STYLE}</style></head><body><main>"
        f'<header><h1>Is this workstation ready to sign in? <span class="badge {escape(document["verdict"])}">'
        f'{escape(document["verdict"])}</span></h1><p class="meta">{escape(report.machine)} · portal '
        f'{escape(report.portal_url)} · {counts["pass"]} passed, {counts["warn"]} warnings, {counts["fail"]} failed, '
        f'{counts["not_run"]} not run · {document["elapsed_s"]:.1f} s</p></header>'
        f"<table>{''.join(rows)}</table><h2>Next steps{role}</h2><ol>{steps}</ol></main></body></html>\n"
    )
