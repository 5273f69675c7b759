"""Where the login form stands on a screenshot: pure arithmetic over the boxes ``dom.js`` measured.

Kept apart from ``visit.py`` (and free of Playwright) so it is tested without a browser. The form
chosen is the one holding the page's login fields, grouped the way the portal check groups them
(by ``<form>``, formless controls by landmark): one password box beats a sign-up's two, an
identifier alone counts less, the main page beats a frame and content beats menus and footers.
On a page where the portal check's vocabulary picks another of several login-shaped forms, the
outline can mark a different one; the report's text always follows the portal check.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from preflight.model.snapshot import LOGIN_INPUT_TYPES, Box, FrameFacts, InputFacts, PageView

_NOT_FIELDS = frozenset({"hidden", "submit", "button", "image", "reset", "file"})
_LANDMARKS = ("nav", "header", "footer")
_PAD = 8.0
"""CSS px around a formless group's fields, so the outline does not sit on their borders."""


@dataclass(frozen=True)
class FrameLayout:
    """Boxes of one frame's forms, controls and buttons, aligned with its ``FrameFacts`` lists,
    already moved into the main page's viewport."""

    forms: tuple[Box | None, ...] = ()
    inputs: tuple[Box | None, ...] = ()
    buttons: tuple[Box | None, ...] = ()


def frame_layout(raw: Mapping[str, Any], offset: tuple[float, float] = (0.0, 0.0)) -> FrameLayout:
    """``dom.js``'s ``*_boxes`` lists (``[x, y, w, h]`` in the frame's viewport) moved by ``offset``
    (where the frame's content starts in the main viewport)."""

    def boxes(key: str) -> tuple[Box | None, ...]:
        found: list[Box | None] = []
        for item in raw.get(key) or ():
            if isinstance(item, (list, tuple)) and len(item) == 4 and all(isinstance(v, (int, float)) for v in item):
                x, y, w, h = (float(v) for v in item)
                found.append(Box(x + offset[0], y + offset[1], w, h) if w >= 2 and h >= 2 else None)
            else:
                found.append(None)
        return tuple(found)

    return FrameLayout(boxes("form_boxes"), boxes("input_boxes"), boxes("button_boxes"))


def _is_login_field(control: InputFacts) -> bool:
    return control.visible and (control.type in LOGIN_INPUT_TYPES or "username" in control.autocomplete.split())


def _union(boxes: Sequence[Box], pad: float = 0.0) -> Box:
    left = min(b.x for b in boxes) - pad
    top = min(b.y for b in boxes) - pad
    right = max(b.x + b.width for b in boxes) + pad
    bottom = max(b.y + b.height for b in boxes) + pad
    return Box(round(left, 1), round(top, 1), round(right - left, 1), round(bottom - top, 1))


def _contains(outer: Box, inner: Box) -> bool:
    cx, cy = inner.x + inner.width / 2, inner.y + inner.height / 2
    return outer.x <= cx <= outer.x + outer.width and outer.y <= cy <= outer.y + outer.height


@dataclass
class _Candidate:
    frame_index: int
    form_index: int | None
    region: str
    controls: list[int]
    score: float = 0.0


def _candidates(frame_index: int, frame: FrameFacts) -> list[_Candidate]:
    groups: dict[tuple[int | None, str], _Candidate] = {}
    for index, control in enumerate(frame.inputs):
        if control.form_index is not None and control.form_index < len(frame.forms):
            key: tuple[int | None, str] = (control.form_index, "form")
            region = frame.forms[control.form_index].region
        else:
            region = control.region if control.region in _LANDMARKS else "main"
            key = (None, region)
        groups.setdefault(key, _Candidate(frame_index, key[0], region, [])).controls.append(index)
    found = []
    for group in groups.values():
        controls = [frame.inputs[i] for i in group.controls]
        if not any(_is_login_field(c) for c in controls):
            continue
        passwords = sum(1 for c in controls if c.visible and c.type == "password")
        group.score = {0: 2.0, 1: 3.0}.get(passwords, 1.0)
        group.score += 0.5 if frame_index == 0 else 0.0
        group.score -= 1.0 if group.region in _LANDMARKS else 0.0
        found.append(group)
    return found


def locate_login(frames: Sequence[FrameFacts], layouts: Sequence[FrameLayout | None]
                 ) -> tuple[Box | None, tuple[Box, ...], int | None]:
    """``(form box, field boxes, frame index)`` of the login form, or ``(None, (), None)``."""
    best: _Candidate | None = None
    for index, (frame, layout) in enumerate(zip(frames, layouts)):
        if layout is None or frame.error:
            continue
        for candidate in _candidates(index, frame):
            if best is None or candidate.score > best.score:
                best = candidate
    if best is None:
        return None, (), None
    frame, layout = frames[best.frame_index], layouts[best.frame_index]
    assert layout is not None
    fields = [box for i in best.controls
              if i < len(layout.inputs) and (box := layout.inputs[i]) is not None
              and frame.inputs[i].visible and frame.inputs[i].type not in _NOT_FIELDS]
    if not fields:
        return None, (), None
    form_box = None
    if best.form_index is not None and best.form_index < len(layout.forms):
        form_box = layout.forms[best.form_index]
        # A form can be laid out smaller than what it holds (floats, display: contents).
        if form_box is not None and not all(_contains(form_box, f) for f in fields):
            form_box = None
    if form_box is None:
        buttons = [box for i, button in enumerate(frame.buttons)
                   if i < len(layout.buttons) and (box := layout.buttons[i]) is not None and button.visible
                   and (button.form_index == best.form_index if best.form_index is not None
                        else button.form_index is None and (button.region if button.region in _LANDMARKS
                                                            else "main") == best.region)]
        # Only buttons next to the fields: a formless page's other buttons may be anywhere.
        near = [b for b in buttons if _near(_union(fields), b)]
        form_box = _union([*fields, *near], pad=_PAD)
    return form_box, tuple(fields), best.frame_index


def _near(area: Box, box: Box, gap: float = 120.0) -> bool:
    return (box.x < area.x + area.width + gap and box.x + box.width > area.x - gap
            and box.y < area.y + area.height + gap and box.y + box.height > area.y - gap)


def page_view(png: bytes, width: int, height: int, frames: Sequence[FrameFacts],
              layouts: Sequence[FrameLayout | None]) -> PageView:
    form, fields, frame_index = locate_login(frames, layouts)
    frame_url = frames[frame_index].url if frame_index else ""
    return PageView(png=png, width=width, height=height, login_form=form, login_fields=fields, frame_url=frame_url)
