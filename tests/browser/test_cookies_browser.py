"""Cookie state against a real Chromium and the mock portal's cookie scenarios (fixtures/cookies).

Each rule the check derives is held against what Chromium actually did with the cookie, and the
last test scans every output of a real run for the values the mock portal set.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import replace
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from preflight.capture import existing_state as profile
from preflight.capture import third_party
from preflight.capture.browser import LaunchOptions, find_browser
from preflight.capture.visit import CaptureOptions, capture
from preflight.checks import cookies
from preflight.checks.base import CheckConfig
from preflight.config.allowlist import load_allowlist
from preflight.config.network import spki_hash
from preflight.model.serialize import to_jsonable
from preflight.rules.hosts import host_of

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures" / "cookies"
STATE_FILE = FIXTURES / "_state" / "storage-state.json"
ALLOWLIST = FIXTURES / "allowlist.toml"
EXAMPLE = CheckConfig(load_allowlist(ALLOWLIST))
PORTAL = "provider.example.com"
OPTIONS = CaptureOptions(timeout_s=15, settle_s=0.8)


def launch_options(mock_portal, portal_mappings) -> LaunchOptions:
    return LaunchOptions(find_browser(), portal_mappings, (spki_hash(mock_portal.cert_path),))


def routed_cookies(host: str, path: str) -> dict[str, str]:
    """name -> value of the ``Set-Cookie`` lines a scenario route sends."""
    routes = tomllib.loads((FIXTURES / host / "_routes.toml").read_text())["route"]
    (route,) = [r for r in routes if r["path"] == path]
    return dict(line.split(";", 1)[0].split("=", 1) for line in route.get("set_cookies", ()))


def secret_values() -> set[str]:
    """Every cookie value the scenarios and the stored state hold (deletions' empty values aside)."""
    values = set()
    for host in (PORTAL, "signin.example.org"):
        for route in tomllib.loads((FIXTURES / host / "_routes.toml").read_text())["route"]:
            values.update(line.split(";", 1)[0].split("=", 1)[1] for line in route.get("set_cookies", ()))
    values.update(c["value"] for c in json.loads(STATE_FILE.read_text())["cookies"])
    return {v for v in values if v}


def jar_names(snapshot) -> set[str]:
    return {c.name for c in snapshot.cookies}


REFUSED = {
    "/oversized": {"prov_blob": "too_large"},
    "/samesite-none-insecure": {"prov_session": "samesite_none_insecure", "prov_tracker": "samesite_none_insecure"},
    "/prefixes": {"__Host-with_domain": "host_prefix", "__Host-deep_path": "host_prefix",
                  "__Host-not_secure": "host_prefix", "__Secure-not_secure": "secure_prefix"},
    "/bad-domain": {"foreign": "domain_mismatch", "whole_tld": "public_suffix_domain"},
    "/expired": {"promo": "expired_on_arrival"},
}


async def test_every_refused_cookie_is_found_with_the_rule_chromium_applied(browser, mock_portal):
    paths = list(REFUSED)
    shots = await asyncio.gather(*(capture(browser, mock_portal.url(PORTAL, p), OPTIONS) for p in paths))
    for path, shot in zip(paths, shots, strict=True):
        result = cookies.check(shot, EXAMPLE)
        found = {r.name: r.reason for r in result.data.rejected}
        # The check names exactly the cookies Chromium left out of its jar, with the rule broken
        assert found == REFUSED[path], path
        sent = routed_cookies(PORTAL, path)
        kept = {name for name, value in sent.items() if value and name not in found}
        assert not set(found) & jar_names(shot) and kept <= jar_names(shot), path
    assert "old_pref" not in json.dumps(to_jsonable(cookies.check(shots[-1], EXAMPLE).data))  # a deletion is no refusal


async def test_go_live_hygiene_scenarios(browser, mock_portal):
    good, big, parent, insecure = await asyncio.gather(*(
        capture(browser, mock_portal.url(PORTAL, p), OPTIONS)
        for p in ("/", "/big-jar", "/parent-domain", "/insecure-session")))
    codes = {name: {f.code for f in cookies.check(shot, EXAMPLE).findings}
             for name, shot in [("good", good), ("big", big), ("parent", parent), ("insecure", insecure)]}
    assert codes["good"] == {"cookies.ok"}
    assert codes["big"] == {"cookies.header_too_large"}
    assert codes["parent"] == {"cookies.shared_across_portals"}
    assert codes["insecure"] == {"cookies.session_not_secure", "cookies.session_not_httponly"}
    data = cookies.check(good, EXAMPLE).data
    assert {c.name: (c.secure, c.http_only, c.same_site) for c in data.set} == {
        "__Host-prov_session": (True, True, "Lax"), "prov_csrf": (True, False, "Strict")}
    assert data.enabled is True and cookies.check(big, EXAMPLE).data.header_bytes[PORTAL] > 8190


async def test_blocking_third_party_cookies_really_blocks_them_in_chromium(playwright, mock_portal, portal_mappings):
    url = mock_portal.url(PORTAL, "/third-party-required")
    async with profile.throwaway_profiles(playwright, launch_options(mock_portal, portal_mappings)) as regular:
        allowed, blocked = await asyncio.gather(
            capture(regular, url, OPTIONS),                                          # a default profile
            capture(regular, url, replace(OPTIONS, block_third_party_cookies=True)))  # the same, blocked
    # A regular profile lets the sign-in frame keep its cookie and draw its form ...
    assert "idp_session" in jar_names(allowed) and sign_in_frame(allowed).has_login_fields
    # ... the DevTools switch takes both away, and first-party cookies stay
    assert "idp_session" not in jar_names(blocked) and not sign_in_frame(blocked).has_login_fields
    assert "prov_flow" in jar_names(blocked)
    # SameSite=Lax from another site's frame is refused even where third-party cookies are allowed
    assert "idp_lax" not in jar_names(allowed)


def sign_in_frame(shot):
    return next(f for f in shot.frames if host_of(f.url) == "signin.example.org")


async def test_login_that_needs_third_party_cookies_is_reported(browser, playwright, mock_portal, portal_mappings):
    launch = launch_options(mock_portal, portal_mappings)

    async def visit(path: str):
        url = mock_portal.url(PORTAL, path)
        shot = await capture(browser, url, OPTIONS)
        probe = await third_party.third_party_probe(playwright, launch, browser, url, OPTIONS)
        return replace(shot, third_party_probe=probe)

    required, optional = await asyncio.gather(visit("/third-party-required"), visit("/third-party-optional"))
    # Measured fact: Playwright's fresh contexts block third-party cookies already, as Incognito does
    assert "idp_session" not in jar_names(required) and not sign_in_frame(required).has_login_fields
    result = cookies.check(required, EXAMPLE)
    codes = {f.code for f in result.findings}
    assert {"cookies.third_party_frame", "cookies.third_party_required", "cookies.samesite_unset"} <= codes
    assert result.data.third_party.required is True
    assert result.data.third_party.cookies_allowed == ("idp_check", "idp_session")
    result = cookies.check(optional, EXAMPLE)
    assert "cookies.third_party_ok" in {f.code for f in result.findings}
    assert result.data.third_party.required is False


async def test_a_stored_state_is_carried_into_the_visit_and_audited(browser, mock_portal):
    state = profile.read_storage_state(STATE_FILE)
    existing = profile.storage_state_cookies(state, str(STATE_FILE))
    options = replace(OPTIONS, storage_state=profile.loadable_state(state), existing_cookies=existing)
    shot = await capture(browser, mock_portal.url(PORTAL, "/"), options)
    result = cookies.check(shot, EXAMPLE)
    codes = {f.code for f in result.findings}
    assert {"cookies.conflicting", "cookies.leftover_session", "cookies.expired_kept",
            "cookies.header_too_large"} <= codes
    assert result.data.existing.leftover_sessions[0].replaced_by_visit is True
    # The header size computed for the stored cookies is the one the browser sent
    (request,) = mock_portal.requests.matching(host=PORTAL, path="/")
    assert result.data.existing.header_bytes[PORTAL] == len("Cookie: " + request["headers"]["cookie"])


async def test_a_profile_is_read_from_a_copy_and_never_changed(browser, playwright, mock_portal, portal_mappings):
    source = FIXTURES / "_profile"
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in source.rglob("*") if p.is_file()}
    copies_before = set(Path(tempfile.gettempdir()).glob("preflight-profile-copy-*"))
    existing, state = await profile.read_profile(playwright, launch_options(mock_portal, portal_mappings),
                                                 profile.locate_profile(source))
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in source.rglob("*") if p.is_file()} == before
    assert set(Path(tempfile.gettempdir()).glob("preflight-profile-copy-*")) == copies_before
    # Chromium decrypts the live cookies; the expired one comes from the stored rows only
    assert {c.name for c in existing.cookies} == {"hcp_session", "pref_lang", "remember_token", "news_visitor"}
    assert "remember_token" not in {c["name"] for c in state["cookies"]} and existing.undecryptable == 0
    shot = await capture(browser, mock_portal.url(PORTAL, "/"),
                         replace(OPTIONS, storage_state=profile.loadable_state(state), existing_cookies=existing))
    result = cookies.check(shot, EXAMPLE)
    assert {c.name for c in result.data.existing.conflicting} == {"hcp_session", "pref_lang"}
    assert [c.name for c in result.data.existing.expired] == ["remember_token"]
    (request,) = mock_portal.requests.matching(host=PORTAL, path="/")
    assert "hcp_session=" in request["headers"]["cookie"]  # the visit carried the profile's cookies
    text = json.dumps([to_jsonable(result.data), [(f.message, f.evidence) for f in result.findings]])
    assert not re.findall(r"PROFILE-SECRET-[\w-]+", text)


