"""Corpus pages whose login only a real browser can show: a cross-origin iframe, open shadow roots
(nested ones too) and forms rendered late by script. Captured live, then judged like stored ones.

The pages are served by the corpus' own loopback server under their real-looking host names
(fixtures/corpus/corpus_site.py), as make_snapshots.py does.
"""

from __future__ import annotations

import asyncio
import importlib.util
import time
from pathlib import Path

import pytest

from preflight.capture import browser as browser_mod
from preflight.capture.visit import CaptureOptions, capture
from preflight.checks.portal.loginform import find_login_form
from preflight.checks.portal.roles import classify_role
from preflight.checks.portal.vocabulary import load_vocabulary
from preflight.errors import BrowserNotFound

pytestmark = pytest.mark.browser

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
OPTIONS = CaptureOptions(timeout_s=15.0, settle_s=2.0)

# page -> (login form, role, what only a browser gets right)
LIVE = {
    "provider.humanis.com/login/index.html": ("password", "provider", "cross-origin iframe"),
    "provider.bcbsridge.com/index.html": ("password", "provider", "shadow root"),
    "account.humanis.com/signin/index.html": ("password", "member", "nested shadow roots"),
    "apps.availence.com/availence/web/public.login.html": ("password", "provider", "late, formless"),
    "providerportal.ambercarehealth.com/index.html": ("identifier-first", "provider", "late"),
}


def _corpus_site():
    spec = importlib.util.spec_from_file_location("corpus_site", CORPUS / "corpus_site.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_login_forms_in_frames_shadow_roots_and_late_pages_are_seen_live():
    try:
        choice = browser_mod.find_browser()
    except BrowserNotFound as exc:
        pytest.skip(str(exc))
    from playwright.async_api import async_playwright

    site = _corpus_site()
    vocab = load_vocabulary()
    started = time.monotonic()
    with site.serve_corpus() as port:
        async with async_playwright() as playwright:
            browser = await browser_mod.launch(playwright, browser_mod.LaunchOptions(choice, extra_args=site.browser_args(port)))
            try:
                snapshots = await asyncio.gather(*(capture(browser, site.page_url(p), OPTIONS) for p in LIVE))
            finally:
                await browser.close()
    for (page_key, (kind, role, why)), snapshot in zip(LIVE.items(), snapshots):
        login = find_login_form(snapshot, vocab)
        verdict = classify_role(snapshot, login, vocab)
        assert (login.kind, verdict.role) == (kind, role), f"{page_key} ({why}): {login.reasons} {verdict.evidence}"
        if why == "cross-origin iframe":
            assert login.frame_index > 0 and login.cross_origin
        if "shadow" in why:
            assert login.in_shadow
        assert snapshot.blocked_requests == (), "reading a page must not make it send anything"
    assert time.monotonic() - started < 20


async def test_fields_inside_a_closed_details_element_are_not_visible():
    # A member login open, an employer login folded away in a closed <details>: a person sees one form
    try:
        choice = browser_mod.find_browser()
    except BrowserNotFound as exc:
        pytest.skip(str(exc))
    from playwright.async_api import async_playwright

    site = _corpus_site()
    with site.serve_corpus() as port:
        async with async_playwright() as playwright:
            browser = await browser_mod.launch(playwright, browser_mod.LaunchOptions(choice, extra_args=site.browser_args(port)))
            try:
                snapshot = await capture(browser, site.page_url("iscritti.cassaaurora.it/index.html"), OPTIONS)
            finally:
                await browser.close()
    seen = {i.name: i.visible for frame in snapshot.frames for i in frame.inputs}
    assert seen == {"cf": True, "pw": True, "piva": False, "apw": False}


async def test_a_login_modal_that_opens_after_load_is_captured_open():
    # The fields are in the DOM, hidden, when `load` fires; the capture waits until one can be seen
    try:
        choice = browser_mod.find_browser()
    except BrowserNotFound as exc:
        pytest.skip(str(exc))
    from playwright.async_api import async_playwright

    site = _corpus_site()
    with site.serve_corpus() as port:
        async with async_playwright() as playwright:
            browser = await browser_mod.launch(playwright, browser_mod.LaunchOptions(choice, extra_args=site.browser_args(port)))
            try:
                snapshot = await capture(browser, site.page_url("signin.latemodal-health.example/index.html"), OPTIONS)
            finally:
                await browser.close()
    assert {i.name: i.visible for i in snapshot.frames[0].inputs} == {"u": True, "p": True}
    assert find_login_form(snapshot, load_vocabulary()).kind == "password"
