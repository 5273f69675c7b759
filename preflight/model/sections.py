"""The check sections of the JSON report, typed: ``portal``, ``clock`` and ``cookies``.

Each is a frozen dataclass documented field by field; ``preflight.model.serialize.to_jsonable``
turns it into JSON and ``preflight.model.schema`` turns the same types (and these docstrings)
into ``preflight/schema/run.schema.json``. Field order is key order in JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from preflight.model.serialize import omit_empty, omit_none, schema_keywords

# --------------------------------------------------------------------------- portal

Role = Literal["provider", "member", "employer", "broker", "unknown"]
"""Whose login a page is (``unknown``: none could be told)."""

LoginFormKind = Literal["password", "identifier-first", "password-only", "sso", "none"]
UsernameKind = Literal["username", "email", "member-id", "npi", "tin"]
FieldKind = Literal[
    "username", "email", "member-id", "npi", "tin", "group-id", "agent-id", "phone", "password",
    "date-of-birth", "one-time-code", "remember-me", "terms", "name", "address", "card", "search",
    "captcha", "choice", "checkbox", "textarea", "text",
]
PasswordRole = Literal["current", "new", "confirm"]
HostVerdictName = Literal["official", "same-organization", "lookalike", "unrelated", "invalid"]


@dataclass(frozen=True)
class PortalField:
    """One visible control of the login form, as a person would describe it."""

    kind: FieldKind
    """What the control asks for; ``text`` is a text box nothing more is known about."""
    label: str
    """What the page calls it: label, else placeholder, else name attribute."""
    type: str
    """The control's ``type`` attribute, lower case (``text``, ``email``, ``password``, ``select`` ...)."""
    autocomplete: str = omit_empty("")
    """The control's ``autocomplete`` attribute, as written; left out when there is none."""
    required: bool = omit_empty(False)
    """The control is marked required; left out when it is not."""
    takes_email: bool = omit_empty(False)
    """An identifier box that accepts an email address; left out when it does not."""
    password_role: PasswordRole | None = omit_empty(None)
    """For passwords, when the page says so; left out otherwise."""


@dataclass(frozen=True)
class RecoveryLinkEntry:
    """A "Forgot user ID / password" link and where it points."""

    text: str
    """The link's words."""
    href: str
    """Where it points (absolute URL)."""
    host: str
    """Host of ``href``."""
    offsite: bool
    """Points to another organization (registrable domain) than the page it is on."""


@dataclass(frozen=True)
class LoginLinkEntry:
    """On a page without a login: a link whose words say it leads to one ("Log in to Provider Access")."""

    text: str
    """The link's words."""
    href: str
    """Where it points (absolute URL)."""
    host: str
    """Host of ``href``."""
    verdict: HostVerdictName
    """What the allowlist makes of ``host``, as ``preflight vet`` would say it."""
    portal: str | None = omit_none()
    """``"<payer> <portal name>"`` when ``host`` is official."""
    lookalike_of: str | None = omit_none()
    """The allowlisted host or domain ``host`` imitates (``lookalike`` only)."""


@dataclass(frozen=True)
class MaintenanceEntry:
    """A page that says the portal is down on purpose, and what it tells people to do."""

    says: str
    """The title or heading saying so."""
    phones: tuple[str, ...]
    """Phone numbers the page gives (text and ``tel:`` links), as written."""
    windows: tuple[str, ...]
    """Sentences of the page holding a clock time: the outage window as the page states it."""


