"""The portal check: findings, the JSON section, and accuracy on the labelled corpus."""

import json
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from preflight.checks import CHECKS, CheckConfig, portal
from preflight.config.settings import PortalSettings, Settings
from preflight.model.report import Severity
from preflight.model.sections import PortalSection
from preflight.model.serialize import to_jsonable
from preflight.model.snapshot import PageSnapshot

from ..factories import default_allowlist
from ..portal_pages import box, button, form, frame, link, login_page, page, password

CONFIG = CheckConfig(allowlist=default_allowlist())
CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
LABELS = tomllib.loads((CORPUS / "labels.toml").read_text(encoding="utf-8"))

PROVIDER_TEXT = "Health Care Professionals\nCheck patient eligibility and benefits, submit claims and precertifications."
MEMBER_TEXT = "Log in to myCigna\nSee your benefits, claims and ID card. Find a doctor in your health plan's network."


def codes(result):
    return {f.code: f.severity for f in result.findings}


def provider_login(url="https://cignaforhcp.cigna.com/", **kw):
    return login_page("Health Care Professionals", title="Log In | Cigna for Health Care Professionals",
                      text=PROVIDER_TEXT, url=url, **kw)


def member_login(url="https://my.cigna.com/"):
    return login_page("Log in to myCigna", title="myCigna - Log In", user_label="Email", user_type="email",
                      text=MEMBER_TEXT, url=url)


# --------------------------------------------------------------------------- findings


def test_registered_under_its_name():
    assert CHECKS["portal"] is portal.check


def test_official_provider_portal_serving_a_provider_login_passes():
    result = portal.check(provider_login(), CONFIG)
    assert codes(result) == {"portal.login_form": Severity.INFO, "portal.username_not_email": Severity.INFO,
                             "portal.role": Severity.PASS}
    assert result.data.role == "provider" and result.data.login_form == "password"


def test_json_section_has_the_documented_keys():
    data = portal.check(provider_login(), CONFIG).data
    assert isinstance(data, PortalSection)
    assert data.username_kind == "username" and 0 <= data.confidence <= 1
    shown = to_jsonable(data)
    assert {"role", "confidence", "login_form", "username_kind", "fields", "recovery_links", "evidence"} <= set(shown)
    # A field's empty attributes stay out of JSON, as they always have
    assert shown["fields"][0] == {"kind": "username", "label": "User ID", "type": "text"}
    json.dumps(shown)  # plain JSON


def test_provider_host_serving_a_member_login_fails():
    # Given the official provider host shows a member login
    result = portal.check(member_login(url="https://cignaforhcp.cigna.com/"), CONFIG)
    # Then the roles do not match, and the finding says which is which
    finding = next(f for f in result.findings if f.code == "portal.role_mismatch")
    assert finding.severity is Severity.FAIL
    assert (finding.evidence["expected"], finding.evidence["role"], finding.evidence["source"]) == \
        ("provider", "member", "the allowlist")


def test_member_host_serving_a_provider_login_fails():
    assert codes(portal.check(provider_login(url="https://my.cigna.com/"), CONFIG))["portal.role_mismatch"] is Severity.FAIL


def test_expect_role_covers_hosts_not_on_the_list():
    config = CheckConfig(allowlist=default_allowlist(), expect_role="provider")
    unlisted = "https://portal.example-health.com/login"
    assert codes(portal.check(member_login(url=unlisted), config))["portal.role_mismatch"] is Severity.FAIL
    assert codes(portal.check(provider_login(url=unlisted), config))["portal.role"] is Severity.PASS


def test_expect_role_against_a_listed_host_of_another_role_fails():
    config = CheckConfig(allowlist=default_allowlist(), expect_role="provider")
    finding = next(f for f in portal.check(member_login(), config).findings if f.code == "portal.role_mismatch")
    assert finding.evidence["source"] == "--expect" and "myCigna" in finding.message


def test_without_expectation_the_role_is_information():
    result = portal.check(member_login(url="https://portal.example-health.com/"), CONFIG)
    assert codes(result)["portal.role"] is Severity.INFO
    assert "member" in next(f.message for f in result.findings if f.code == "portal.role")


def test_unsure_mismatch_is_a_warning():
    # Given a page whose member evidence is thin next to its provider evidence
    text = "Sign in\nMembers: see your benefits and your ID card.\nVerify eligibility."
    weak = login_page("Sign in", title="Acme Health", text=text, url="https://cignaforhcp.cigna.com/")
    result = portal.check(weak, CONFIG)
    assert result.data.role == "member" and result.data.confidence < 0.5
    assert codes(result)["portal.role_uncertain"] is Severity.WARN


def test_unknown_role_on_a_listed_host_is_information():
    shop = login_page("Sign in", title="Sign in | BrightCart", text="Sign in to track orders.",
                      url="https://cignaforhcp.cigna.com/")
    result = portal.check(shop, CONFIG)
    assert result.data.role == "unknown"
    assert codes(result)["portal.role"] is Severity.INFO
    assert "role_mismatch" not in " ".join(codes(result))


