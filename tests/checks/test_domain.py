from preflight.checks import CheckConfig
from preflight.checks.domain import check
from preflight.models import Severity

from ..factories import default_allowlist, snapshot


def codes(result):
    return {f.code: f.severity for f in result.findings}


CONFIG = CheckConfig(allowlist=default_allowlist())


def test_official_provider_portal_passes():
    # Given a visit that landed on the official CignaforHCP host
    result = check(snapshot("https://cignaforhcp.cigna.com/"), CONFIG)
    # Then the domain check passes and names the portal
    assert codes(result) == {"domain.official": Severity.PASS}
    assert "CignaforHCP" in result.findings[0].message


def test_redirect_through_official_hosts_passes():
    result = check(snapshot("https://cignaforhcp.cigna.com/", hops=("https://cignaforhcp.com/",)), CONFIG)
    assert codes(result) == {"domain.official": Severity.PASS}
    assert [h["host"] for h in result.findings[0].evidence["hosts"]] == ["cignaforhcp.com", "cignaforhcp.cigna.com"]


def test_off_list_final_host_fails():
    result = check(snapshot("https://cignaforhcp-cigna.com/login"), CONFIG)
    assert codes(result)["domain.not_allowlisted"] is Severity.FAIL
    assert "domain.official" not in codes(result)


def test_off_list_redirect_hop_fails_even_when_landing_on_official():
    result = check(snapshot("https://cignaforhcp.cigna.com/", hops=("https://track.example.net/r",)), CONFIG)
    finding = next(f for f in result.findings if f.code == "domain.not_allowlisted")
    assert finding.severity is Severity.FAIL
    assert finding.evidence["where"] == "redirect hop 1"


def test_script_navigation_to_off_list_host_fails():
    result = check(snapshot("https://cignaforhcp.cigna.com/", navigations=("https://evil.example/",)), CONFIG)
    assert codes(result)["domain.not_allowlisted"] is Severity.FAIL


def test_same_registrable_domain_is_a_warning():
    result = check(snapshot("https://www.cigna.com/"), CONFIG)
    assert codes(result) == {"domain.same_organization": Severity.WARN}


def test_plain_http_fails_except_on_loopback():
    assert codes(check(snapshot("http://cignaforhcp.cigna.com/"), CONFIG))["domain.not_https"] is Severity.FAIL
    loopback = codes(check(snapshot("http://127.0.0.1:8080/"), CONFIG))
    assert loopback["domain.insecure_loopback"] is Severity.WARN
    assert "domain.not_https" not in loopback