@dataclass(frozen=True)
class PortalSection:
    """Which login this is (portal check): the login form's kind and anatomy, and whose login it is."""

    role: Role
    """Whose login the page reads as."""
    confidence: float = field(metadata=schema_keywords(minimum=0, maximum=1))
    """How sure the role is, in [0, 1]. For ``unknown``: how sure the page is none of the roles."""
    login_form: LoginFormKind
    """The login form's kind; ``none`` when the page has none."""
    username_kind: UsernameKind | None
    """What the identifier box asks for; null without one."""
    takes_email: bool
    """The identifier box accepts an email address."""
    fields: tuple[PortalField, ...]
    """The login form's visible controls, in page order."""
    remember_me: bool
    """The login form has a remember-me box."""
    mfa: bool
    """A one-time-code box is part of the login form."""
    recovery_links: tuple[RecoveryLinkEntry, ...]
    """Forgot user ID / password links near the form."""
    frame_url: str | None
    """URL of the frame holding the login form; null when it is in the main page."""
    evidence: tuple[str, ...]
    """Strongest clues for the role (for ``unknown``: why, then the best candidate's clues)."""
    counter_evidence: tuple[str, ...]
    """Strongest clues for other roles, cross-links included."""
    scores: Mapping[str, float]
    """Evidence points per role, after weighing positions."""
    health_context: float
    """Health-care evidence points; below the vocabulary's ``decision.min_health`` no role is assigned."""
    login_reasons: tuple[str, ...]
    """Why the form was judged a login form, in plain words."""
    not_login_forms: tuple[str, ...]
    """Other forms seen and why they are not logins."""
    login_elsewhere: tuple[LoginLinkEntry, ...] = omit_empty(())
    """Without a login form: the links that lead to a login, content before menus (at most 3)."""
    maintenance: MaintenanceEntry | None = omit_none()
    """Without a login form: the page says the portal is down for maintenance."""


# --------------------------------------------------------------------------- clock

ClockVerdict = Literal["pass", "warn", "fail", "unmeasurable"]


@dataclass(frozen=True)
class ClockReference:
    """One portal host whose clock was measured."""

    host: str
    """The host the timed requests went to."""
    skew_seconds: float | None
    """This computer minus the host, seconds; null when it could not be measured."""
    uncertainty_seconds: float | None = field(metadata=schema_keywords(minimum=0))
    """Half-width of the proven interval around ``skew_seconds``; null when not measured."""
    samples: int = field(metadata=schema_keywords(minimum=0))
    """Timed requests to this host."""
    trusted: bool
    """Used for the combined skew (not an odd one out, not unmeasured)."""
    reason: str | None = omit_empty(None)
    """Why the host could not be measured; left out when it could."""


@dataclass(frozen=True)
class ClockSection:
    """Clock skew (clock check): this computer minus the portal, seconds."""

    skew_seconds: float | None
    """Median skew of the trusted hosts; null when unmeasurable."""
    uncertainty_seconds: float | None = field(metadata=schema_keywords(minimum=0))
    """Half-width of the proven interval around ``skew_seconds``; null when unmeasurable."""
    samples: int = field(metadata=schema_keywords(minimum=0))
    """Timed requests, all hosts together."""
    spread_seconds: float = field(metadata=schema_keywords(minimum=0))
    """Largest minus smallest skew among the trusted hosts."""
    references: tuple[ClockReference, ...]
    """Every measured host, in the order they were first timed."""
    verdict: ClockVerdict
    """The worst clock finding, or ``unmeasurable``."""
    reason: str | None = omit_none()
    """Why the clock could not be compared; only with verdict ``unmeasurable``."""


# --------------------------------------------------------------------------- cookies

SignInKind = Literal["frame", "service"]
ExistingSource = Literal["storage-state", "profile"]


@dataclass(frozen=True)
class CookieEntry:
    """A cookie the visit left in the browser's jar. Its value never appears."""

    name: str
    domain: str
    """As the jar holds it: a leading dot for a Domain cookie."""
    path: str
    host_only: bool
    """Sent to the exact host only (no ``Domain`` attribute)."""
    expires: float | None
    """Unix time; null for a session cookie."""
    session: bool
    """Lives until the browser closes."""
    size: int = field(metadata=schema_keywords(minimum=0))
    """len(name) + len(value), as browsers count it."""
    value_sha256: str
    """First 12 hex digits of the SHA-256 of the value, to compare without showing it."""
    secure: bool
    http_only: bool
    same_site: str
    """``SameSite`` as the browser applies it (``Lax`` when unset)."""
    same_site_sent: str | None
    """``SameSite`` as the portal's ``Set-Cookie`` wrote it, ``unset`` without one; null when no header matched."""


