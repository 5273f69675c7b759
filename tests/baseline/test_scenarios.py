"""Every kind of login-page change, played against a real Chromium, yields exactly its code.

One browser session (``scenarios.play``): a baseline of the untouched login, each scenario of
``fixtures/baseline/scenarios.toml``, the untouched login 20 more times, and two copies of it on
unlisted hosts.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from preflight.checks import baseline, domain
from preflight.checks.baseline import compare, facts_of
from preflight.model.baseline import SCHEMA_BASELINE, BaselineDocument
from preflight.runner import run_checks

from .scenarios import CLONES, OFFICIAL, UNCHANGED_RUNS, Played, codes, config, play, scenarios

pytestmark = pytest.mark.browser

SCENARIOS = {s.name: s for s in scenarios()}


@pytest.fixture(scope="module")
async def played(tmp_path_factory) -> Played:
    return await play(tmp_path_factory.mktemp("baseline"))


@pytest.fixture(scope="module")
def saved(played: Played):
    plain = config()
    entries = tuple(facts_of(snapshot, plain) for snapshot in played.baseline.values())
    document = BaselineDocument(schema=SCHEMA_BASELINE, created_at=1.0, tool="test", targets=entries)
    return replace(plain, baseline=document)


def test_the_baseline_holds_the_login_facts(played: Played, saved) -> None:
    entry = saved.baseline.entry_for(played.url("/login/"))
    assert entry.login_form == "password" and entry.role == "provider"
    assert [(f.name, f.kind) for f in entry.fields] == [("userid", "username"), ("password", "password"),
                                                        ("remember", "remember-me")]
    assert [(a.host, a.path, a.same_origin) for a in entry.form_actions] == [(OFFICIAL, "/session", True)]
    external = [s for s in entry.scripts if not s.inline]
    assert [(s.key, s.url, s.login_frame, s.sri) for s in external] == [
        ("self/assets/app.js", f"https://{OFFICIAL}/assets/app.js", True, False)]
    assert len([s for s in entry.scripts if s.inline]) == 1 and all(len(s.sha256) == 64 for s in entry.scripts)
    assert entry.certificate is not None and "BrightCare Test Issuing CA" in entry.certificate.issuer
    assert OFFICIAL in entry.certificate.san
    assert entry.hsts == "max-age=31536000; includeSubDomains"
    assert entry.favicon_sha256 and len(entry.visual_hash) == 64
    assert entry.host_chain == (OFFICIAL,) and entry.recovery_hosts == (OFFICIAL,)
    framed = saved.baseline.entry_for(played.url("/framed/"))
    assert framed.login_frame_origins == ("https://login.brightcarehealth.com",)
    assert framed.identity_hosts == ("login.brightcarehealth.com",)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_each_scenario_yields_exactly_its_code(played: Played, saved, name: str) -> None:
    scenario = SCENARIOS[name]
    snapshot = played.scenarios[name]
    result = baseline.check(snapshot, saved)
    assert codes(result.findings) == [(scenario.expect, scenario.severity)], [f.message for f in result.findings]
    # and through the whole registry (as `check --baseline` runs it): no other baseline code
    everything = [f for r in run_checks(snapshot, saved) for f in r.findings]
    assert codes(everything) == [(scenario.expect, scenario.severity)]
    assert result.data is not None and result.data.status == "compared"
    expected_counts = {} if scenario.expect == "baseline.unchanged" else {scenario.expect.split(".", 1)[1]: 1}
    assert dict(result.data.counts) == expected_counts


def test_scenario_findings_name_what_changed(played: Played, saved) -> None:
    def finding(name: str):
        (found,) = [f for f in baseline.check(played.scenarios[name], saved).findings]
        return found

    assert finding("form-action-moved").evidence["after"] == "collect.brightcare-billing.net/session"
    skimmer = finding("skimmer-script-added")
    assert skimmer.evidence["url"] == "https://cdn.skim-metrics.net/s.js" and skimmer.evidence["login_frame"]
    changed = finding("script-content-changed")
    assert changed.evidence["url"] == f"https://{OFFICIAL}/assets/app.js" and "app.js" in changed.message
    assert finding("new-field-date-of-birth").evidence["sensitive"] == ["date-of-birth"]
    assert finding("login-frame-moved").evidence["after"] == ["https://signin.brightcare-cdn.net"]
    assert finding("visual-change").evidence["distance"] >= 0.25
    assert "Other Trust Services CA" in finding("cert-new-issuer").message


def test_an_unchanged_page_compares_clean_20_times_out_of_20(played: Played, saved) -> None:
    assert len(played.unchanged) == UNCHANGED_RUNS
    outcomes = [codes(baseline.check(snapshot, saved).findings) for snapshot in played.unchanged]
    clean = sum(outcome == [("baseline.unchanged", "pass")] for outcome in outcomes)
    assert clean == UNCHANGED_RUNS, [o for o in outcomes if o != [("baseline.unchanged", "pass")]]
    distances = [baseline.check(s, saved).data.visual_distance for s in played.unchanged]
    assert max(distances) == 0.0


def test_a_baseline_taken_twice_is_the_same_baseline(played: Played, saved) -> None:
    plain = config()
    first, second = facts_of(played.baseline["/login/"], plain), facts_of(played.second, plain)
    assert compare(first, second).changes == ()
    assert replace(first, saved_at=0) == replace(second, saved_at=0)


@pytest.mark.parametrize("host", CLONES)
def test_a_copy_on_an_unlisted_host_is_a_clone(played: Played, saved, host: str) -> None:
    result = domain.check(played.clones[host], saved)
    (clone,) = [f for f in result.findings if f.code == "domain.clone_of"]
    assert clone.severity.value == "fail"
    assert clone.evidence["official"] == played.url("/login/") and clone.evidence["host"] == host
    assert clone.evidence["portal"] == "BrightCare Health BrightCare for Providers"
    assert clone.evidence["form_similarity"] == 1.0 and clone.evidence["visual_distance"] <= 0.1
    assert clone.evidence["favicon_match"] is (host == "secure-account-verify.com")
    # without the baseline, the stripped copy is only "not allowlisted": the baseline is what names it
    plain = [f.code for f in domain.check(played.clones[host], config()).findings]
    assert "domain.clone_of" not in plain


def test_the_official_login_is_not_its_own_clone(played: Played, saved) -> None:
    assert "domain.clone_of" not in [f.code for f in domain.check(played.baseline["/login/"], saved).findings]


def test_every_visit_took_every_digest_within_its_visit(played: Played) -> None:
    # (what they cost is bench/bench_baseline.py's figure: timing asserts fail on a loaded machine)
    for snapshot in played.unchanged:
        facts = snapshot.integrity
        assert facts is not None and facts.visual_hash and facts.favicon_sha256 and facts.certificate is not None
        assert len(facts.scripts) == 2 and all(s.sha256 for s in facts.scripts)
        assert 0 < facts.elapsed_s < snapshot.timings["total_s"]
