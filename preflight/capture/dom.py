"""The DOM facts of every frame, read by ``dom.js`` (never focusing, typing or clicking)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

from preflight.capture.view import FrameLayout, frame_layout
from preflight.model.snapshot import (
    ButtonFacts,
    FormFacts,
    FrameFacts,
    InputFacts,
    LinkFacts,
)
from preflight.rules.hosts import host_of
from preflight.rules.redact import (
    redact_url,
)

if TYPE_CHECKING:  # pragma: no cover
    from playwright.async_api import Frame, Page

DOM_SCRIPT = resources.files("preflight.capture").joinpath("dom.js").read_text(encoding="utf-8")

DOM_LIMITS = {"maxText": 20000, "maxLinks": 400, "maxInputs": 200}

MAX_FRAMES = 30


async def read_frames(page: Page, deadline: float,
                      layouts: list[FrameLayout | None] | None = None) -> tuple[FrameFacts, ...]:
    """Every frame's facts; with ``layouts`` (a list to fill), also where each frame's forms and
    controls stand in the main viewport (``None`` for a frame that could not be placed)."""
    main_origin = _origin(page.url)
    facts: list[FrameFacts] = []
    limits = {**DOM_LIMITS, "boxes": True} if layouts is not None else DOM_LIMITS
    for frame in page.frames[:MAX_FRAMES]:
        parent = frame.parent_frame
        try:
            raw = await asyncio.wait_for(frame.evaluate(DOM_SCRIPT, limits),
                                         timeout=max(0.2, min(5.0, deadline - time.monotonic())))
            facts.append(frame_facts(raw, frame.name, parent.url if parent else None,
                                      _origin(frame.url) != main_origin))
        except Exception as exc:  # noqa: BLE001 - detached, crashed or busy frame
            if layouts is not None:
                layouts.append(None)
            facts.append(FrameFacts(url=redact_url(frame.url), name=frame.name,
                                    parent_url=redact_url(parent.url) if parent else None,
                                    cross_origin=_origin(frame.url) != main_origin,
                                    error=str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__))
            continue
        if layouts is not None:
            layouts.append(await _placed(raw, frame, parent is None, deadline))
    return tuple(facts)


async def _placed(raw: Mapping[str, Any], frame: Frame, is_main: bool, deadline: float) -> FrameLayout | None:
    if is_main:
        return frame_layout(raw)
    try:
        offset = await _content_offset(frame, deadline)
    except Exception:  # noqa: BLE001 - the frame went away: its boxes cannot be placed
        return None
    return frame_layout(raw, offset) if offset is not None else None


_CONTENT_EDGE = """(el) => { const s = getComputedStyle(el);
  return [el.clientLeft + parseFloat(s.paddingLeft || '0'), el.clientTop + parseFloat(s.paddingTop || '0')]; }"""


async def _content_offset(frame: Frame, deadline: float) -> tuple[float, float] | None:
    """Where a child frame's content starts in the main viewport: its ``<iframe>`` element's box
    (Playwright measures it in main-viewport coordinates, through nested frames) plus border and
    padding; ``None`` when the frame has no box (hidden, detached)."""
    timeout = max(0.2, min(2.0, deadline - time.monotonic()))
    element = await asyncio.wait_for(frame.frame_element(), timeout=timeout)
    box = await asyncio.wait_for(element.bounding_box(), timeout=timeout)
    if box is None:
        return None
    edge = await asyncio.wait_for(element.evaluate(_CONTENT_EDGE), timeout=timeout)
    return box["x"] + float(edge[0]), box["y"] + float(edge[1])


def _origin(url: str) -> str:
    scheme = url.split(":", 1)[0]
    return f"{scheme}://{host_of(url)}"


def frame_facts(raw: Mapping[str, Any], name: str, parent_url: str | None, cross_origin: bool) -> FrameFacts:
    return FrameFacts(
        url=redact_url(raw.get("url", "")), name=name,
        parent_url=redact_url(parent_url) if parent_url is not None else None,
        cross_origin=cross_origin, title=raw.get("title", ""), headings=tuple(raw.get("headings", ())),
        text=raw.get("text", ""), nav_text=raw.get("nav_text", ""), lang=raw.get("lang", ""),
        forms=tuple(FormFacts(**{**f, "action": redact_url(f.get("action", ""))}) for f in raw.get("forms", ())),
        inputs=tuple(InputFacts(**i) for i in raw.get("inputs", ())),
        buttons=tuple(ButtonFacts(**b) for b in raw.get("buttons", ())),
        links=tuple(LinkFacts(**{**link, "href": redact_url(link.get("href", ""))}) for link in raw.get("links", ())),
        scripts=tuple(redact_url(s) for s in raw.get("scripts", ())),
        image_alts=tuple(raw.get("image_alts", ())),
        site_names=tuple(raw.get("site_names", ())),
    )
