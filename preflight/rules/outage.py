"""Outage or account? The help desk's first question, answered from one target's result (pure).

``outage``       the portal could not be reached (DNS, connection, timeout) or answered 5xx:
                 system-wide, nothing the user can fix
``maintenance``  the page says the portal is down on purpose (``portal.maintenance``)
``untrusted``    the address fails the domain check: the user is not at the official portal
``healthy``      a login page was found and nothing fails: a failing sign-in is the account's
``unknown``      none of the above can be told
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from preflight.model.report import Severity, TargetResult, Verdict

DiagnosisKind = Literal["outage", "maintenance", "healthy", "untrusted", "unknown"]

OUTAGE_ERRORS = frozenset({"target.unreachable", "target.dns", "target.timeout"})
"""Target errors that mean the portal is down or unreachable, for everyone on this network."""

ACCOUNT_ADVICE = ("a failing sign-in is specific to the account: check role, username vs email, verification, "
                  "lockout, reset through the official link")


def diagnose(result: TargetResult) -> tuple[DiagnosisKind, str]:
    """``(kind, one sentence for the help desk)`` for one target."""
    codes = {f.code for f in result.findings}
    if any(f.check == "domain" and f.severity is Severity.FAIL for f in result.findings):
        return "untrusted", ("Do not sign in here: the page is not the official portal, or sends the password "
                             "elsewhere (see the domain findings); use the portal's official address.")
    error = result.error
    if error is not None and error.code in OUTAGE_ERRORS:
        what = {"target.dns": "its name does not resolve", "target.timeout": "it did not answer in time"}
        return "outage", (f"The portal is unreachable ({what.get(error.code, 'the connection failed')}): "
                          "an outage or a network problem, nothing the user's account can fix.")
    status = result.snapshot.http_status if result.snapshot is not None else None
    if status is not None and status >= 500:
        return "outage", (f"The portal answers with a server error (HTTP {status}): an outage for everyone, "
                          "nothing the user's account can fix.")
    if "portal.maintenance" in codes:
        return "maintenance", ("The portal says it is down for maintenance: wait for the window to end "
                               "(or call the number the page gives); the account is not the problem.")
    portal = result.section("portal")
    if portal is not None and portal.login_form != "none" and result.verdict in (Verdict.PASS, Verdict.WARN):
        state = "is up (mind its warnings)" if result.verdict is Verdict.WARN else "is up and passes"
        return "healthy", f"The login page {state}: {ACCOUNT_ADVICE}."
    return "unknown", "Could not tell an outage from an account problem: read the findings below."


def run_summary(results: Sequence[TargetResult]) -> str:
    """The help desk's answer for a whole run, in one line: a single target's sentence, or how many
    targets are of each kind, naming those that are not healthy."""
    if not results:
        return "No target was checked."
    if len(results) == 1:
        return diagnose(results[0])[1]
    named: dict[str, list[str]] = {}
    for result in results:
        named.setdefault(diagnose(result)[0], []).append(result.label)
    parts = []
    for kind in ("outage", "maintenance", "untrusted", "unknown", "healthy"):
        labels = named.get(kind)
        if not labels:
            continue
        shown = "" if kind == "healthy" else " (" + ", ".join(labels[:4]) + (", …" if len(labels) > 4 else "") + ")"
        parts.append(f"{len(labels)} {KIND_WORDS[kind]}{shown}")
    tail = (" — for the healthy ones, " + ACCOUNT_ADVICE) if "healthy" in named else ""
    return "; ".join(parts) + tail + "."


KIND_WORDS = {"outage": "down or unreachable (an outage: no account can fix it)",
              "maintenance": "down for maintenance", "untrusted": "not the official portal (do not sign in)",
              "unknown": "unclear (read the findings)", "healthy": "healthy login page(s)"}
