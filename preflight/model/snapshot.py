"""Plain data shared by every layer: what a visit saw, what the checks concluded.

Nothing here imports Playwright, Click or Rich. Snapshots round-trip through JSON
(``to_dict``/``from_dict``) so that checks can be tested on stored pages in ``fixtures/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from preflight.model.serialize import from_jsonable, omit_empty, omit_none, to_jsonable


@dataclass(frozen=True)
class RedirectHop:
    """One response in the redirect chain of the main navigation (3xx hops and the final one)."""

    url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    """Lower-cased header names; repeated headers joined with ``\\n`` (as Playwright does)."""


@dataclass(frozen=True)
class TlsFacts:
    """What the browser reported about the main document's TLS connection."""

    protocol: str | None = None
    issuer: str | None = None
    subject: str | None = None
    valid_from: float | None = None
    """Unix time."""
    valid_to: float | None = None
    """Unix time."""


@dataclass(frozen=True)
class InputFacts:
    """One form control (``input``, ``select``, ``textarea``) as the page renders it."""

    tag: str = "input"
    type: str = "text"
    name: str = ""
    id: str = ""
    autocomplete: str = ""
    label: str = ""
    """Text of the associated ``<label>``, ``aria-label``, ``aria-labelledby`` or ``title``."""
    placeholder: str = ""
    visible: bool = True
    has_value: bool = False
    """Whether the control holds a pre-filled value (the value itself is never captured)."""
    required: bool = False
    inputmode: str = ""
    form_index: int | None = None
    """Index into ``FrameFacts.forms`` of the owning form; ``None`` for formless controls."""
    in_shadow: bool = False
    region: str = "main"
    """``form``, ``main``, ``nav``, ``header`` or ``footer`` (as ``LinkFacts.region``), so that
    formless controls can be grouped and a footer newsletter box told from a login card."""
    heading: str = ""
    """Nearest heading above the control (across shadow roots): the title of a formless card."""


@dataclass(frozen=True)
class FormFacts:
    """One ``<form>`` element."""

    action: str = ""
    """Absolute URL the browser would submit to (its ``form.action``)."""
    method: str = "get"
    id: str = ""
    name: str = ""
    target: str = ""
    text: str = ""
    """Visible text inside the form (labels, headings, buttons), trimmed."""
    heading: str = ""
    """Nearest heading above or inside the form."""
    region: str = "main"
    """Landmark the form stands in: ``main``, ``nav``, ``header`` or ``footer``."""


@dataclass(frozen=True)
class ButtonFacts:
    text: str = ""
    type: str = "submit"
    form_index: int | None = None
    visible: bool = True
    region: str = "main"
    """Where the button stands, as ``LinkFacts.region``: a header "Sign in" button is not a login."""


@dataclass(frozen=True)
class LinkFacts:
    href: str = ""
    """Absolute URL (``a.href``)."""
    text: str = ""
    region: str = "main"
    """Where the link stands: ``form``, ``main``, ``nav``, ``header`` or ``footer``. A
    ``header``/``footer`` inside sectioning content (a card's header) counts as ``main``."""


LOGIN_INPUT_TYPES = ("password", "email")
"""Input types that make a frame a place to sign in (with ``autocomplete=username`` fields)."""


@dataclass(frozen=True)
class FrameFacts:
    """DOM facts of one frame: the main frame is ``frames[0]`` of a snapshot."""

    url: str = ""
    name: str = ""
    parent_url: str | None = None
    cross_origin: bool = False
    title: str = ""
    headings: tuple[str, ...] = ()
    text: str = ""
    """Visible text, truncated to a bounded length: spaces collapsed, one ``\\n`` between blocks
    (a heading and the next paragraph are not one sentence); the text of open shadow roots
    (which ``innerText`` leaves out) is appended."""
    nav_text: str = ""
    """Visible text of ``nav``, ``header`` and ``footer`` landmarks (weighed less by classifiers),
    formatted like ``text``.
    A card's ``header`` inside sectioning content is main content, not a landmark."""
    forms: tuple[FormFacts, ...] = ()
    inputs: tuple[InputFacts, ...] = ()
    buttons: tuple[ButtonFacts, ...] = ()
    links: tuple[LinkFacts, ...] = ()
    scripts: tuple[str, ...] = ()
    """Absolute ``src`` of every external script element."""
    lang: str = ""
    error: str | None = None
    """Set when the frame's DOM could not be read (detached, crashed)."""
    image_alts: tuple[str, ...] = omit_empty(())
    """Alt text (or ``aria-label``) of visible images: a logo says whose site this presents itself as."""
    site_names: tuple[str, ...] = omit_empty(())
    """The name the page gives itself in its head: ``og:site_name``, ``application-name``, the
    favicon's title (shown in link previews, app shortcuts and bookmarks)."""

    @property
    def has_login_fields(self) -> bool:
        """A visible password, e-mail or user-name field: where a person would sign in."""
        return any(i.visible and (i.type in LOGIN_INPUT_TYPES or "username" in i.autocomplete.split())
                   for i in self.inputs)


