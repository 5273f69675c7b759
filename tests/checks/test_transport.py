from preflight.checks import CheckConfig
from preflight.checks.submission import check as submission_check
from preflight.checks.transport import check
from preflight.model.report import Severity
from preflight.model.snapshot import BlockedRequest, TlsFacts

from ..factories import default_allowlist, snapshot

CONFIG = CheckConfig(allowlist=default_allowlist(), now=1_800_000_000.0)


def codes(result):
    return {f.code: f.severity for f in result.findings}


def test_healthy_tls_passes():
    assert codes(check(snapshot(), CONFIG)) == {"transport.tls": Severity.PASS}


def test_http_errors_fail():
    assert codes(check(snapshot(status=503), CONFIG))["transport.http_error"] is Severity.FAIL
    assert codes(check(snapshot(status=404), CONFIG))["transport.http_error"] is Severity.FAIL


def test_certificate_expiring_within_14_days_warns():
    tls = TlsFacts("TLS 1.3", "Test CA", "x", 0.0, 1_800_000_000.0 + 5 * 86400)
    result = check(snapshot(tls=tls), CONFIG)
    assert codes(result)["transport.cert_expiring"] is Severity.WARN
    assert next(f for f in result.findings if f.code == "transport.cert_expiring").evidence["days_to_expiry"] == 5.0


def test_old_tls_fails_and_missing_hsts_is_noted():
    tls = TlsFacts("TLS 1.0", "Test CA", "x", 0.0, 4_000_000_000.0)
    found = codes(check(snapshot(tls=tls, response_headers={}), CONFIG))
    assert found["transport.old_tls"] is Severity.FAIL
    assert found["transport.no_hsts"] is Severity.INFO


def test_blocked_submissions_are_reported():
    blocked = (BlockedRequest("POST", "https://cignaforhcp.cigna.com/login", "form-submit", "page"),)
    result = submission_check(snapshot(blocked_requests=blocked), CONFIG)
    assert codes(result) == {"submission.blocked": Severity.WARN}
    assert result.findings[0].evidence["attempts"][0]["reason"] == "form-submit"
    assert codes(submission_check(snapshot(), CONFIG)) == {"submission.none": Severity.PASS}


def test_telemetry_without_field_values_is_only_information():
    blocked = (BlockedRequest("POST", "https://analytics.example.com/collect", "beacon", "page"),
               BlockedRequest("POST", "https://cignaforhcp.cigna.com/log", "non-get-method", "network"))
    assert codes(submission_check(snapshot(blocked_requests=blocked), CONFIG)) == {
        "submission.telemetry_blocked": Severity.INFO}
    carrying = (BlockedRequest("POST", "https://analytics.example.com/collect", "beacon", "page", True),)
    assert codes(submission_check(snapshot(blocked_requests=carrying), CONFIG)) == {"submission.blocked": Severity.WARN}
