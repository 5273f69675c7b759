"""Digests for login-page baselines: script bodies, the favicon, the certificate, a screenshot.

Only when asked (``CaptureOptions.integrity``: ``baseline save``, ``check --baseline``). Bytes
are hashed as they arrive and dropped; the snapshot holds digests only. Every read is bounded
and optional: a digest that could not be taken is left empty, never guessed.
"""

from __future__ import annotations

import asyncio
import base64
import time
from typing import TYPE_CHECKING, Any

from preflight.model.snapshot import CertificateFacts, IntegrityFacts, ScriptFacts
from preflight.rules.integrity import certificate_digest, origin_of, sha256_hex, visual_hash
from preflight.rules.redact import redact_url

if TYPE_CHECKING:  # pragma: no cover
    from playwright.async_api import BrowserContext, Page, Response

MAX_SCRIPTS = 300
MAX_BODY_BYTES = 8 * 1024 * 1024
"""A script or icon larger than this is listed without a hash."""
ICON_WAIT_S = 1.0
"""Longest wait for the browser's own favicon request."""

_FRAME_SCRIPTS = """() => {
  const scripts = Array.from(document.scripts).slice(0, 300);
  const runs = (s) => !s.type || /^(text|application)\\/(x-)?(java|ecma)script$|^module$/i.test(s.type.trim());
  return {
    inline: scripts.filter((s) => !s.src && runs(s)).slice(0, 100).map((s) => s.text),
    external: scripts.filter((s) => s.src).map((s) => [s.src, !!s.getAttribute('integrity')]),
    icons: Array.from(document.querySelectorAll('link[rel~=icon]')).slice(0, 10).map((l) => l.href),
  };
}"""
"""Read-only: the text of inline scripts (hashed in Python, then dropped), which external
scripts carry an ``integrity`` attribute, and the icons the page names."""


