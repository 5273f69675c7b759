"""Redaction of the evidence files: a HAR and a Playwright trace, as bytes in and bytes out.

Both are JSON (the trace a zip of JSON-lines files and resources), so one walker applies the
project's rules by meaning, not by pattern alone:

- header values of cookies, authorization and token-like header names; every cookie value;
  token-like query values (``queryString`` entries and every URL-valued key); request bodies
  (``postData``) and response bodies (HAR ``content.text``) are dropped;
- in the trace's DOM snapshots, the value of every form control (``value`` and Playwright's
  ``__playwright_value_`` attributes, a textarea's text);
- then every string of the document loses each known secret (the values the page's fields held
  and the cookie values of the visit), wherever the page put it.

A trace's ``resources/`` are response bodies and images: only images, stylesheets and fonts are
kept (the Trace Viewer rebuilds pages from the DOM snapshots, not from the HTML or scripts, which
can hold anything), and stylesheets lose the known secrets too.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from typing import Any

from preflight.rules.redact import REDACTED, is_token_like, redact_text, redact_url

SECRET_HEADERS = frozenset({"cookie", "set-cookie", "authorization", "proxy-authorization", "x-api-key",
                            "x-auth-token", "x-csrf-token", "x-xsrf-token", "x-amz-security-token"})
URL_KEYS = frozenset({"url", "frameUrl", "href", "src", "action", "redirectURL", "location", "baseURL",
                      "documentURL", "referer", "referrer", "Referer", "Location"})
FIELD_TAGS = frozenset({"INPUT", "TEXTAREA", "SELECT", "OPTION"})
FIELD_ATTRIBUTES = frozenset({"value", "__playwright_value_"})
KEPT_RESOURCES = (".png", ".jpeg", ".jpg", ".gif", ".webp", ".avif", ".svg", ".ico", ".bmp", ".css", ".woff",
                  ".woff2", ".ttf", ".otf")


class Scrubber:
    """One pass over a JSON document (HAR, a trace event), with the visit's known secrets."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = tuple(sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True))

    def text(self, value: str) -> str:
        return redact_text(value, self.secrets)

    def url(self, value: str) -> str:
        return redact_url(value, self.secrets)

    def walk(self, value: Any, key: str = "") -> Any:
        if isinstance(value, str):
            return self.url(value) if key in URL_KEYS else self.text(value)
        if isinstance(value, list):
            if key == "headers":
                return [self._pair(item, header=True) for item in value]
            if key in ("cookies", "queryString", "params") and all(isinstance(i, dict) for i in value):
                return [self._pair(item, cookie=key == "cookies") for item in value]
            if len(value) >= 2 and isinstance(value[0], str) and isinstance(value[1], dict) \
                    and value[0].isupper():
                return self._node(value)
            return [self.walk(item) for item in value]
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for name, item in value.items():
                if name == "postData":
                    out[name] = {"mimeType": item.get("mimeType", "") if isinstance(item, dict) else "",
                                 "text": REDACTED}
                elif name == "content" and isinstance(item, dict):
                    out[name] = {k: self.walk(v, k) for k, v in item.items() if k not in ("text", "_sha1")}
                else:
                    out[name] = self.walk(item, name)
            return out
        return value

    def _pair(self, item: Any, header: bool = False, cookie: bool = False) -> Any:
        if not isinstance(item, dict) or "value" not in item:
            return self.walk(item)
        out = {k: self.walk(v, k) for k, v in item.items() if k != "value"}
        name = str(item.get("name", ""))
        value = item["value"]
        if cookie or (header and (name.lower() in SECRET_HEADERS or is_token_like(name))) \
                or (not header and is_token_like(name)):
            out["value"] = REDACTED
        elif header and name.lower() in ("referer", "location", "origin", "link", "content-location"):
            out["value"] = self.url(value) if isinstance(value, str) else value
        else:
            out["value"] = self.walk(value)
        return out

    def _node(self, node: list[Any]) -> list[Any]:
        """A DOM snapshot node ``[TAG, {attributes}, children...]``: form controls lose their values."""
        tag, attributes = node[0], node[1]
        clean: dict[str, Any] = {}
        for name, item in attributes.items():
            if tag in FIELD_TAGS and name in FIELD_ATTRIBUTES:
                clean[name] = ""
            else:
                clean[name] = self.walk(item, name)
        if tag == "TEXTAREA":
            return [tag, clean]
        return [tag, clean, *(self.walk(child) for child in node[2:])]


def redact_har(data: bytes, secrets: Iterable[str] = ()) -> bytes:
    document = json.loads(data.decode("utf-8"))
    return json.dumps(Scrubber(secrets).walk(document), ensure_ascii=False, indent=1).encode("utf-8")


def redact_trace(data: bytes, secrets: Iterable[str] = ()) -> bytes:
    """A Playwright trace zip, redacted: JSON-lines files scrubbed, only harmless resources kept."""
    scrubber = Scrubber(secrets)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            name = info.filename
            if name.startswith("resources/"):
                if not name.lower().endswith(KEPT_RESOURCES):
                    continue
                body = source.read(info)
                if name.lower().endswith(".css"):
                    body = scrubber.text(body.decode("utf-8", "replace")).encode("utf-8")
                target.writestr(name, body)
                continue
            text = source.read(info).decode("utf-8", "replace")
            lines = []
            for line in text.splitlines():
                if not line.strip():
                    continue
                try:
                    lines.append(json.dumps(scrubber.walk(json.loads(line)), ensure_ascii=False))
                except json.JSONDecodeError:
                    lines.append(scrubber.text(line))
            target.writestr(name, "\n".join(lines) + "\n")
    return out.getvalue()
