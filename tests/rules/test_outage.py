"""Outage or account? One kind and one sentence per target, from its result alone."""

from __future__ import annotations

from dataclasses import replace

import pytest

from preflight.checks import CheckConfig
from preflight.model.report import TargetError, TargetResult
from preflight.rules.outage import ACCOUNT_ADVICE, diagnose
from preflight.runner import run_checks
from tests.factories import default_allowlist, snapshot
from tests.portal_pages import frame, login_page, page

CONFIG = CheckConfig(default_allowlist())
HCP = "https://cignaforhcp.cigna.com/"


def judged(snap):
    return TargetResult(snap.requested_url, snap, run_checks(snap, CONFIG))


def provider_login(url: str = HCP):
    snap = login_page("Cigna for Health Care Professionals", title="Log In | Cigna for Health Care Professionals",
                      url=url)
    main = snap.frames[0]
    own_action = replace(main.forms[0], action=url + "login")
    return replace(snap, frames=(replace(main, forms=(own_action,)),))


def test_a_healthy_login_page_points_at_the_account():
    result = judged(provider_login())
    assert result.verdict.value == "pass"
    kind, sentence = diagnose(result)
    assert kind == "healthy"
    assert ACCOUNT_ADVICE in sentence and "username vs email" in sentence


def test_a_lookalike_is_untrusted_even_with_a_login_form():
    kind, sentence = diagnose(judged(provider_login("https://cignaforhcp-cigna.com/")))
    assert kind == "untrusted" and "Do not sign in" in sentence


@pytest.mark.parametrize("code", ["target.unreachable", "target.dns", "target.timeout"])
def test_unreachable_targets_are_an_outage(code):
    kind, sentence = diagnose(TargetResult(HCP, None, (), TargetError(code, "no answer")))
    assert kind == "outage" and "nothing the user's account can fix" in sentence


def test_a_server_error_is_an_outage():
    kind, sentence = diagnose(judged(snapshot(HCP, status=503)))
    assert (kind, "HTTP 503" in sentence) == ("outage", True)


def test_a_maintenance_page_is_maintenance():
    down = page(frame(url=HCP + "maintenance", title="Scheduled maintenance",
                      headings=["The Provider Portal is undergoing scheduled maintenance"],
                      text="The Provider Portal is undergoing scheduled maintenance"))
    assert diagnose(judged(down))[0] == "maintenance"


def test_a_page_without_login_that_is_not_down_is_unknown():
    result = judged(snapshot(HCP))
    assert diagnose(result)[0] == "unknown"
    # and a TLS error is not called an outage: it can be this network's interception
    assert diagnose(TargetResult(HCP, None, (), TargetError("target.tls", "bad certificate")))[0] == "unknown"



def test_run_summary_counts_kinds_and_names_what_is_not_healthy():
    from preflight.model.report import TargetError, TargetResult
    from preflight.rules.outage import run_summary

    down = TargetResult("https://a.example/", None, (), TargetError("target.dns", "no such host"), name="a")
    other = TargetResult("https://b.example/", None, (), TargetError("target.timeout", "slow"), name="b")
    assert run_summary([down]).startswith("The portal is unreachable (its name does not resolve)")
    assert run_summary([down, other]).startswith("2 down or unreachable (an outage: no account can fix it) (a, b)")
    assert run_summary([]) == "No target was checked."