class IntegrityWatch:
    """Hashes script and icon bodies as their responses arrive; ``collect`` adds the rest."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        self.context = context
        self.page = page
        self.bodies: dict[str, tuple[str, int, str]] = {}
        """Response URL -> (sha256, size, frame URL) of scripts and icon-like responses."""
        self.order: list[tuple[str, str]] = []
        """(URL, resource type) in arrival order."""
        self.pending: set[asyncio.Task[None]] = set()
        self.spent_s = 0.0
        self.icon_seen = asyncio.Event()
        self.session: Any = None

    async def start(self) -> None:
        """Before the navigation: DevTools hands out a certificate only to a session whose
        network domain was on when the response arrived (measured on Chromium 156)."""
        try:
            self.session = await self.context.new_cdp_session(self.page)
            await self.session.send("Network.enable")
        except Exception:  # noqa: BLE001 - no DevTools (another browser): no certificate digest
            self.session = None

    def on_response(self, response: Response) -> None:
        kind = response.request.resource_type
        if kind == "script" or (kind in ("other", "image") and _icon_like(response)):
            if len(self.order) >= MAX_SCRIPTS:
                return
            self.order.append((response.url, kind))
            if kind != "script":
                self.icon_seen.set()
            task = asyncio.ensure_future(self._hash(response))
            self.pending.add(task)
            task.add_done_callback(self.pending.discard)

    async def _hash(self, response: Response) -> None:
        began = time.monotonic()
        try:
            frame_url = response.frame.url
        except Exception:  # noqa: BLE001 - a worker's script, or a frame already gone
            frame_url = ""
        try:
            body = await response.body()
        except Exception:  # noqa: BLE001 - redirected, aborted, or gone with its context
            return
        finally:
            self.spent_s += time.monotonic() - began
        size = len(body)
        if response.status >= 400:
            return  # a missing icon is no icon
        self.bodies[response.url] = (sha256_hex(body) if size <= MAX_BODY_BYTES else "", size, frame_url)

    async def collect(self, deadline: float) -> IntegrityFacts:
        """Everything not hashed on arrival: inline scripts, the certificate, a screenshot."""
        began = time.monotonic()
        frames = self.page.frames[:30]
        reads = await asyncio.gather(*(_bounded(f.evaluate(_FRAME_SCRIPTS), deadline, None) for f in frames))
        certificate = await _bounded(self._certificate(), deadline, None)
        if not self.icon_seen.is_set():
            # The browser asks for the icon after ``load``: give it a moment, or the digest
            # would depend on how fast this visit happened to read the page.
            await _bounded(self.icon_seen.wait(), min(deadline, time.monotonic() + ICON_WAIT_S), None)
        shot = await _bounded(self.page.screenshot(type="png", animations="disabled",
                                                   timeout=max(100, (deadline - time.monotonic()) * 1000)),
                              deadline, None)
        if self.pending:
            await asyncio.wait(set(self.pending), timeout=max(0.1, deadline - time.monotonic()))
        scripts: list[ScriptFacts] = []
        icons: list[str] = []
        listed: set[str] = set()
        for frame, read in zip(frames, reads):
            if not isinstance(read, dict):
                continue
            frame_url = redact_url(frame.url)
            for text in read.get("inline", ())[:100]:
                data = str(text).encode("utf-8", "surrogatepass")
                scripts.append(ScriptFacts(frame_url=frame_url, sha256=sha256_hex(data), size=len(data)))
            for src, sri in read.get("external", ())[:MAX_SCRIPTS]:
                listed.add(src)
                sha, size, _ = self.bodies.get(src, ("", 0, ""))
                scripts.append(ScriptFacts(frame_url=frame_url, url=redact_url(src), sha256=sha, size=size,
                                           integrity=bool(sri)))
            icons += [str(i) for i in read.get("icons", ())]
        # Scripts added without an element left in the document (injected, then removed).
        for url, kind in self.order:
            if kind == "script" and url not in listed and url in self.bodies:
                sha, size, frame_url = self.bodies[url]
                scripts.append(ScriptFacts(frame_url=redact_url(frame_url), url=redact_url(url), sha256=sha, size=size))
        favicon_url, favicon_sha = self._favicon(icons)
        spent = self.spent_s + time.monotonic() - began
        return IntegrityFacts(scripts=tuple(scripts), favicon_url=redact_url(favicon_url), favicon_sha256=favicon_sha,
                              visual_hash=visual_hash(shot) if isinstance(shot, bytes) else "",
                              certificate=certificate, elapsed_s=round(spent, 3))

    def _favicon(self, named: list[str]) -> tuple[str, str]:
        icons = [(url, self.bodies[url][0]) for url, kind in self.order if kind != "script" and url in self.bodies]
        for url in named:
            for fetched, sha in icons:
                if fetched == url and sha:
                    return fetched, sha
        return icons[0] if icons else ("", "")

    async def _certificate(self) -> CertificateFacts | None:
        origin = origin_of(self.page.url)
        if not origin.startswith("https://"):
            return None
        if self.session is None:
            return None
        try:
            answer: dict[str, Any] = await self.session.send("Network.getCertificate", {"origin": origin})
        finally:
            await _quiet_detach(self.session)
        chain = answer.get("tableNames") or []
        if not chain:
            return None
        return certificate_digest(base64.b64decode(chain[0]))


def _icon_like(response: Response) -> bool:
    content_type = response.headers.get("content-type", "")
    path = response.url.split("?", 1)[0].lower()
    return "icon" in path or content_type.startswith(("image/x-icon", "image/vnd.microsoft.icon"))


async def _bounded(awaitable: Any, deadline: float, default: Any) -> Any:
    try:
        return await asyncio.wait_for(awaitable, timeout=max(0.05, deadline - time.monotonic()))
    except Exception:  # noqa: BLE001 - timed out, or the page went away: no digest
        return default


async def _quiet_detach(session: Any) -> None:
    try:
        await session.detach()
    except Exception:  # noqa: BLE001 - the page closed first
        pass
