"""The in-memory screenshot and the login form's place on it, against a real Chromium.

Boxes are checked against Playwright's own measurement of the same page (``bounding_box``, which
places elements of frames and shadow roots in the main viewport), so an offset bug in the frame
arithmetic or a box from the wrong frame shows up as a mismatch.
"""

from __future__ import annotations

import asyncio
import struct

import pytest

from preflight.capture import browser as browser_mod
from preflight.capture.visit import HIDE_VALUES, CaptureOptions, capture
from preflight.model.snapshot import Box
from tests.browser.test_corpus_capture import _corpus_site

pytestmark = pytest.mark.browser

OPTIONS = CaptureOptions(timeout_s=15.0, settle_s=2.0, keep_screenshot=True)
PAGES = {
    "provider.humanis.com/login/index.html": "cross-origin iframe",
    "provider.bcbsridge.com/index.html": "shadow root",
    "apps.availence.com/availence/web/public.login.html": "late, formless",
}
FILLED = """<!doctype html><title>Sign in</title><style>body{font:16px sans-serif;margin:40px}
input{display:block;width:320px;height:36px;margin:8px 0;font-size:18px}</style>
<main><h1>Provider sign in</h1><form method="post" action="/session"><label>User ID
<input id="user" name="user" autocomplete="username" VALUE></label><label>Password
<input type="password" name="pw" PASS></label><button>Log in</button></form></main>"""


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


async def password_box(page) -> Box:
    """The visible password field, measured by Playwright in whichever frame shows it first."""
    waits = {asyncio.ensure_future(frame.locator("input[type=password]:visible").first.wait_for(timeout=10_000)): frame
             for frame in page.frames}
    done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED, timeout=10)
    for task in pending:
        task.cancel()
    shown = [waits[task] for task in done if task.exception() is None]
    assert shown, "no password field showed"
    found = await shown[0].locator("input[type=password]:visible").first.bounding_box()
    assert found is not None
    return Box(found["x"], found["y"], found["width"], found["height"])


def near(a: Box, b: Box, slack: float = 2.0) -> bool:
    return all(abs(p - q) <= slack for p, q in ((a.x, b.x), (a.y, b.y), (a.width, b.width), (a.height, b.height)))


def inside(inner: Box, outer: Box) -> bool:
    return (outer.x - 1 <= inner.x and outer.y - 1 <= inner.y and inner.x + inner.width <= outer.x + outer.width + 1
            and inner.y + inner.height <= outer.y + outer.height + 1)


@pytest.fixture(scope="module")
def corpus_site():
    return _corpus_site()


async def launched(playwright, site, port):
    try:
        choice = browser_mod.find_browser()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(str(exc))
    return await browser_mod.launch(playwright, browser_mod.LaunchOptions(choice, extra_args=site.browser_args(port)))


async def test_the_login_form_is_located_in_frames_shadow_roots_and_formless_pages(corpus_site):
    from playwright.async_api import async_playwright

    with corpus_site.serve_corpus() as port:
        async with async_playwright() as playwright:
            browser = await launched(playwright, corpus_site, port)
            try:
                for key, why in PAGES.items():
                    url = corpus_site.page_url(key)
                    snapshot = await capture(browser, url, OPTIONS)
                    view = snapshot.view
                    assert view is not None, why
                    assert png_size(view.png) == (view.width, view.height) == (1280, 720), why
                    page = await browser.new_page()
                    try:
                        await page.goto(url)
                        measured = await password_box(page)
                    finally:
                        await page.close()
                    assert any(near(field, measured) for field in view.login_fields), (why, measured, view.login_fields)
                    assert view.login_form is not None and inside(measured, view.login_form), (why, view.login_form)
                    assert bool(view.frame_url) == (why == "cross-origin iframe"), why
            finally:
                await browser.close()


async def test_without_the_option_nothing_is_kept(corpus_site):
    from playwright.async_api import async_playwright

    with corpus_site.serve_corpus() as port:
        async with async_playwright() as playwright:
            browser = await launched(playwright, corpus_site, port)
            try:
                snapshot = await capture(browser, corpus_site.page_url("provider.bcbsridge.com/index.html"),
                                         CaptureOptions(timeout_s=15.0, settle_s=2.0))
            finally:
                await browser.close()
    assert snapshot.view is None and snapshot.frames


async def test_field_values_never_show_in_the_picture(corpus_site, tmp_path):
    from playwright.async_api import async_playwright

    secret = "SENTINEL-user-4242"
    for name, value, password in (("filled", f'value="{secret}"', 'value="hunter2hunter2"'), ("empty", "", "")):
        page_dir = tmp_path / "login.example.org" / name
        page_dir.mkdir(parents=True)
        (page_dir / "index.html").write_text(FILLED.replace("VALUE", value).replace("PASS", password))
    with corpus_site.serve_corpus(tmp_path) as port:
        async with async_playwright() as playwright:
            browser = await launched(playwright, corpus_site, port)
            try:
                filled = await capture(browser, "http://login.example.org/filled/", OPTIONS)
                empty = await capture(browser, "http://login.example.org/empty/", OPTIONS)
                # The control: without the style, the two pages do look different.
                raw = []
                for name in ("filled", "empty"):
                    page = await browser.new_page()
                    await page.goto(f"http://login.example.org/{name}/")
                    raw.append(await page.screenshot(type="png", scale="css", animations="disabled"))
                    hidden = await page.screenshot(type="png", scale="css", animations="disabled", style=HIDE_VALUES)
                    await page.close()
            finally:
                await browser.close()
    assert filled.view is not None and empty.view is not None
    assert raw[0] != raw[1], "the filled page must look different without hiding (else this proves nothing)"
    assert filled.view.png == empty.view.png, "a field value reached the screenshot"
    assert hidden == empty.view.png
    assert filled.frames[0].inputs[0].has_value and secret not in repr(filled.to_dict())

