"""The baseline check on stored facts, no browser: each difference, its code, and the noise controls."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from preflight.checks import baseline as check_module
from preflight.checks.baseline import clone_matches, compare, ignored
from preflight.config.settings import BaselineSettings, parse_settings
from preflight.errors import ConfigError
from preflight.model.baseline import BaselineField, change_counts
from preflight.model.report import RunReport, TargetResult
from preflight.model.serialize import to_jsonable
from preflight.model.snapshot import FrameFacts, InputFacts, ScriptFacts
from preflight.rules.integrity import script_key, stable_path, visual_distance, visual_hash, without_query
from preflight.runner import run_checks
from tests.factories import CIGNA_HCP

from .builders import CERT, PASSWORD, REMEMBER, SCRIPTS, USER, VISUAL, cigna, entry, login_page, with_baseline
from .test_corpus import corpus_snapshots


def kinds(saved, now, **settings) -> list[tuple[str, str]]:
    found = compare(saved, now, BaselineSettings(**settings)).changes
    return sorted((c.code, c.severity.value) for c in found)


def test_the_same_facts_compare_clean_and_the_check_says_unchanged() -> None:
    saved = entry()
    assert compare(saved, entry()).changes == ()
    result = check_module.check(login_page(), with_baseline(saved))
    assert [(f.code, f.severity.value) for f in result.findings] == [("baseline.unchanged", "pass")]
    assert result.data.status == "compared" and result.data.counts == {} and result.data.visual_distance == 0.0


def test_role_changed_fails() -> None:
    saved = entry()
    assert kinds(saved, replace(saved, role="member", role_confidence=0.9)) == [("role_changed", "fail")]
    assert kinds(saved, replace(saved, role="member", role_confidence=0.3)) == [("role_changed", "warn")]
    assert kinds(saved, replace(saved, role="unknown", role_confidence=1.0)) == [("role_changed", "warn")]


def test_a_script_from_a_new_origin_fails_in_the_login_page_and_warns_elsewhere() -> None:
    saved = entry()
    skimmer = ScriptFacts(frame_url=CIGNA_HCP, url="https://cdn.skim.example/s.js", sha256="3" * 64)
    assert kinds(saved, entry(login_page(scripts=(*SCRIPTS, skimmer)))) == [("new_script_origin", "fail")]
    widget = FrameFacts(url="https://chat.example.net/widget")  # a frame without login fields
    elsewhere = replace(skimmer, frame_url="https://chat.example.net/widget")
    now = entry(login_page(scripts=(*SCRIPTS, elsewhere), extra_frames=(widget,)))
    assert kinds(saved, now) == [("new_script_origin", "warn")]


def test_script_content_is_matched_by_origin_and_path_whatever_the_version_token() -> None:
    saved = entry()
    rebuilt = replace(SCRIPTS[0], url=CIGNA_HCP + "assets/app.js?v=4&cb=99", sha256="9" * 64)
    assert kinds(saved, entry(login_page(scripts=(rebuilt, SCRIPTS[1])))) == [("script_changed", "warn")]
    same = replace(SCRIPTS[0], url=CIGNA_HCP + "assets/app.js?v=5")
    assert kinds(saved, entry(login_page(scripts=(same, SCRIPTS[1])))) == []
    assert stable_path("/static/js/main.3f2a1c9b.js") == stable_path("/static/js/main.77d0e1aa.js")
    assert stable_path("/lib/jquery-3.7.1.min.js") == "/lib/jquery-*.min.js"
    assert stable_path("/assets/login.js") == "/assets/login.js"
    assert script_key("https://cdn.example.com/x/1.2.3/a.js", "https://portal.example.com") == \
        "https://cdn.example.com/x/*/a.js"
    assert script_key("https://portal.example.com:443/a.js", "https://portal.example.com") == "self/a.js"


def test_inline_scripts_sri_and_removed_scripts() -> None:
    saved = entry()
    inline = replace(SCRIPTS[1], sha256="8" * 64)
    assert kinds(saved, entry(login_page(scripts=(SCRIPTS[0], inline)))) == [("script_changed", "warn")]
    assert kinds(saved, entry(login_page(scripts=(SCRIPTS[0],)))) == [("script_removed", "info")]
    with_sri = entry(login_page(scripts=(replace(SCRIPTS[0], integrity=True), SCRIPTS[1])))
    assert kinds(with_sri, saved) == [("script_changed", "warn")]
    # a visit without digests compares no scripts, icon, certificate or screenshot
    assert [c.code for c in compare(saved, entry(login_page(digests=False)), digests=False).changes] == []


def test_form_action_moved_fails_and_names_both_targets() -> None:
    saved = entry()
    (change,) = compare(saved, entry(login_page(action="https://collect.example.net/login"))).changes
    assert (change.code, change.severity.value, change.subject) == ("form_action_changed", "fail",
                                                                   "collect.example.net/login")
    assert change.evidence["before"] == ["cignaforhcp.cigna.com/login"]


@pytest.mark.parametrize(("label", "name", "severity"), [
    ("Social Security number", "ssn", "fail"),
    ("Card number", "cardnumber", "fail"),
    ("Date of birth", "dob", "fail"),
    ("Group number", "group", "warn"),
])
def test_a_new_field_warns_and_fails_when_it_asks_for_card_ssn_or_birth_date(label, name, severity) -> None:
    extra = InputFacts(type="text", name=name, id=name, label=label, form_index=0, region="form")
    now = entry(login_page(inputs=(USER, PASSWORD, extra)))
    assert kinds(entry(), now) == [("fields_changed", severity)]


def test_a_removed_field_or_another_form_kind_warns() -> None:
    saved = entry()
    assert kinds(saved, replace(saved, fields=saved.fields[:1], login_form="identifier-first")) == [
        ("fields_changed", "warn")]


def test_frames_hosts_recovery_and_hsts() -> None:
    saved = entry()
    moved = replace(saved, login_frame_origins=("https://signin.example.net",))
    assert kinds(saved, moved) == [("login_frame_origin_changed", "fail")]
    assert kinds(moved, saved) == [("login_frame_origin_changed", "fail")]  # back into the page itself
    assert kinds(saved, replace(saved, host_chain=("cignaforhcp.com", "cignaforhcp.cigna.com"))) == [
        ("host_chain_changed", "warn")]
    assert kinds(saved, replace(saved, recovery_hosts=("reset.example.net",))) == [("recovery_changed", "warn")]
    assert kinds(saved, replace(saved, hsts=None)) == [("hsts_changed", "warn")]
    assert kinds(saved, replace(saved, hsts="max-age=60")) == [("hsts_changed", "info")]


def test_certificate_changes_are_one_code_each() -> None:
    saved = entry()
    cert = saved.certificate
    assert kinds(saved, replace(saved, certificate=replace(cert, issuer="CN=Other CA", spki_sha256="x"))) == [
        ("cert_new_issuer", "warn")]
    assert kinds(saved, replace(saved, certificate=replace(cert, spki_sha256="x", not_after=1.9e9))) == [
        ("cert_new_key", "info")]
    assert kinds(saved, replace(saved, certificate=replace(cert, not_after=1.9e9))) == [("cert_renewed", "info")]
    assert kinds(saved, replace(saved, certificate=replace(cert, san=(*cert.san, "new.example.com")))) == [
        ("cert_renewed", "info")]


def test_visual_change_by_distance_and_not_when_the_fields_explain_it() -> None:
    saved = entry()
    flipped = f"{int(VISUAL, 16) ^ int('f' * 8 + '0' * 56, 16):064x}"  # 32 of 256 bits: 0.125
    assert visual_distance(VISUAL, flipped) == 0.125
    assert kinds(saved, replace(saved, visual_hash=flipped)) == [("visual_change", "info")]
    assert kinds(saved, replace(saved, visual_hash=flipped), visual_warn=0.1, visual_info=0.05) == [
        ("visual_change", "warn")]
    assert kinds(saved, replace(saved, visual_hash=flipped), visual_info=0.2) == []
    extra = (*saved.fields, BaselineField("grp", "text", "", "Group number", "group-id"))
    assert kinds(saved, replace(saved, visual_hash=flipped, fields=extra)) == [("fields_changed", "warn")]
    assert kinds(saved, replace(saved, favicon_sha256="e" * 64)) == [("favicon_changed", "info")]


def test_ignore_patterns_match_codes_or_what_changed() -> None:
    saved = entry()
    tagged = ScriptFacts(frame_url=CIGNA_HCP, url="https://cignaforhcp.cigna.com/tag/t.js", sha256="4" * 64)
    now = login_page(scripts=(*SCRIPTS, tagged), cert=replace(CERT, not_after=1.9e9))
    config = with_baseline(saved, ignore=("https://cignaforhcp.cigna.com/tag/*", "baseline.cert_*"))
    result = check_module.check(now, config)
    assert [(f.code, f.evidence["ignored"]) for f in result.findings] == [("baseline.unchanged", 2)]
    assert [(c.code, c.ignored) for c in result.data.changes] == [("baseline.script_changed", True),
                                                                 ("baseline.cert_renewed", True)]
    assert result.data.counts == {}
    change = compare(saved, entry(now)).changes[0]
    assert ignored(change, ["https://*/tag/*"]) and not ignored(change, ["baseline.fields_*"])


def test_a_target_missing_from_the_baseline_is_reported_not_fatal() -> None:
    config = with_baseline(entry(login_page("https://cignaforhcp.com/")))
    result = check_module.check(login_page(), config)
    assert [(f.code, f.severity.value) for f in result.findings] == [("baseline.not_baselined", "warn")]
    assert result.data.status == "not_baselined"
    # a page off the allowlist is not "to be added": said, as info
    other = check_module.check(login_page("https://cigna-verify.example.net/"), config)
    assert [(f.code, f.severity.value) for f in other.findings] == [("baseline.not_baselined", "info")]
    # and without --baseline the check says nothing at all
    assert check_module.check(login_page(), cigna()).findings == ()


def test_counts_per_kind_for_metrics() -> None:
    saved = entry()
    skim = ScriptFacts(frame_url=CIGNA_HCP, url="https://a.example/s.js")
    moved = login_page(action="https://collect.example.net/login",
                       scripts=(*SCRIPTS, skim, replace(skim, url="https://b.example/s.js")))
    config = with_baseline(saved)
    results = [TargetResult(CIGNA_HCP, page, run_checks(page, config)) for page in (moved, login_page())]
    assert change_counts(RunReport(tuple(results))) == {"form_action_changed": 1, "new_script_origin": 2}


def test_the_baseline_entry_keeps_no_query_value_and_no_field_value() -> None:
    prefilled = replace(USER, has_value=True)
    page = login_page("https://cignaforhcp.cigna.com/?token=SENTINEL-Q1",
                      scripts=(replace(SCRIPTS[0], url=CIGNA_HCP + "app.js?session=SENTINEL-Q2"),),
                      inputs=(prefilled, PASSWORD), requested_url="https://cignaforhcp.cigna.com/?token=SENTINEL-Q1")
    text = json.dumps(to_jsonable(entry(page)))
    assert "SENTINEL" not in text
    assert without_query("https://u:p@h.example:8443/a/b?x=1#f") == "https://h.example:8443/a/b"


def test_baseline_settings_are_typed_and_validated() -> None:
    settings = parse_settings('[baseline]\nignore = ["baseline.visual_change", "https://cdn.example.com/*"]\n'
                              "visual_info = 0.1\nvisual_warn = 0.3\n")
    assert settings.baseline.ignore == ("baseline.visual_change", "https://cdn.example.com/*")
    assert settings.baseline.visual_info == 0.1
    with pytest.raises(ConfigError, match="baseline.ignore must be a list"):
        parse_settings('[baseline]\nignore = "baseline.*"\n')
    with pytest.raises(ConfigError, match="visual_info"):
        parse_settings("[baseline]\nvisual_info = 0.5\nvisual_warn = 0.2\n")
    with pytest.raises(ConfigError, match="unknown key baseline.ignored"):
        parse_settings("[baseline]\nignored = []\n")


def test_visual_hash_of_real_images() -> None:
    from io import BytesIO

    from PIL import Image, ImageDraw

    def png(box: tuple[int, int, int, int], colour: str = "#0b5cab") -> bytes:
        image = Image.new("RGB", (1280, 720), "white")
        ImageDraw.Draw(image).rectangle(box, fill=colour)
        out = BytesIO()
        image.save(out, "PNG")
        return out.getvalue()

    card = png((440, 120, 840, 600))
    assert visual_distance(visual_hash(card), visual_hash(card)) == 0.0
    # a card two pixels off is below the reporting threshold; a different layout is well above it
    nudged = visual_distance(visual_hash(card), visual_hash(png((442, 121, 842, 601))))
    moved = visual_distance(visual_hash(card), visual_hash(png((0, 0, 400, 200), "#aa2222")))
    assert nudged < BaselineSettings().visual_info < BaselineSettings().visual_warn < moved


def test_clone_detection_is_quiet_on_the_corpus() -> None:
    # 232 labelled pages on hosts off the allowlist (invented payers, ordinary sites): none is a
    # copy of the Cigna login, so none may be called one. They carry no digests: this measures
    # the form-structure signal alone. Two of them share the bare "User ID" + "Password" pair
    # exactly: a pair is what every login has, so it takes three shared fields.
    pages = corpus_snapshots()
    for saved in (entry(), entry(login_page(inputs=(USER, PASSWORD, REMEMBER)))):
        clones = [p.requested_url for p in pages if clone_matches(p, with_baseline(saved))]
        assert len(pages) >= 200 and clones == []


def test_a_copy_without_digests_is_caught_by_its_form() -> None:
    saved = entry()
    saved = entry(login_page(inputs=(USER, PASSWORD, REMEMBER)))
    copy = login_page("https://cigna-provider-verify.example.net/", inputs=(USER, PASSWORD, REMEMBER), digests=False)
    (match,) = clone_matches(copy, with_baseline(saved))
    assert clone_matches(login_page("https://other.example.net/", digests=False), with_baseline(entry())) == []
    assert match.form_similarity == 1.0 and not match.favicon_match and match.visual_distance is None
