"""Builders for pages the portal check reads: a login page in a few lines, with only what a test
cares about (see ``tests/factories.py`` for the snapshot around it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from preflight.model.snapshot import (
    ButtonFacts,
    FormFacts,
    FrameFacts,
    InputFacts,
    LinkFacts,
    PageSnapshot,
)

from .factories import snapshot

PORTAL = "https://portal.example-health.com/login"


def box(label: str = "", type: str = "text", *, form: int | None = 0, **fields: Any) -> InputFacts:
    """A visible control in form ``form`` (``None``: formless)."""
    region = fields.pop("region", "form" if form is not None else "main")
    return InputFacts(type=type, label=label, form_index=form, region=region,
                      tag=fields.pop("tag", "input"), **fields)


def password(label: str = "Password", *, form: int | None = 0, **fields: Any) -> InputFacts:
    return box(label, "password", form=form, **fields)


def button(text: str, *, form: int | None = 0, type: str = "submit", region: str | None = None) -> ButtonFacts:
    return ButtonFacts(text=text, type=type, form_index=form, region=region or ("form" if form is not None else "main"))


def link(text: str, href: str, region: str = "form") -> LinkFacts:
    return LinkFacts(href=href, text=text, region=region)


def form(heading: str = "", text: str = "", region: str = "main") -> FormFacts:
    return FormFacts(action="https://portal.example-health.com/session", method="post", heading=heading,
                     text=text, region=region)


def frame(*, url: str = PORTAL, title: str = "", headings: Sequence[str] = (), text: str = "", nav_text: str = "",
          forms: Sequence[FormFacts] = (), inputs: Sequence[InputFacts] = (), buttons: Sequence[ButtonFacts] = (),
          links: Sequence[LinkFacts] = (), cross_origin: bool = False) -> FrameFacts:
    """One frame; ``text`` defaults to the title, headings and labels, as a browser would show."""
    shown = text or "\n".join([*headings, *(i.label for i in inputs), *(b.text for b in buttons)])
    return FrameFacts(url=url, title=title, headings=tuple(headings), text=shown, nav_text=nav_text,
                      forms=tuple(forms), inputs=tuple(inputs), buttons=tuple(buttons), links=tuple(links),
                      cross_origin=cross_origin)


def page(*frames: FrameFacts, url: str | None = None) -> PageSnapshot:
    return snapshot(url or (frames[0].url if frames else PORTAL), frames=tuple(frames))


def login_page(heading: str = "Sign in", *, title: str = "Sign in", user_label: str = "User ID",
               user_type: str = "text", text: str = "", url: str = PORTAL, nav_text: str = "",
               extra: Sequence[InputFacts] = (), links: Sequence[LinkFacts] = (), **box_fields: Any) -> PageSnapshot:
    """A plain user name + password form under ``heading``."""
    inputs = [box(user_label, user_type, **box_fields), password(), *extra]
    return page(frame(url=url, title=title, headings=(heading,), text=text, nav_text=nav_text,
                      forms=[form(heading)], inputs=inputs, buttons=[button("Log in")], links=links))
