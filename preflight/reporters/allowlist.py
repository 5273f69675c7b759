"""``preflight allowlist show``: the portals and hosts an allowlist trusts, as a listing or JSON."""

from __future__ import annotations

import json
from typing import Any

from preflight.config.allowlist import Allowlist


def allowlist_document(allowlist: Allowlist) -> dict[str, Any]:
    return {"source": allowlist.source, "portals": [
        {"payer": p.payer, "name": p.name, "role": p.role, "hosts": list(p.hosts),
         "host_patterns": list(p.host_patterns), "identity_hosts": list(p.identity_hosts),
         "login_urls": list(p.login_urls), "change_password_url": p.change_password_url}
        for p in allowlist.portals]}


def render_json(allowlist: Allowlist) -> str:
    return json.dumps(allowlist_document(allowlist), indent=2) + "\n"


def render_text(allowlist: Allowlist) -> str:
    lines = [f"# {allowlist.source}"]
    for p in allowlist.portals:
        lines.append(f"{p.payer} · {p.name} · {p.role}")
        lines.extend(f"    {host}" for host in p.hosts)
        lines.extend(f"    {host}   (pattern, discouraged)" for host in p.host_patterns)
        lines.extend(f"    {host}   (identity)" for host in p.identity_hosts)
    return "\n".join(lines) + "\n"
