"""Login-page baselines (``preflight/baseline@1``) and what a comparison found (``results[].baseline``).

A baseline holds the stable facts of each official login, taken at go-live by ``preflight
baseline save``: hosts, the login form's anatomy, where it posts, which scripts run in it (by
address and content hash), the certificate's key and issuer, the role, the favicon's hash and a
perceptual hash of the page. Nothing secret: no cookie values, no field values, no query values
(addresses are kept without their query). ``preflight.model.schema`` generates
``preflight/schema/baseline.schema.json`` from these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from preflight.model.report import RunReport
from preflight.model.sections import BaselineSection, LoginFormKind, Role
from preflight.model.serialize import omit_none, schema_keywords
from preflight.rules.integrity import without_query

SCHEMA_BASELINE = "preflight/baseline@1"


@dataclass(frozen=True)
class BaselineField:
    """One visible control of the login form."""

    name: str
    """Its ``name`` attribute (``""`` when it has none)."""
    type: str
    """Its ``type`` (``text``, ``password``, ``email``, ``select`` ...)."""
    autocomplete: str
    """Its ``autocomplete`` attribute, as written."""
    label: str
    """What the page calls it (label, else placeholder)."""
    kind: str
    """What it asks for, as ``results[].portal.fields[].kind`` says (``username``, ``password``,
    ``card``, ``date-of-birth`` ...), or ``ssn`` for a Social Security number."""


@dataclass(frozen=True)
class BaselineFormAction:
    """Where a form holding login fields would send them (without the query)."""

    frame: str
    """``main``, or the origin of the frame the form sits in."""
    host: str
    """Host of the form's action."""
    path: str
    """Path of the form's action."""
    same_origin: bool
    """The action is on the frame's own origin (compared by path only: a frame that moved takes
    its form along, and that is one change, the frame's)."""
    method: str
    """``get`` or ``post``."""


@dataclass(frozen=True)
class BaselineScript:
    """A script that runs in the page: external by address and content hash, inline by content hash."""

    key: str
    """How it is matched later: origin (``self`` for the frame's own) and path with version and
    build-hash tokens as ``*``; ``inline`` for inline scripts."""
    url: str
    """Its address without the query (``""`` for inline scripts)."""
    origin: str
    """``https://host[:port]`` it came from (``""`` for inline scripts)."""
    sha256: str
    """SHA-256 of its text; ``""`` when the body could not be read."""
    inline: bool
    """An inline ``<script>`` element."""
    sri: bool
    """Loaded with a Subresource Integrity ``integrity`` attribute."""
    login_frame: bool
    """It runs in a frame holding login fields (where it can read the password box)."""


@dataclass(frozen=True)
class BaselineCertificate:
    """The main page's server certificate."""

    spki_sha256: str
    """Base64 SHA-256 of the public key (Chromium's pin format)."""
    issuer: str
    """Issuer distinguished name (RFC 4514)."""
    subject: str
    """Subject distinguished name (RFC 4514)."""
    not_before: float
    """Unix time."""
    not_after: float
    """Unix time."""
    san: tuple[str, ...]
    """SubjectAlternativeName DNS names and addresses, sorted."""


@dataclass(frozen=True)
class BaselineEntry:
    """The stable facts of one target's login page."""

    target: str
    """The URL as given, without its query."""
    final_url: str
    """Where the visit landed, without its query."""
    saved_at: float = field(metadata=schema_keywords(minimum=0))
    """Unix time the facts were taken."""
    host_chain: tuple[str, ...]
    """Hosts the main frame went through (redirect hops, final page, script navigations), once each."""
    identity_hosts: tuple[str, ...]
    """Sign-in services the allowlist names that the visit touched (pages or frames)."""
    login_form: LoginFormKind
    """The login form's kind, as ``results[].portal.login_form``."""
    fields: tuple[BaselineField, ...]
    """Visible controls of the frames holding login fields."""
    form_actions: tuple[BaselineFormAction, ...]
    """Where each form holding login fields would post."""
    recovery_hosts: tuple[str, ...]
    """Hosts the "forgot user ID / password", "register", "unlock" links point to, sorted."""
    login_frame_origins: tuple[str, ...]
    """Origins of cross-origin frames holding login fields, sorted."""
    scripts: tuple[BaselineScript, ...]
    """Scripts that ran in the page and its frames."""
    certificate: BaselineCertificate | None
    """The main page's certificate; null for plain HTTP or when DevTools did not hand it over."""
    hsts: str | None
    """The final page's ``Strict-Transport-Security`` header; null when absent."""
    role: Role
    """Whose login it is, as ``results[].portal.role``."""
    role_confidence: float = field(metadata=schema_keywords(minimum=0, maximum=1))
    """The classifier's confidence in ``role``."""
    favicon_sha256: str
    """SHA-256 of the icon the browser fetched (``""`` when none)."""
    visual_hash: str
    """Perceptual (difference) hash of a screenshot, 256 bits as hex (``""`` when none was taken)."""


@dataclass(frozen=True)
class BaselineDocument:
    """A login-page baseline (``preflight/baseline@1``), written by ``preflight baseline save``."""

    schema: Literal["preflight/baseline@1"]
    """The document's kind and version."""
    created_at: float = field(metadata=schema_keywords(minimum=0))
    """Unix time the file was written."""
    tool: str
    """``preflight <version>`` that wrote it."""
    targets: tuple[BaselineEntry, ...]
    """One per target, in the order given."""
    previous: str | None = omit_none()
    """``preflight baseline update``: the history file holding the baseline this one replaced."""

    def entry_for(self, target: str) -> BaselineEntry | None:
        """The entry saved for ``target``, compared without its query (exactly: an alias URL that
        redirects to a baselined page is another target, not that page)."""
        key = without_query(target)
        for entry in self.targets:
            if entry.target == key:
                return entry
        return None


def change_counts(report: RunReport) -> dict[str, int]:
    """Reported baseline changes per kind over a whole run (``preflight_baseline_changes{kind}``)."""
    totals: dict[str, int] = {}
    for result in report.results:
        section = result.section("baseline")
        if isinstance(section, BaselineSection):
            for kind, count in section.counts.items():
                totals[kind] = totals.get(kind, 0) + count
    return totals