def test_no_login_form_warns_and_says_why():
    reset = page(frame(url="https://cignaforhcp.cigna.com/recover", title="Forgot password", headings=["Reset your password"],
                       forms=[form("Reset your password")], inputs=[box("User ID")], buttons=[button("Send reset link")]))
    result = portal.check(reset, CONFIG)
    finding = next(f for f in result.findings if f.code == "portal.no_login_form")
    assert finding.severity is Severity.WARN and "password reset" in finding.message
    assert result.data.login_form == "none" and result.data.role == "unknown"


def test_maintenance_page_says_so():
    down = page(frame(title="Scheduled maintenance", headings=["We'll be back soon"]))
    finding = next(f for f in portal.check(down, CONFIG).findings if f.code == "portal.no_login_form")
    assert finding.evidence["maintenance"] is True and "maintenance" in finding.message


def provider_landing(login_href):
    text = ("Resources for physicians and facilities: prior authorization lists, claims and billing guidelines, "
            "credentialing. Log in to check eligibility and claim status for your patients.")
    return page(frame(url="https://www.cigna.com/health-care-providers/", title="Health Care Providers | Cigna",
                      headings=["Health Care Providers"], text=text,
                      links=[link("Log in to CignaforHCP", login_href, region="main"),
                             link("Forgot your password?", "https://cignaforhcp.cigna.com/forgot", region="main")]))


def test_a_landing_page_gets_its_audience_and_says_where_its_login_is():
    # Given a provider landing page of the payer whose button leads to the official provider portal
    result = portal.check(provider_landing("https://cignaforhcp.cigna.com/app/login"), CONFIG)
    # Then it reads as provider without a login form, and names the official login host
    assert (result.data.role, result.data.login_form) == ("provider", "none")
    finding = next(f for f in result.findings if f.code == "portal.login_elsewhere")
    assert finding.severity is Severity.INFO
    assert (finding.evidence["host"], finding.evidence["verdict"]) == ("cignaforhcp.cigna.com", "official")
    assert "Cigna CignaforHCP" in finding.message and "'Log in to CignaforHCP'" in finding.message
    entry = to_jsonable(result.data)["login_elsewhere"]
    assert entry == [{"text": "Log in to CignaforHCP", "href": "https://cignaforhcp.cigna.com/app/login",
                      "host": "cignaforhcp.cigna.com", "verdict": "official", "portal": "Cigna CignaforHCP"}]


def test_a_login_link_to_a_lookalike_or_unrelated_host_is_reported():
    lookalike = portal.check(provider_landing("https://cignaforhcp-login.com/app"), CONFIG)
    finding = next(f for f in lookalike.findings if f.code == "portal.login_elsewhere")
    assert finding.severity is Severity.FAIL and finding.evidence["verdict"] == "lookalike"
    assert "LOOKALIKE" in finding.message
    unrelated = portal.check(provider_landing("https://portal.example-widgets.net/app"), CONFIG)
    finding = next(f for f in unrelated.findings if f.code == "portal.login_elsewhere")
    assert finding.severity is Severity.WARN and "NOT on the allowlist" in finding.message


def test_a_maintenance_page_quotes_its_phone_number_and_time_window():
    text = ("The Provider Portal is undergoing scheduled maintenance\nThe portal will be unavailable from "
            "Saturday 10:00 p.m. to Sunday 6:00 a.m. ET. To check eligibility in the meantime, call Provider "
            "Services at 1-800-555-0142.")
    down = page(frame(url="https://cignaforhcp.cigna.com/maintenance", title="Scheduled maintenance",
                      headings=["The Provider Portal is undergoing scheduled maintenance"], text=text))
    result = portal.check(down, CONFIG)
    finding = next(f for f in result.findings if f.code == "portal.maintenance")
    assert finding.evidence["phones"] == ["1-800-555-0142"]
    assert finding.evidence["windows"] == ["The portal will be unavailable from Saturday 10:00 p.m. to Sunday 6:00 a.m. ET."]
    assert result.data.maintenance is not None and result.data.maintenance.phones == ("1-800-555-0142",)
    assert result.data.role == "provider"
    # A page with a login form gets neither finding
    assert not {"portal.maintenance", "portal.login_elsewhere"} & set(codes(portal.check(provider_login(), CONFIG)))


def test_email_login_has_no_username_finding():
    assert "portal.username_not_email" not in codes(portal.check(member_login(), CONFIG))


