"""One visit -> one ``PageSnapshot``. The only module that drives pages.

The visit is read-only: it navigates once, waits (bounded) for the page to settle, reads facts
and closes the context. It never types, fills, clicks or presses; the ``SubmissionGuard`` stops
anything the page tries to send on its own.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from preflight.capture import guard as guard_mod
from preflight.model.snapshot import (
    LOGIN_INPUT_TYPES,
    ClockSample,
    ExistingCookies,
    FrameFacts,
    PageSnapshot,
    RedirectHop,
    TlsFacts,
)
from preflight.rules.hosts import host_of
from preflight.rules.jar import facts_from_playwright
from preflight.rules.redact import (
    redact_set_cookie,
    redact_text,
    redact_url,
)

if TYPE_CHECKING:  # pragma: no cover
    from playwright.async_api import Browser, BrowserContext, Frame, Page, Response

from preflight.capture.dom import MAX_FRAMES, read_frames
from preflight.capture.integrity import IntegrityWatch
from preflight.capture.neterrors import classify_error
from preflight.capture.recorder import Recorder
from preflight.capture.view import FrameLayout, page_view

LEAVE_S = 1.0
"""Longest wait for the page to unload at the end of a visit."""

CLOSE_S = 2.0
"""Longest wait for a context to close; a hung one dies with the browser at the end of the run."""

ClockProbe = Callable[..., Awaitable[tuple[ClockSample, ...]]]
"""``probe(final_url, *redirect_chain_urls)``: timed HEAD requests to those hosts (see ``clockprobe``)."""


@dataclass(frozen=True)
class CaptureOptions:
    timeout_s: float = 30.0
    settle_s: float = 3.0
    """Longest wait for network idle / a login form after ``load``."""
    screenshot_dir: Path | None = None
    storage_state: str | Mapping[str, Any] | None = None
    """A Playwright storage state (file path or mapping) the context starts with."""
    block_third_party_cookies: bool = False
    """Block third-party cookies for the page and its frames (Chromium's own switch, over DevTools)."""
    existing_cookies: ExistingCookies | None = None
    """What ``storage_state`` held, as facts, copied into the snapshot for the cookie audit."""
    clock_probe: ClockProbe | None = None
    keep_screenshot: bool = False
    """Keep a viewport screenshot in memory, with the login form located on it (``PageSnapshot.view``)."""
    extra_context_options: Mapping[str, Any] = field(default_factory=dict)
    evidence_dir: Path | None = None
    """Record this visit's evidence here (``page.png``, ``visit.har``, ``trace.zip``), redacted before
    the visit returns; the runner keeps it only for a check that did not pass."""
    integrity: bool = False
    """Also take the digests a login-page baseline compares (``snapshot.integrity``)."""


class CaptureFailed(Exception):
    """The visit could not finish. ``code`` is a ``target.*`` finding code; ``partial`` what was seen."""

    def __init__(self, code: str, message: str, partial: PageSnapshot | None = None, transient: bool = False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.partial = partial
        self.transient = transient


async def capture(browser: Browser, url: str, options: CaptureOptions = CaptureOptions()) -> PageSnapshot:
    """Visit ``url`` once in a fresh, guarded context and return what was seen.

    Raises ``CaptureFailed`` (with a partial snapshot) when the visit cannot complete.
    """
    started = time.monotonic()
    # Leave room inside --timeout for unloading the page and closing the context.
    deadline = started + options.timeout_s - min(LEAVE_S + CLOSE_S, 0.25 * options.timeout_s)
    guard = guard_mod.SubmissionGuard()
    recorder = Recorder(guard.redact)
    context_options: dict[str, Any] = dict(guard_mod.CONTEXT_OPTIONS)
    context_options["ignore_https_errors"] = False
    if options.storage_state:
        context_options["storage_state"] = options.storage_state
    context_options.update(options.extra_context_options)
    evidence = options.evidence_dir
    if evidence is not None:
        # Headers and cookies only: bodies can hold anything, and a failing page is judged by its
        # requests, not their content.
        context_options.update(record_har_path=str(evidence / HAR_NAME), record_har_content="omit")
    context = await browser.new_context(**context_options)
    clock_task: asyncio.Task[tuple[ClockSample, ...]] | None = None
    timings: dict[str, float] = {}
    page: Page | None = None
    shot_taken = False
    try:
        if evidence is not None:
            await _start_trace(context)
        await guard.install(context)
        context.on("request", recorder.on_request)
        context.on("response", recorder.on_response)
        page = await context.new_page()
        watch = IntegrityWatch(context, page) if options.integrity else None
        if watch is not None:
            await watch.start()
            context.on("response", watch.on_response)
        await guard.watch(context, page)
        if options.block_third_party_cookies:
            await _block_third_party_cookies(context, page)
        context.on("page", lambda popup: _close_popup(popup, guard))
        page.on("console", recorder.on_console)
        page.on("dialog", recorder.on_dialog)
        page.on("framenavigated", lambda frame: _on_navigated(page, frame, recorder))
        main_failed: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        crashed = asyncio.Event()
        page.on("crash", lambda _page: crashed.set())
        page.on("requestfailed", lambda request: _on_request_failed(page, request, main_failed))

        def partial(landed: str, status: int | None, message: str) -> PageSnapshot:
            """What was seen before the visit broke off (kept in the report)."""
            guard.reconcile()
            seen = PageSnapshot(requested_url=redact_url(url), final_url=redact_url(landed), http_status=status,
                                blocked_requests=guard.blocked, requests=tuple(recorder.requests),
                                timings={"total_s": round(time.monotonic() - started, 3)}, error=message,
                                existing_cookies=options.existing_cookies)
            return _scrub(guard, seen)

        response = None
        try:
            response = await page.goto(url, wait_until="commit", timeout=_ms(deadline))
        except Exception as exc:  # noqa: BLE001 - Playwright raises plain Error
            code, message, transient = classify_error(str(exc))
            landed = page.url if page.url not in ("", "about:blank") else ""
            raise CaptureFailed(code, message, partial(landed, None, message), transient) from None
        captured_at = time.time()
        timings["response_s"] = round(time.monotonic() - started, 3)
        if options.clock_probe is not None:
            # The chain's URLs need no round trip (their headers are read later, bounded);
            # redacted, so no token leaves for the probe's hosts.
            chain = [redact_url(r.url) for r in _chain_requests(response)]
            clock_task = asyncio.ensure_future(options.clock_probe(page.url, *chain))
        load_complete = await _settle(page, deadline, options.settle_s, main_failed)
        if main_failed.done():
            # The document committed, then its connection broke (reset mid-response).
            code, message, transient = classify_error(main_failed.result())
            raise CaptureFailed(code, message, partial(page.url, response.status if response else None, message),
                                transient)
        timings["settled_s"] = round(time.monotonic() - started, 3)

        # Independent reads: one round trip each, so ask for them all at once; each is bounded
        # by the deadline (a renderer stuck in a script loop answers nothing) with a safe default.
        read_until = max(deadline, time.monotonic() + 0.5)
        layouts: list[FrameLayout | None] | None = [] if options.keep_screenshot else None
        hops, main_headers, tls, frames, cookies_enabled, raw_jar, screenshot, picture = await asyncio.gather(
            _bounded(_redirect_chain(response), read_until, ()), _bounded(_headers(response), read_until, {}),
            _bounded(_tls(response), read_until, None),
            _bounded(read_frames(page, read_until, layouts), read_until, ()),
            _bounded(_probe_cookies(page), read_until, None), _bounded(context.cookies(), read_until, []),
            _bounded(_screenshot(page, options.screenshot_dir, url, read_until), read_until, None),
            _bounded(_view_png(page, options.keep_screenshot, read_until), read_until, None))
        if evidence is not None:
            shot_taken = await _evidence_screenshot(page, evidence, read_until)
        jar = tuple(facts_from_playwright(c) for c in raw_jar)
        unreadable = unreadable_reason(frames, recorder, crashed.is_set())
        if unreadable is not None:
            code, message = unreadable
            raise CaptureFailed(code, message, partial(page.url, response.status if response else None, message))
        integrity = await watch.collect(max(deadline, time.monotonic() + 2.0)) if watch is not None else None
        if recorder.pending:
            await asyncio.wait(set(recorder.pending), timeout=max(0.1, min(2.0, deadline - time.monotonic())))
        clock_samples: tuple[ClockSample, ...] = ()
        if clock_task is not None:
            clock_samples = await _await_probe(clock_task, deadline)
        final_url = page.url
        navigations = tuple(redact_url(u) for u in recorder.navigations[1:])
        await _leave(page, guard, deadline)
        guard.reconcile()
        timings["total_s"] = round(time.monotonic() - started, 3)
        seen = _scrub(guard, PageSnapshot(
            requested_url=redact_url(url),
            final_url=redact_url(final_url),
            http_status=response.status if response is not None else None,
            redirects=hops,
            navigations=navigations,
            response_headers=main_headers,
            tls=tls,
            frames=frames,
            cookies=jar,
            set_cookie_headers=tuple(recorder.set_cookies),
            requests=tuple(recorder.requests),
            blocked_requests=guard.blocked,
            console_errors=tuple(recorder.console_errors),
            dialogs=tuple(recorder.dialogs),
            clock_samples=clock_samples,
            cookies_enabled=cookies_enabled,
            load_complete=load_complete,
            timings=timings,
            screenshot=screenshot,
            captured_at=captured_at,
            existing_cookies=options.existing_cookies,
            integrity=integrity,
        ))
        if picture is None:
            return seen
        # Added after scrubbing: the picture is bytes (field values hidden before it was taken),
        # the boxes numbers; the frames are the scrubbed ones, so the frame URL is too.
        viewport = page.viewport_size or {"width": 0, "height": 0}
        view = page_view(picture[0], viewport["width"], viewport["height"], seen.frames,
                         layouts if layouts is not None and len(layouts) == len(seen.frames) else ())
        return replace(seen, view=replace(view, masked=picture[1]))
    finally:
        if clock_task is not None and not clock_task.done():
            clock_task.cancel()
        cookie_values: list[str] = []
        if evidence is not None:
            if page is not None and not shot_taken:
                await _evidence_screenshot(page, evidence, time.monotonic() + EVIDENCE_SHOT_S)
            cookie_values = await _finish_trace(context, evidence)
        await close_context(context, guard)
        if evidence is not None:
            await asyncio.to_thread(seal_evidence, evidence, (*guard.secrets, *cookie_values))


def _scrub(guard: guard_mod.SubmissionGuard, snapshot: PageSnapshot) -> PageSnapshot:
    """Remove every field value the page held from every text of the snapshot: a page can put
    its own password into a link, a title or a request URL after capture has read it."""
    secrets = guard.secrets
    if not secrets:
        return snapshot

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return redact_text(value, secrets)
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return PageSnapshot.from_dict(clean(snapshot.to_dict()))


async def _bounded(awaitable: Awaitable[Any], deadline: float, default: Any) -> Any:
    try:
        return await asyncio.wait_for(awaitable, timeout=max(0.05, deadline - time.monotonic()))
    except Exception:  # noqa: BLE001 - timed out or the page went away: keep what we have
        return default


async def _leave(page: Page, guard: guard_mod.SubmissionGuard, deadline: float) -> None:
    """Unload the page while the guard still listens, so ``pagehide``/``beforeunload`` senders
    fire now (and are stopped and reported) rather than during close, where a beacon can slip
    past ``route()``. From here on the route aborts every request."""
    guard.closing = True
    try:
        await page.goto("about:blank", wait_until="commit", timeout=LEAVE_S * 1000)
        await asyncio.wait_for(page.evaluate("0"), timeout=0.5)  # ordered round trip: reports are in
    except Exception:  # noqa: BLE001 - a page that will not unload is closed with its context
        pass


async def close_context(context: BrowserContext, guard: guard_mod.SubmissionGuard) -> None:
    """Close without letting a late beacon out: guard closing, network off, then close."""
    guard.closing = True
    try:
        await asyncio.wait_for(asyncio.shield(_close(context)), timeout=CLOSE_S)
    except (TimeoutError, Exception):  # noqa: BLE001 - browser may already be gone
        pass


async def _close(context: BrowserContext) -> None:
    """Shielded, so it may outlive its caller's timeout: it must swallow its own errors."""
    try:
        await context.set_offline(True)
        await context.close()
    except Exception:  # noqa: BLE001 - the browser closed first (end of run, or a crash)
        pass


def _ms(deadline: float, cap: float | None = None) -> float:
    remaining = max(0.05, deadline - time.monotonic())
    if cap is not None:
        remaining = min(remaining, cap)
    return remaining * 1000


def _on_navigated(page: Page, frame: Frame, recorder: Recorder) -> None:
    if frame == page.main_frame:
        recorder.navigation_count += 1
        if len(recorder.navigations) < 50:
            recorder.navigations.append(frame.url)


RESTLESS_NAVIGATIONS = 20
"""A main frame that navigated more often than this during one visit never settled on a page."""
RESTLESS_DIALOGS = 20


def unreadable_reason(frames: tuple[FrameFacts, ...], recorder: Recorder, crashed: bool) -> tuple[str, str] | None:
    """``(code, plain words)`` when what the visit read cannot stand for the page, else ``None``.

    A page whose DOM could not be read must never come out as "no login form": it may have one.
    """
    if crashed:
        return "target.crashed", "the page's renderer crashed (out of memory, or killed) before it could be read"
    if frames and frames[0].error is None:
        return None
    if recorder.navigation_count > RESTLESS_NAVIGATIONS:
        return "target.unreadable", (f"the page never settled: it navigated {recorder.navigation_count} times "
                                     "in one visit, so what it shows could not be read")
    if recorder.dialog_count > RESTLESS_DIALOGS:
        return "target.unreadable", (f"the page kept opening dialogs ({recorder.dialog_count}), so what it shows "
                                     "could not be read")
    return "target.unreadable", ("the page did not answer (a script kept it busy, or it was too large to read in "
                                 "time): what it shows could not be read")


def _close_popup(popup: Page, guard: guard_mod.SubmissionGuard) -> None:
    # Our page exists before this handler is attached: any page reported here is a popup.
    guard.record("GET", popup.url or "about:blank", "popup", "network")
    asyncio.ensure_future(_quiet(popup.close()))


async def _quiet(awaitable: Awaitable[Any]) -> None:
    try:
        await awaitable
    except Exception:  # noqa: BLE001
        pass


_LOGIN_FIELD = ", ".join([*(f"input[type={t}]" for t in LOGIN_INPUT_TYPES), "input[autocomplete~=username]"])
"""CSS for ``FrameFacts.has_login_fields``: the same rule, so capture waits for what checks look for."""

_HAS_LOGIN_FIELD = (f"() => [...document.querySelectorAll({_LOGIN_FIELD!r})].some((e) => e.checkVisibility"
                    " ? e.checkVisibility({visibilityProperty: true}) : e.getClientRects().length > 0)")
"""A login field a person can see: one still hidden (a modal that opens after ``load``, the
password box of a second step) does not end the wait for the page to settle."""


def _on_request_failed(page: Page, request: Any, main_failed: asyncio.Future[str]) -> None:
    try:
        is_main_document = request.is_navigation_request() and request.frame == page.main_frame
    except Exception:  # noqa: BLE001 - frame already gone
        return
    failure = request.failure or ""
    # Our own abort of a later navigation (the guard, or leaving the page) is not a fault.
    if is_main_document and not main_failed.done() and "ERR_ABORTED" not in failure \
            and "ERR_BLOCKED_BY_CLIENT" not in failure:
        main_failed.set_result(f"net::{failure.removeprefix('net::')}")


async def _settle(page: Page, deadline: float, settle_s: float, main_failed: asyncio.Future[str]) -> bool:
    """Wait for ``load``; if no visible login field is there yet (a page rendered by script, a
    modal opened after ``load``), wait for network idle and then for one, each bounded by
    ``settle_s``. Never a fixed sleep.
    Stops early if the main document's connection fails after it committed."""
    for state in ("domcontentloaded", "load"):
        loaded: asyncio.Future[Any] = asyncio.ensure_future(page.wait_for_load_state(state, timeout=_ms(deadline - 0.5)))
        await asyncio.wait({loaded, cast("asyncio.Future[Any]", main_failed)}, return_when=asyncio.FIRST_COMPLETED)
        if not loaded.done():
            loaded.cancel()  # the document broke: the caller reports it
            return False
        if loaded.exception() is not None:
            return False  # a page that never finishes loading is still captured
    if await _any_frame(page, _HAS_LOGIN_FIELD, deadline):
        return True
    try:
        await page.wait_for_load_state("networkidle", timeout=_ms(deadline - 0.5, settle_s))
    except Exception:  # noqa: BLE001
        pass
    if await _any_frame(page, _HAS_LOGIN_FIELD, deadline):
        return True
    try:
        await page.wait_for_function(_HAS_LOGIN_FIELD, timeout=_ms(deadline - 0.5, min(settle_s, 1.0)))
    except Exception:  # noqa: BLE001 - pages without a (visible) login field are fine
        pass
    return True


async def _any_frame(page: Page, script: str, deadline: float) -> bool:
    """Whether ``script`` is true in any frame; all frames asked at once, within 1 s and the deadline."""
    answers = await _bounded(asyncio.gather(*(frame.evaluate(script) for frame in page.frames[:MAX_FRAMES]),
                                            return_exceptions=True),
                             min(deadline, time.monotonic() + 1.0), [])
    return any(answer is True for answer in answers)


def _chain_requests(response: Response | None) -> list[Any]:
    """The main navigation's requests, first request first (at most 50 hops)."""
    if response is None:
        return []
    requests: list[Any] = []
    request: Any = response.request
    while request is not None and len(requests) < 50:
        requests.append(request)
        request = request.redirected_from
    return requests[::-1]


async def _redirect_chain(response: Response | None) -> tuple[RedirectHop, ...]:
    hops: list[RedirectHop] = []
    for req in _chain_requests(response):
        try:
            resp = await req.response()
        except Exception:  # noqa: BLE001
            resp = None
        hops.append(RedirectHop(url=redact_url(req.url), status=resp.status if resp else 0,
                                headers=await _headers(resp)))
    return tuple(hops)


async def _headers(response: Response | None) -> dict[str, str]:
    if response is None:
        return {}
    try:
        headers = await response.all_headers()
    except Exception:  # noqa: BLE001
        headers = dict(response.headers)
    shown = {}
    for name, value in headers.items():
        if name == "set-cookie":
            value = "\n".join(redact_set_cookie(v)[0] for v in value.split("\n"))
        elif name == "location":
            value = redact_url(value)
        shown[name] = value
    return shown


async def _tls(response: Response | None) -> TlsFacts | None:
    if response is None:
        return None
    try:
        details = await response.security_details()
    except Exception:  # noqa: BLE001
        return None
    if not details:
        return None
    return TlsFacts(protocol=details.get("protocol"), issuer=details.get("issuer"),
                    subject=details.get("subjectName"), valid_from=details.get("validFrom"),
                    valid_to=details.get("validTo"))


_COOKIE_PROBE = """() => {
  if (!/^https?:$/.test(location.protocol)) return null;
  const name = '__preflight_probe_' + Math.random().toString(36).slice(2, 8);
  try {
    document.cookie = name + '=1; path=/; SameSite=Lax' + (location.protocol === 'https:' ? '; Secure' : '');
    const ok = document.cookie.split('; ').some((c) => c.startsWith(name + '='));
    document.cookie = name + '=; path=/; max-age=0' + (location.protocol === 'https:' ? '; Secure' : '');
    return ok;
  } catch (e) { return false; }
}"""


async def _block_third_party_cookies(context: BrowserContext, page: Page) -> None:
    """DevTools ``Network.setCookieControls`` for this page and its frames (out-of-process ones too).

    Measured on Chromium 156: it takes effect only after ``Network.enable`` and lasts while the
    session stays attached, so the session is kept for the page's life. Playwright's own
    ``new_context`` already blocks third-party cookies (an Incognito-like profile); this makes a
    regular profile, where they are allowed by default, block them too.
    """
    session = await context.new_cdp_session(page)
    await session.send("Network.enable")
    await session.send("Network.setCookieControls", {"enableThirdPartyCookieRestriction": True,
                                                      "disableThirdPartyCookieMetadata": True,
                                                      "disableThirdPartyCookieHeuristics": True})


async def _probe_cookies(page: Page) -> bool | None:
    """Write and read back a probe cookie through ``document.cookie``: no request is sent."""
    try:
        return await asyncio.wait_for(page.evaluate(_COOKIE_PROBE), timeout=3)
    except Exception:  # noqa: BLE001
        return None


HAR_NAME, TRACE_NAME, SHOT_NAME = "visit.har", "trace.zip", "page.png"
SEALED_MARK = ".redacted"
"""Written last by ``seal_evidence``: a folder without it may hold unredacted files and is deleted."""
EVIDENCE_SHOT_S = 2.0
"""Longest wait for the evidence screenshot of a visit that broke off."""
TRACE_STOP_S = 3.0
EVIDENCE_CONTROLS = "input, textarea, select, [contenteditable]"
"""Evidence masks every control, whatever it shows (a select's choice, an editable area)."""


async def _start_trace(context: BrowserContext) -> None:
    """DOM snapshots and network, no screencast: a frame of video would show what fields hold."""
    try:
        await asyncio.wait_for(context.tracing.start(snapshots=True, screenshots=False, sources=False),
                               timeout=TRACE_STOP_S)
    except Exception:  # noqa: BLE001 - no trace is no evidence, not a failed visit
        pass


async def _finish_trace(context: BrowserContext, folder: Path) -> list[str]:
    """Stop the trace into ``folder``; the visit's cookie values, which redaction must remove."""
    values: list[str] = []
    try:
        values = [c.get("value", "") for c in await asyncio.wait_for(context.cookies(), timeout=1.0)]
    except Exception:  # noqa: BLE001
        pass
    try:
        await asyncio.wait_for(context.tracing.stop(path=str(folder / TRACE_NAME)), timeout=TRACE_STOP_S)
    except Exception:  # noqa: BLE001 - a hung browser: no trace
        (folder / TRACE_NAME).unlink(missing_ok=True)
    return [v for v in values if v]


async def _evidence_screenshot(page: Page, folder: Path, deadline: float) -> bool:
    """The viewport, every form control masked: evidence shows the page, never what a field holds."""
    try:
        (folder / SHOT_NAME).write_bytes(await _picture(page, True, deadline, EVIDENCE_CONTROLS))
        return True
    except Exception:  # noqa: BLE001 - a closed or hung page: no screenshot
        return False


def seal_evidence(folder: Path, secrets: Sequence[str]) -> None:
    """Redact the HAR and the trace in place; a file that cannot be redacted is deleted, never kept."""
    from preflight.rules.artifacts import redact_har, redact_trace

    for name, redact in ((HAR_NAME, redact_har), (TRACE_NAME, redact_trace)):
        path = folder / name
        if not path.exists():
            continue
        try:
            path.write_bytes(redact(path.read_bytes(), secrets))
        except Exception:  # noqa: BLE001 - unreadable or half-written: not evidence we may keep
            path.unlink(missing_ok=True)
    (folder / SEALED_MARK).touch()


async def _screenshot(page: Page, directory: Path | None, url: str, deadline: float) -> str | None:
    if directory is None:
        return None
    host = host_of(page.url) or host_of(url) or "page"
    path = directory / f"{host}-{int(time.time() * 1000)}.png"
    try:
        await page.screenshot(path=str(path), timeout=_ms(deadline, 5.0), animations="disabled")
    except Exception:  # noqa: BLE001
        return None
    return str(path)


_TEXT_CONTROLS = ("input:not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button])"
                  ":not([type=image]):not([type=reset]):not([type=hidden]):not([type=range]):not([type=color]), "
                  "textarea")
"""Controls whose value shows as text: what a field holds must never reach a report as pixels.
Playwright's ``style`` option (making values transparent) was tried first and dropped: a page whose
CSP forbids inline styles refuses that stylesheet (measured on Chromium 156), masks it cannot."""

_HOLDS_VALUE = """(selector) => {
  const roots = [document];
  const walker = document.createTreeWalker(document.documentElement || document, NodeFilter.SHOW_ELEMENT);
  for (let n = 0; walker.nextNode() && n < 20000; n++) if (walker.currentNode.shadowRoot) roots.push(walker.currentNode.shadowRoot);
  const inputValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').get;
  const areaValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').get;
  return roots.some((root) => Array.from(root.querySelectorAll(selector)).some((el) =>
    !!(el.tagName === 'INPUT' ? inputValue.call(el) : areaValue.call(el))));
}"""
"""Whether any text control of a frame (open shadow roots included) holds a value, read through the
prototypes' getters as ``dom.js`` reads ``has_value``: an element's own ``value`` property does not
hide one."""

MASK_COLOR = "#e9ecef"
"""A light grey: a masked field reads as an empty box, not as an alarm."""


async def _values_present(page: Page, deadline: float) -> bool:
    """Any frame's field holds a value, or a frame did not answer (then assume it does)."""
    frames = page.frames[:MAX_FRAMES]
    answers = await asyncio.wait_for(
        asyncio.gather(*(frame.evaluate(_HOLDS_VALUE, _TEXT_CONTROLS) for frame in frames), return_exceptions=True),
        timeout=max(0.1, min(2.0, deadline - time.monotonic())))
    return any(answer is not False for answer in answers)


async def _picture(page: Page, masked: bool, deadline: float, controls: str = _TEXT_CONTROLS) -> bytes:
    # Masks are boxes Playwright paints over the controls, which no page CSP can refuse; one
    # locator per frame, since a top-page locator does not reach into a login iframe.
    masks = [frame.locator(controls) for frame in page.frames[:MAX_FRAMES]] if masked else []
    return await page.screenshot(type="png", timeout=_ms(deadline, 5.0), animations="disabled", scale="css",
                                 mask=masks, mask_color=MASK_COLOR)


async def _view_png(page: Page, keep: bool, deadline: float) -> tuple[bytes, bool] | None:
    """The viewport as PNG bytes, kept in memory (``CaptureOptions.keep_screenshot``). When any field
    holds a value, every text field is masked (a flat box over it); a value a script put in while the
    picture was taken makes it taken again, masked. Fields in closed shadow roots are out of reach.
    Returns ``(png, masked)``."""
    if not keep:
        return None
    try:
        masked = await _values_present(page, deadline)
        png = await _picture(page, masked, deadline)
        if not masked and await _values_present(page, deadline):
            masked, png = True, await _picture(page, True, deadline)
        return png, masked
    except Exception:  # noqa: BLE001 - a page that cannot be pictured (or checked) is still judged, unpictured
        return None


async def _await_probe(task: asyncio.Task[tuple[ClockSample, ...]], deadline: float) -> tuple[ClockSample, ...]:
    try:
        return await asyncio.wait_for(asyncio.shield(task), timeout=max(0.1, deadline - time.monotonic()))
    except Exception:  # noqa: BLE001 - a failed probe means "clock unmeasurable", not a failed visit
        task.cancel()
        return ()
