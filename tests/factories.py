"""Builders for test objects: a snapshot in one line, with only what the test cares about."""

from __future__ import annotations

from typing import Any

from preflight.config.allowlist import Allowlist, load_allowlist, parse_allowlist
from preflight.model.snapshot import FrameFacts, PageSnapshot, RedirectHop, TlsFacts

CIGNA_HCP = "https://cignaforhcp.cigna.com/"


def default_allowlist() -> Allowlist:
    from preflight.config.allowlist import packaged_default_text

    return parse_allowlist(packaged_default_text(), "<packaged default>")


def snapshot(url: str = CIGNA_HCP, *, hops: tuple[str, ...] = (), status: int = 200, **fields: Any) -> PageSnapshot:
    """A visit that went through ``hops`` (3xx) and landed on ``url``."""
    redirects = tuple(RedirectHop(h, 302, {"location": "…"}) for h in hops) + (RedirectHop(url, status, {}),)
    defaults: dict[str, Any] = dict(
        requested_url=hops[0] if hops else url, final_url=url, http_status=status, redirects=redirects,
        tls=TlsFacts("TLS 1.3", "Test CA", url, 0.0, 4_000_000_000.0) if url.startswith("https:") else None,
        frames=(FrameFacts(url=url, title="Log in"),), captured_at=1_800_000_000.0,
        response_headers={"strict-transport-security": "max-age=31536000"},
    )
    defaults.update(fields)
    return PageSnapshot(**defaults)


def allowlist_from(text: str) -> Allowlist:
    return parse_allowlist(text, "test.toml")


__all__ = ["default_allowlist", "snapshot", "allowlist_from", "load_allowlist", "CIGNA_HCP"]