def test_login_in_a_frame_from_an_unrelated_host_warns():
    outer = frame(url="https://cignaforhcp.cigna.com/", title="Cigna for Health Care Professionals",
                  headings=["Health Care Professionals"], text=PROVIDER_TEXT)
    inner = frame(url="https://login.example-widgets.net/w", cross_origin=True, forms=[form("Log in")],
                  inputs=[box("User ID"), password()], buttons=[button("Log in")])
    assert codes(portal.check(page(outer, inner), CONFIG))["portal.login_frame_offsite"] is Severity.WARN
    same_org = frame(url="https://login.cigna.com/w", cross_origin=True, forms=[form("Log in")],
                     inputs=[box("User ID"), password()], buttons=[button("Log in")])
    assert codes(portal.check(page(outer, same_org), CONFIG))["portal.login_in_frame"] is Severity.INFO


def test_a_vocabulary_override_from_the_settings(tmp_path):
    extra = tmp_path / "words.toml"
    # Words of a made-up language, so that the packaged vocabulary can never know them
    extra.write_text('[role.provider]\nstrong = ["zelvaroni"]\n[health]\nstrong = ["kuratosa"]\n')
    snapshot = login_page("Zelvaroni", title="Kuratosa Acme | Zelvaroni", text="Zelvaroni de la kuratosa")
    assert portal.check(snapshot, CONFIG).data.role == "unknown"
    config = CheckConfig(allowlist=default_allowlist(), settings=Settings(portal=PortalSettings(vocabulary=str(extra))))
    config = CheckConfig.build(config.allowlist, config.settings)
    assert portal.check(snapshot, config).data.role == "provider"


# --------------------------------------------------------------------------- corpus


def corpus_snapshot(page_key: str) -> PageSnapshot:
    path = CORPUS / "snapshots" / (page_key.replace("/", "__").removesuffix(".html") + ".json")
    return PageSnapshot.from_dict(json.loads(path.read_text(encoding="utf-8")))


def accuracy_report(rows):
    """``rows``: (expected, got) -> (overall accuracy, per-class lines)."""
    total, right = Counter(), Counter()
    for expected, got in rows:
        total[expected] += 1
        right[expected] += expected == got
    lines = [f"  {label:<17} {right[label]:>3}/{total[label]:<3} {right[label] / total[label]:6.1%}"
             for label in sorted(total)]
    return sum(right.values()) / sum(total.values()), lines


@pytest.fixture(scope="module")
def corpus_results():
    return {key: portal.check(corpus_snapshot(key), CONFIG) for key in LABELS}


def test_corpus_is_complete():
    stored = {p.name for p in (CORPUS / "snapshots").glob("*.json")}
    expected = {key.replace("/", "__").removesuffix(".html") + ".json" for key in LABELS}
    assert stored == expected, "run fixtures/corpus/make_snapshots.py"
    assert len(LABELS) >= 60
    roles = Counter(label["role"] for label in LABELS.values())
    kinds = Counter(label["login_form"] for label in LABELS.values())
    assert set(roles) == {"provider", "member", "employer", "broker", "unknown"}
    assert set(kinds) == {"password", "identifier-first", "password-only", "sso", "none"}


def test_corpus_accuracy(corpus_results):
    role_rows = [(LABELS[key]["role"], result.data.role) for key, result in corpus_results.items()]
    form_rows = [(LABELS[key]["login_form"], result.data.login_form) for key, result in corpus_results.items()]
    role_accuracy, role_lines = accuracy_report(role_rows)
    form_accuracy, form_lines = accuracy_report(form_rows)
    misses = [f"  {key}: role {r.data.role} (want {LABELS[key]['role']}), form {r.data.login_form} "
              f"(want {LABELS[key]['login_form']})" for key, r in corpus_results.items()
              if (r.data.role, r.data.login_form) != (LABELS[key]["role"], LABELS[key]["login_form"])]
    report = "\n".join([f"role accuracy {role_accuracy:.1%}", *role_lines,
                        f"login-form accuracy {form_accuracy:.1%}", *form_lines, "misses:", *misses])
    print("\n" + report)
    assert role_accuracy >= 0.97, report
    assert form_accuracy >= 0.98, report


def test_corpus_login_detection_precision_and_recall(corpus_results):
    # "Is there a login at all?" as a help desk asks it: a found login of the wrong kind still counts.
    pairs = [(LABELS[key]["login_form"] != "none", result.data.login_form != "none")
             for key, result in corpus_results.items()]
    true_positive = sum(want and got for want, got in pairs)
    precision = true_positive / max(1, sum(got for _, got in pairs))
    recall = true_positive / max(1, sum(want for want, _ in pairs))
    assert precision >= 0.98 and recall >= 0.98, (precision, recall)


def test_pages_without_a_login_keep_their_own_audience(corpus_results):
    leaning = {key: label["page_role"] for key, label in LABELS.items() if "page_role" in label}
    assert leaning
    for key, audience in leaning.items():
        scores = corpus_results[key].data.scores
        assert max(scores, key=scores.get) == audience, key


def test_every_corpus_result_is_plain_json_and_never_an_error(corpus_results):
    for key, result in corpus_results.items():
        assert result.error is None, key
        json.dumps(to_jsonable(result.data))
        assert all(f.code.startswith("portal.") for f in result.findings)
