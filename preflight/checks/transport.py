"""Transport: the HTTP answer, TLS facts (issuer, expiry, version), HSTS."""

from __future__ import annotations

from typing import Any

from preflight.checks.base import CheckConfig, FindingList
from preflight.model.report import CheckResult, Severity
from preflight.model.snapshot import PageSnapshot
from preflight.rules.hosts import host_of

NAME = "transport"
_OLD_TLS = ("TLS 1.0", "TLS 1.1", "SSL 3.0")


def check(snapshot: PageSnapshot, config: CheckConfig) -> CheckResult:
    found = FindingList(NAME)
    status = snapshot.http_status
    if status is not None and status >= 400:
        kind = "server error" if status >= 500 else "client error"
        found.add("http_error", Severity.FAIL,
                  f"The portal answered HTTP {status} ({kind}): the login page is not available.",
                  status=status, url=snapshot.final_url)
    host = host_of(snapshot.final_url)
    if not snapshot.load_complete:
        found.add("incomplete", Severity.WARN,
                  "The page did not finish loading in the time allowed; what it showed so far was checked.",
                  url=snapshot.final_url, timings=dict(snapshot.timings))
    tls = snapshot.tls
    if snapshot.final_url.startswith("https:") and tls is not None:
        now = config.now if config.now is not None else snapshot.captured_at
        evidence: dict[str, Any] = {"host": host, "protocol": tls.protocol, "issuer": tls.issuer}
        if tls.valid_to is not None and now:
            days = (tls.valid_to - now) / 86400
            evidence["days_to_expiry"] = round(days, 1)
            warn_days = config.settings.transport.cert_warn_days
            if days < 0:
                found.add("cert_expired", Severity.FAIL,
                          f"The certificate of {host} has expired: browsers will refuse the portal.", **evidence)
            elif days < warn_days:
                found.add("cert_expiring", Severity.WARN,
                          f"The certificate of {host} expires in {days:.0f} days: tell the portal owner.", **evidence)
        if tls.protocol in _OLD_TLS:
            found.add("old_tls", Severity.FAIL,
                      f"{host} uses {tls.protocol}, which browsers are dropping: logins will start failing.", **evidence)
        hsts = snapshot.response_headers.get("strict-transport-security")
        evidence["hsts"] = hsts
        if not hsts:
            found.add("no_hsts", Severity.INFO,
                      f"{host} sends no Strict-Transport-Security header (HSTS).", **evidence)
        found.add("tls", Severity.PASS,
                  f"{host} uses {tls.protocol or 'TLS'}, " + (f"certificate issued by {tls.issuer}." if tls.issuer
                                                     else "certificate from an issuer the browser shows no name for."), **evidence)
    return found.result()