@dataclass(frozen=True)
class CookieFacts:
    """A cookie in the browser's jar after the visit. The value is never kept."""

    name: str
    domain: str
    path: str = "/"
    expires: float = -1
    """Unix time; -1 for a session cookie."""
    size: int = 0
    """len(name) + len(value), as browsers count it."""
    value_sha256: str = ""
    """First 12 hex digits of the SHA-256 of the value, to compare without showing it."""
    secure: bool = False
    http_only: bool = False
    same_site: str = "Lax"


@dataclass(frozen=True)
class SetCookieHeader:
    """A raw ``Set-Cookie`` header seen on a response, with its value redacted."""

    url: str
    header: str
    """The header with the cookie value replaced by ``<redacted len=N sha=…>``."""
    name: str = ""
    value_length: int = 0
    value_sha256: str = ""
    date: str | None = None
    """The response's ``Date`` header, to judge lifetimes against the server's clock."""


@dataclass(frozen=True)
class BlockedRequest:
    """An attempt to send something that the no-submission guard stopped."""

    method: str
    url: str
    """Redacted: query values of token-like parameters and userinfo removed."""
    reason: str
    """``non-get-method``, ``form-submit``, ``beacon``, ``websocket``, ``secret-in-url``, ..."""
    layer: str = "network"
    """``network`` (route aborted it), ``page`` (the in-page guard stopped it, in a frame or a worker)
    or ``detected`` (DevTools saw it happen: nothing stopped it; ``submission.unguarded_path``)."""
    carries_field_value: bool = False
    """Whether it would have carried a value of the page's fields (in its URL, headers or body)."""


@dataclass(frozen=True)
class ResourceRequest:
    """A request the page made (not blocked), kept for host judgements."""

    url: str
    resource_type: str
    frame_url: str = ""


@dataclass(frozen=True)
class ClockSample:
    """One timed request for clock skew: local send/receive times and the server's Date."""

    host: str
    sent: float
    received: float
    date_header: str | None
    status: int = 0