@dataclass(frozen=True)
class RejectedCookieEntry:
    """A ``Set-Cookie`` of the visit whose cookie is not in the jar."""

    name: str
    reason: str
    """Stable reason code (``samesite_none_insecure``, ``host_prefix``, ``third_party``, ``unknown`` ...)."""
    detail: str
    """The reason in plain words."""
    host: str
    """The host that sent the ``Set-Cookie``."""
    value_length: int = field(metadata=schema_keywords(minimum=0))
    cross_site: bool
    """Set from another site's frame or request."""


@dataclass(frozen=True)
class SignInEntry:
    """A frame or service from another site than the page's that signs people in or uses cookies."""

    host: str
    site: str
    """Its registrable domain."""
    kind: SignInKind
    """``frame`` (an embedded document) or ``service`` (requests that set cookies, no frame)."""
    login_fields: bool
    """Its frame shows login fields."""
    cookies: tuple[str, ...]
    """Names of the cookies its responses set or tried to set."""


@dataclass(frozen=True)
class ThirdPartySection:
    """Does login need third-party cookies (two extra visits: allowed, then blocked)?"""

    sign_ins: tuple[SignInEntry, ...]
    """Other sites' sign-in frames and cookie-setting services."""
    checked: bool
    """The comparison visits were made."""
    allowed_login: bool | None
    """Login fields showed with third-party cookies allowed; null when not compared."""
    blocked_login: bool | None
    """Login fields showed with third-party cookies blocked; null when not compared."""
    required: bool | None
    """Login needs third-party cookies; null when not compared."""
    error: str | None
    """Why the comparison visits failed; null when they did not."""
    cookies_allowed: tuple[str, ...] | None = omit_none()
    """Sign-in frames' cookies with third-party cookies allowed; only when compared."""
    cookies_blocked: tuple[str, ...] | None = omit_none()
    """Sign-in frames' cookies with third-party cookies blocked; only when compared."""


@dataclass(frozen=True)
class ClearAdvice:
    """Where to delete one site's cookies, in Chrome and in Edge."""

    site: str
    """Registrable domain whose data to clear."""
    chrome: str
    """Chrome settings page for the site."""
    edge: str
    """Edge settings page for site data."""
    steps: str
    """The same, in words."""


@dataclass(frozen=True)
class StoredCookie:
    """A cookie held before the visit (saved state or profile). Its value never appears."""

    name: str
    domain: str
    path: str
    expires: float | None
    """Unix time; null for a session cookie."""
    size: int = field(metadata=schema_keywords(minimum=0))
    """len(name) + len(value), as browsers count it."""
    value_sha256: str
    """First 12 hex digits of the SHA-256 of the value."""


@dataclass(frozen=True)
class LeftoverSession(StoredCookie):
    """A sign-in cookie from an earlier session."""

    replaced_by_visit: bool
    """The visit replaced its value (a new sign-in session started)."""


@dataclass(frozen=True)
class ConflictingCookies:
    """Several stored cookies of one name for the portal (different domain or path)."""

    name: str
    variants: tuple[StoredCookie, ...]
    """Each cookie of that name."""
    clear: tuple[ClearAdvice, ...]
    """Where to delete them."""