def test_no_cookie_value_appears_in_any_output_of_a_run(mock_portal, tmp_path):
    # Given a real run over the cookie scenarios, with a stored state, screenshots and every finding shown
    paths = ["/", "/oversized", "/samesite-none-insecure", "/prefixes", "/big-jar", "/third-party-required"]
    report_file, shots = tmp_path / "report.json", tmp_path / "shots"
    args = [sys.executable, "-m", "preflight", "check", *(mock_portal.url(PORTAL, p) for p in paths),
            "--storage-state", str(STATE_FILE), "--allowlist", str(ALLOWLIST), "--json-file", str(report_file),
            "--screenshot", str(shots), "--trust-cert", str(mock_portal.cert_path), "--timeout", "20",
            "--no-clock", "-v", *(a for m in mock_portal.connect_to_args() for a in ("--connect-to", m))]
    # A short TMPDIR of its own: Chromium's socket paths there must stay under 108 bytes
    with tempfile.TemporaryDirectory(prefix="pfc-") as temp_dir:
        run = subprocess.run(args, capture_output=True, text=True, timeout=120, env=dict(os.environ, TMPDIR=temp_dir))
        left_behind = list(Path(temp_dir).iterdir())
    assert run.returncode == 1, run.stderr  # oversized jars fail
    report = json.loads(report_file.read_text())
    jsonschema.validate(report, json.loads(resources.files("preflight").joinpath("schema/run.schema.json").read_text()))
    # Then every result carries the cookie section ...
    sections = [r["cookies"] for r in report["results"]]
    assert all({"enabled", "set", "rejected", "header_bytes", "third_party", "existing"} <= set(s) for s in sections)
    assert sections[-1]["third_party"]["required"] is True
    # ... and no value the portal or the state set appears anywhere: report, console, log, file names
    outputs = [run.stdout, run.stderr, report_file.read_text()] + [p.name for p in shots.rglob("*")]
    leaked = sorted(v for v in secret_values() if any(v in text for text in outputs))
    assert leaked == []
    assert "MOCK-SECRET" not in "".join(outputs) and "STATE-SECRET" not in "".join(outputs)
    # And the run left no profile copies or throwaway profiles behind
    assert left_behind == []