@dataclass(frozen=True)
class Box:
    """A rectangle in CSS pixels, relative to the top left corner of a ``PageView`` screenshot."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class PageView:
    """What the page looked like: a viewport screenshot kept in memory (for ``--html``), and where
    on it the login form stands. Field values are hidden before the picture is taken."""

    png: bytes
    width: int
    """Viewport width, CSS pixels (the PNG is this wide at device scale 1)."""
    height: int
    """Viewport height, CSS pixels."""
    login_form: Box | None = None
    """The form holding the page's login fields (or the group of those fields when there is no
    ``<form>``); ``None`` without login fields. May reach past the viewport: see ``clipped``."""
    login_fields: tuple[Box, ...] = ()
    """The visible controls of that form a person types into or ticks."""
    frame_url: str = ""
    """URL of the frame holding the form when it is not the main page."""
    masked: bool = False
    """Fields held values, so every text field is painted over in the picture."""

    def clipped(self, box: Box) -> Box | None:
        """``box`` cut to the screenshot, ``None`` when none of it is on the picture."""
        left, top = max(0.0, box.x), max(0.0, box.y)
        right, bottom = min(float(self.width), box.x + box.width), min(float(self.height), box.y + box.height)
        if right - left < 1 or bottom - top < 1:
            return None
        return Box(left, top, right - left, bottom - top)


@dataclass(frozen=True)
class PageSnapshot:
    """Everything one visit saw, as plain data. Checks read only this."""

    requested_url: str
    final_url: str = ""
    http_status: int | None = None
    redirects: tuple[RedirectHop, ...] = ()
    """Every response of the main navigation, first request first, final response last."""
    navigations: tuple[str, ...] = ()
    """Main-frame URLs committed after the first (script or meta-refresh navigations allowed)."""
    response_headers: Mapping[str, str] = field(default_factory=dict)
    tls: TlsFacts | None = None
    frames: tuple[FrameFacts, ...] = ()
    cookies: tuple[CookieFacts, ...] = ()
    set_cookie_headers: tuple[SetCookieHeader, ...] = ()
    requests: tuple[ResourceRequest, ...] = ()
    blocked_requests: tuple[BlockedRequest, ...] = ()
    console_errors: tuple[str, ...] = ()
    dialogs: tuple[str, ...] = ()
    """Dialogs the page opened (``alert``, ``confirm`` ...), dismissed by capture."""
    clock_samples: tuple[ClockSample, ...] = ()
    cookies_enabled: bool | None = None
    load_complete: bool = True
    """False when the page never fired ``load`` within the time allowed (captured as it was)."""
    timings: Mapping[str, float] = field(default_factory=dict)
    screenshot: str | None = None
    view: PageView | None = omit_none()
    """The page as a picture, with its login form located (only when a report asked for it)."""
    captured_at: float = 0.0
    """Local Unix time when the main response arrived."""
    error: str | None = None
    """Set when the visit ended early; the fields above hold what was seen before."""
    existing_cookies: ExistingCookies | None = None
    """Cookies the browser held before the visit (``--storage-state`` / ``--profile``), if any."""
    third_party_probe: ThirdPartyProbe | None = None
    """The page visited again with third-party cookies allowed and blocked (only when the visit
    saw a sign-in frame from another site that uses cookies)."""
    integrity: IntegrityFacts | None = omit_none()
    """Digests for login-page baselines (only when asked: ``baseline save``, ``check --baseline``)."""
    browser_endpoint: str | None = omit_none()
    """The remote browser (``--connect``/``--cdp`` endpoint, redacted) that made the visit; None for a local one."""

    @property
    def page_urls(self) -> tuple[str, ...]:
        """Every URL the main frame showed, in order, once each: redirect hops, the final page,
        later script navigations; the requested URL when the visit never got an answer."""
        urls = [hop.url for hop in self.redirects] + [self.final_url, *self.navigations]
        unique = tuple(dict.fromkeys(u for u in urls if u))
        return unique or ((self.requested_url,) if self.requested_url else ())

    @property
    def main_frame(self) -> FrameFacts:
        return self.frames[0] if self.frames else FrameFacts(url=self.final_url)

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PageSnapshot:
        return from_jsonable(cls, data)


@dataclass(frozen=True)
class ExistingCookies:
    """Cookies a browser already held before the visit: a saved state or a user's profile.

    Values are never kept: ``CookieFacts`` carries a length and a short hash only.
    """

    source: str
    """``storage-state`` (a Playwright JSON file) or ``profile`` (a Chrome/Edge/Chromium folder)."""
    location: str = ""
    """The file or folder as given on the command line."""
    browser: str = ""
    """``chrome``, ``edge``, ``chromium`` or ``""`` when the folder does not say."""
    cookies: tuple[CookieFacts, ...] = ()
    """Every stored cookie, expired ones included (browsers drop those only when they next look)."""
    undecryptable: int = 0
    """Profile cookies whose values this browser could not decrypt (another machine's key):
    audited from their stored attributes, sizes estimated."""
    read_at: float = 0.0
    """Local Unix time the state was read, for expiry judgements."""


@dataclass(frozen=True)
class ThirdPartyProbe:
    """Two more visits, alike but for third-party cookies: allowed, then blocked.

    Fresh automation contexts already block third-party cookies (as Incognito does), so the
    allowed visit runs in a throwaway regular profile; the blocked one in a fresh context with
    the block switched on explicitly. Neither carries saved state.
    """

    allowed: PageSnapshot | None = None
    """Third-party cookies allowed, as in a default Chrome or Edge profile."""
    blocked: PageSnapshot | None = None
    """Third-party cookies blocked, as in Incognito/InPrivate, Safari, or with the setting on."""
    error: str | None = None
    """Why the comparison could not be made (launch failure, timeout)."""


@dataclass(frozen=True)
class ScriptFacts:
    """One script that ran in a frame: an external file by address and content hash, an inline
    one by content hash. The text itself is never kept."""

    frame_url: str
    """The frame it ran in (query values redacted)."""
    url: str = ""
    """Where an external script came from (query values redacted); ``""`` for an inline script."""
    sha256: str = ""
    """SHA-256 of the script's text (hex); ``""`` when its body could not be read."""
    size: int = 0
    integrity: bool = False
    """The element carried a Subresource Integrity ``integrity`` attribute."""


@dataclass(frozen=True)
class CertificateFacts:
    """The main document's server certificate, as DevTools handed it over (DER, digested)."""

    spki_sha256: str
    """Base64 SHA-256 of the SubjectPublicKeyInfo: the key, as Chromium pins it."""
    issuer: str = ""
    subject: str = ""
    not_before: float = 0.0
    """Unix time."""
    not_after: float = 0.0
    """Unix time."""
    san: tuple[str, ...] = ()
    """DNS names and addresses of the SubjectAlternativeName extension, sorted."""


@dataclass(frozen=True)
class IntegrityFacts:
    """What a login-page baseline compares: digests, never contents."""

    scripts: tuple[ScriptFacts, ...] = ()
    favicon_url: str = ""
    favicon_sha256: str = ""
    """SHA-256 of the icon the browser fetched for the page (``""`` when none was fetched)."""
    visual_hash: str = ""
    """Difference hash of a screenshot of the page (``rules.integrity.visual_hash``)."""
    certificate: CertificateFacts | None = None
    elapsed_s: float = 0.0
    """Time the digests added to the visit."""