@dataclass(frozen=True)
class ExistingSection:
    """What an existing profile or saved state held for the portal."""

    source: ExistingSource
    """``storage-state`` (a Playwright JSON file) or ``profile`` (a Chrome/Edge/Chromium folder)."""
    location: str
    """The file or folder as given on the command line."""
    browser: str
    """``chrome``, ``edge``, ``chromium`` or empty when the folder does not say."""
    cookies: int = field(metadata=schema_keywords(minimum=0))
    """Stored cookies, all sites."""
    portal_cookies: int = field(metadata=schema_keywords(minimum=0))
    """Stored cookies the portal's hosts receive."""
    expired: tuple[StoredCookie, ...]
    """Portal cookies already expired but still stored."""
    conflicting: tuple[ConflictingCookies, ...]
    """Portal cookie names stored more than once."""
    leftover_sessions: tuple[LeftoverSession, ...]
    """Sign-in cookies from an earlier session."""
    header_bytes: Mapping[str, int]
    """``Cookie`` header size per host from the stored cookies alone."""
    undecryptable: int = field(metadata=schema_keywords(minimum=0))
    """Profile cookies whose values could not be decrypted (sizes estimated)."""
    clear: tuple[ClearAdvice, ...]
    """Where to delete the portal's stored cookies."""


@dataclass(frozen=True)
class CookiesSection:
    """Cookie state (cookies check). Values never appear: only length and a short hash."""

    enabled: bool | None
    """Cookies work in this browser; null when it could not be told."""
    set: tuple[CookieEntry, ...]
    """Cookies the visit set (capture's own probe and unchanged stored cookies left out)."""
    rejected: tuple[RejectedCookieEntry, ...]
    """Cookies the portal sent that the browser did not keep."""
    header_bytes: Mapping[str, int]
    """``Cookie`` header size per host of the visit, bytes."""
    header_cookies: Mapping[str, int]
    """Cookies in that header, per host."""
    header_limit_bytes: int
    """The common servers' header limit the sizes are judged against."""
    third_party: ThirdPartySection
    """Third-party sign-ins and whether login needs third-party cookies."""
    existing: ExistingSection | None
    """The existing profile or saved state; null without one."""


# --------------------------------------------------------------------------- baseline


BaselineStatus = Literal["compared", "not_baselined"]


@dataclass(frozen=True)
class BaselineChange:
    """One difference between the baseline and this visit."""

    code: str = field(metadata=schema_keywords(pattern="^baseline\\.[a-z_]+$"))
    """The finding code (README's code table)."""
    severity: Literal["info", "pass", "warn", "fail"]
    """How much it matters."""
    subject: str
    """What changed: a script's address, a host, a field's name ..."""
    ignored: bool
    """Matched a ``[baseline] ignore`` pattern of preflight.toml: counted, not reported."""


@dataclass(frozen=True)
class BaselineSection:
    """How this visit compares with the login page's baseline (``check --baseline``)."""

    status: BaselineStatus
    """``compared``, or ``not_baselined`` when the baseline has no entry for this target."""
    saved_at: float | None
    """When the entry compared against was taken (Unix time); null when there is none."""
    changes: tuple[BaselineChange, ...]
    """Every difference found, ignored ones included."""
    counts: Mapping[str, int]
    """Reported (not ignored) changes per kind (``form_action_changed`` ...): the
    ``preflight_baseline_changes{kind}`` figures."""
    visual_distance: float | None = field(metadata=schema_keywords(minimum=0, maximum=1))
    """Share of the perceptual hash's bits that differ (0 identical, about 0.5 unrelated); null
    when either side has no screenshot hash."""


Section = PortalSection | ClockSection | CookiesSection | BaselineSection
"""What a check puts in ``CheckResult.data``."""

__all__ = [
    "BaselineChange", "BaselineSection", "BaselineStatus", "ClearAdvice", "ClockReference", "ClockSection", "ClockVerdict", "ConflictingCookies", "CookieEntry",
    "CookiesSection", "ExistingSection", "FieldKind", "LeftoverSession", "LoginFormKind", "PasswordRole",
    "PortalField", "PortalSection", "RecoveryLinkEntry", "RejectedCookieEntry", "Role", "Section",
    "SignInEntry", "StoredCookie", "ThirdPartySection", "UsernameKind",
]
