"""Builders for baseline tests without a browser: a login snapshot with digests, in one line."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from preflight.checks.base import CheckConfig
from preflight.checks.baseline import facts_of
from preflight.model.baseline import SCHEMA_BASELINE, BaselineDocument, BaselineEntry
from preflight.model.snapshot import (
    CertificateFacts,
    FormFacts,
    FrameFacts,
    InputFacts,
    IntegrityFacts,
    LinkFacts,
    PageSnapshot,
    ScriptFacts,
)
from tests.factories import CIGNA_HCP, default_allowlist, snapshot

VISUAL = "a5c3" * 16
"""A textured perceptual hash (half its bits set)."""
CERT = CertificateFacts(spki_sha256="K" * 43 + "=", issuer="CN=Test Issuing CA,O=Test", subject="CN=cignaforhcp.cigna.com",
                        not_before=1_790_000_000.0, not_after=1_800_000_000.0, san=("cignaforhcp.cigna.com",))
USER = InputFacts(type="text", name="username", id="username", autocomplete="username", label="User ID",
                  form_index=0, region="form")
PASSWORD = InputFacts(type="password", name="password", id="password", autocomplete="current-password",
                      label="Password", form_index=0, region="form")
REMEMBER = InputFacts(type="checkbox", name="remember", label="Remember my user ID", form_index=0, region="form")
SCRIPTS = (ScriptFacts(frame_url=CIGNA_HCP, url=CIGNA_HCP + "assets/app.js?v=3", sha256="1" * 64, size=100),
           ScriptFacts(frame_url=CIGNA_HCP, sha256="2" * 64, size=40))


def login_page(url: str = CIGNA_HCP, *, inputs: tuple[InputFacts, ...] = (USER, PASSWORD), action: str = "",
               scripts: tuple[ScriptFacts, ...] = SCRIPTS, cert: CertificateFacts | None = CERT,
               favicon: str = "f" * 64, visual: str = VISUAL, extra_frames: tuple[FrameFacts, ...] = (),
               digests: bool = True, **fields: Any) -> PageSnapshot:
    """The Cigna provider login as a snapshot: a user ID and password form, two scripts."""
    frame = FrameFacts(
        url=url, title="Log In | Cigna for Health Care Professionals",
        headings=("Cigna for Health Care Professionals",),
        text="Cigna for Health Care Professionals\nLog in to check patient eligibility and benefits, submit claims.",
        forms=(FormFacts(action=action or url + "login", method="post", heading="Cigna for Health Care Professionals",
                         text="User ID Password Log In Forgot user ID?"),),
        inputs=inputs, links=(LinkFacts(href=url + "recover/user-id/", text="Forgot user ID?", region="form"),))
    integrity = IntegrityFacts(scripts=scripts, favicon_url=url + "favicon.svg", favicon_sha256=favicon,
                               visual_hash=visual, certificate=cert) if digests else None
    return snapshot(url, frames=(frame, *extra_frames), integrity=integrity, **fields)


def cigna() -> CheckConfig:
    return CheckConfig.build(default_allowlist())


def entry(page: PageSnapshot | None = None, config: CheckConfig | None = None) -> BaselineEntry:
    return facts_of(page or login_page(), config or cigna())


def with_baseline(*entries: BaselineEntry, config: CheckConfig | None = None, **settings: Any) -> CheckConfig:
    """``config`` (Cigna's) comparing against ``entries``, with ``[baseline]`` settings replaced."""
    config = config or cigna()
    document = BaselineDocument(schema=SCHEMA_BASELINE, created_at=1_800_000_000.0, tool="test", targets=entries)
    tuned = replace(config.settings, baseline=replace(config.settings.baseline, **settings))
    return replace(config, baseline=document, settings=tuned)
