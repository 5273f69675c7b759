"""Chromium's network errors, in the words of finding codes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.rules.redact import (
    redact_text,
)

if TYPE_CHECKING:  # pragma: no cover
    pass

# Chromium net errors -> (finding code, plain words, transient?)
_NET_ERRORS: dict[str, tuple[str, str, bool]] = {
    "ERR_NAME_NOT_RESOLVED": ("target.dns", "the host name does not resolve (DNS)", False),
    "ERR_NAME_RESOLUTION_FAILED": ("target.dns", "the host name does not resolve (DNS)", True),
    "ERR_CONNECTION_REFUSED": ("target.unreachable", "the server refused the connection", True),
    "ERR_CONNECTION_RESET": ("target.unreachable", "the connection was reset", True),
    "ERR_CONNECTION_CLOSED": ("target.unreachable", "the server closed the connection", True),
    "ERR_EMPTY_RESPONSE": ("target.unreachable", "the server sent no response", True),
    "ERR_CONNECTION_TIMED_OUT": ("target.timeout", "the connection timed out", True),
    "ERR_TIMED_OUT": ("target.timeout", "the request timed out", True),
    "ERR_ADDRESS_UNREACHABLE": ("target.unreachable", "the address is unreachable", True),
    "ERR_INTERNET_DISCONNECTED": ("target.unreachable", "no network connection", False),
    "ERR_TOO_MANY_REDIRECTS": ("target.redirect_loop", "the page redirects in a loop", False),
    "ERR_CERT_DATE_INVALID": ("target.tls", "the certificate has expired or is not yet valid", False),
    "ERR_CERT_COMMON_NAME_INVALID": ("target.tls", "the certificate is for a different host", False),
    "ERR_CERT_AUTHORITY_INVALID": ("target.tls", "the certificate is not issued by a trusted authority", False),
    "ERR_CERT_REVOKED": ("target.tls", "the certificate has been revoked", False),
    "ERR_CERT_INVALID": ("target.tls", "the certificate is invalid", False),
    "ERR_SSL_PROTOCOL_ERROR": ("target.tls", "the TLS handshake failed", False),
    "ERR_SSL_VERSION_OR_CIPHER_MISMATCH": ("target.tls", "no common TLS version or cipher", False),
    "ERR_BAD_SSL_CLIENT_AUTH_CERT": ("target.tls", "the server wants a client certificate", False),
    "ERR_ABORTED": ("target.aborted", "the navigation was aborted (a download or a blocked page)", False),
    "ERR_BLOCKED_BY_CLIENT": ("target.blocked", "preflight's guard blocked the navigation", False),
    "ERR_INVALID_RESPONSE": ("target.unreachable", "the server sent an invalid response", True),
    "ERR_UNSAFE_PORT": ("target.unreachable", "the browser refuses to connect to that port", False),
    "ERR_INVALID_URL": ("target.unreachable", "the browser rejects that URL", False),
    "ERR_FILE_NOT_FOUND": ("target.unreachable", "the page does not exist", False),
    "ERR_HTTP2_PROTOCOL_ERROR": ("target.unreachable", "the server broke the HTTP/2 protocol", True),
}


def classify_error(text: str) -> tuple[str, str, bool]:
    for name, mapped in _NET_ERRORS.items():
        if f"net::{name}" in text:
            return mapped[0], f"{mapped[1]} (net::{name})", mapped[2]
    if "net::ERR_CERT_" in text or "net::ERR_SSL_" in text:
        reason = text.split("net::", 1)[1].split()[0]
        return "target.tls", f"the certificate was rejected (net::{reason})", False
    if "net::ERR_" in text:
        reason = text.split("net::", 1)[1].split()[0]
        return "target.unreachable", f"the page could not be loaded (net::{reason})", True
    if "Download is starting" in text:
        return "target.download", "the URL starts a file download instead of showing a page", False
    if "Timeout" in text and "exceeded" in text:
        return "target.timeout", "the page did not load in time", True
    if "page crashed" in text.lower() or "target crashed" in text.lower():
        return "target.crashed", "the page's renderer crashed (out of memory, or killed) before it could be read", False
    if "closed" in text.lower() or "crash" in text.lower():
        return "browser.crashed", "the browser closed or crashed during the check", True
    first = text.strip().splitlines()[0] if text.strip() else "unknown error"
    return "target.unreachable", redact_text(first)[:200], False
