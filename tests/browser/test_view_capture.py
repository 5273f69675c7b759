"""The in-memory screenshot and the login form's place on it, against a real Chromium.

Boxes are checked against Playwright's own measurement of the same page (``bounding_box``, which
places elements of frames and shadow roots in the main viewport), so an offset bug in the frame
arithmetic or a box from the wrong frame shows up as a mismatch.
"""

from __future__ import annotations

import asyncio
import struct
from dataclasses import replace

import pytest

from preflight.capture import browser as browser_mod
from preflight.capture.visit import CaptureOptions, capture
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
                    assert not view.masked, why  # no field holds a value: the page as a person sees it
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


CSP = """<meta http-equiv="Content-Security-Policy" content="default-src 'self'; style-src 'self'">"""
SHAPES = {
    "plain": FILLED,
    "csp": FILLED.replace("<title>", CSP + "<title>"),  # refuses injected stylesheets (Playwright's style)
    "framed": '<!doctype html><title>Portal</title><h1>Portal</h1>'
              '<iframe src="http://idp.example.net/NAME/" width="600" height="400"></iframe>',
}


async def test_field_values_never_show_in_the_picture(corpus_site, tmp_path):
    """Two values, one picture: whatever a field holds, the screenshot is the same, in a plain
    page, a page whose CSP refuses injected styles, and a cross-site frame."""
    from playwright.async_api import async_playwright

    values = {"a": "SENTINEL-user-4242", "b": "someone.else@example.org"}
    for shape, markup in SHAPES.items():
        for name, value in values.items():
            folder = tmp_path / "login.example.org" / f"{shape}-{name}"
            folder.mkdir(parents=True)
            filled = FILLED.replace("VALUE", f'value="{value}"').replace("PASS", f'value="{value[::-1]}"')
            if shape == "framed":
                inner = tmp_path / "idp.example.net" / f"{shape}-{name}"
                inner.mkdir(parents=True)
                (inner / "index.html").write_text(filled)
                filled = markup.replace("NAME", f"{shape}-{name}")
            elif shape == "csp":
                filled = filled.replace("<title>", CSP + "<title>")
            (folder / "index.html").write_text(filled)
    pictures: dict[tuple[str, str], bytes] = {}
    shots: dict[tuple[str, str], bytes] = {}
    with corpus_site.serve_corpus(tmp_path) as port:
        async with async_playwright() as playwright:
            browser = await launched(playwright, corpus_site, port)
            try:
                for shape in SHAPES:
                    for name in values:
                        snapshot = await capture(browser, f"http://login.example.org/{shape}-{name}/", OPTIONS)
                        assert snapshot.view is not None and snapshot.view.masked, (shape, name)
                        pictures[shape, name] = snapshot.view.png
                        holds = [i.has_value for frame in snapshot.frames for i in frame.inputs]
                        assert any(holds) and values[name] not in repr(snapshot.to_dict()), (shape, name)
                        # --evidence's screenshot masks every frame's controls too.
                        evidence = tmp_path / "evidence" / f"{shape}-{name}"
                        evidence.mkdir(parents=True)
                        await capture(browser, f"http://login.example.org/{shape}-{name}/",
                                      replace(OPTIONS, keep_screenshot=False, evidence_dir=evidence))
                        shots[shape, name] = (evidence / "page.png").read_bytes()
                # The control: a plain screenshot does show the values (else this proves nothing).
                raw = []
                for name in values:
                    page = await browser.new_page()
                    await page.goto(f"http://login.example.org/csp-{name}/")
                    raw.append(await page.screenshot(type="png", scale="css", animations="disabled"))
                    await page.close()
            finally:
                await browser.close()
    assert raw[0] != raw[1]
    for shape in SHAPES:
        assert pictures[shape, "a"] == pictures[shape, "b"], f"a field value reached the {shape} picture"
        assert shots[shape, "a"] == shots[shape, "b"], f"a field value reached the {shape} evidence screenshot"
