"""Keep secrets out of every report, log and artifact.

URL userinfo, values of token-like query parameters and any known secret values are replaced;
cookie values are shown only as a length and a short hash.
"""

from __future__ import annotations

import hashlib
import re
from typing import Iterable
from urllib.parse import quote, unquote_plus

REDACTED = "REDACTED"

# Parameter names whose values are credentials or grant access. Matched as whole words inside
# the (lower-cased) name, so ``access_token``, ``id_token``, ``SAMLResponse`` and ``X-Amz-Signature`` count.
_TOKEN_WORDS = (
    "token", "code", "session", "sess", "sid", "password", "passwd", "pwd", "pass", "secret",
    "sig", "signature", "key", "apikey", "auth", "authorization", "credential", "credentials",
    "otp", "pin", "ticket", "assertion", "samlresponse", "samlrequest", "nonce", "state", "jwt",
    "bearer", "cookie", "hash", "username", "user", "login", "email", "ssn", "dob",
)
_TOKEN_NAME = re.compile(r"(?:^|[^a-z0-9])(?:" + "|".join(_TOKEN_WORDS) + r")(?:$|[^a-z0-9])")
_USERINFO = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*://)([^/?#]*@)")


def is_token_like(name: str) -> bool:
    lowered = unquote_plus(name).lower()
    squashed = re.sub(r"[^a-z0-9]", "", lowered)
    return bool(_TOKEN_NAME.search(lowered)) or squashed in _TOKEN_WORDS or any(
        squashed.endswith(word) for word in ("token", "password", "secret", "signature", "session", "sessionid")
    )


def redact_url(url: str, secrets: Iterable[str] = ()) -> str:
    """``https://u:p@h/p?token=abc&x=1`` -> ``https://REDACTED@h/p?token=REDACTED&x=1``.

    Works on the text as given (no re-parsing that could change it) and never raises.
    """
    if not isinstance(url, str):
        return ""
    text = _USERINFO.sub(lambda m: m.group(1) + REDACTED + "@", url)
    for secret in secrets:
        if secret:
            for form in {secret, quote(secret, safe=""), quote(secret, safe="").replace("%20", "+")}:
                text = text.replace(form, REDACTED)
    head, sep, fragment = text.partition("#")
    base, qsep, query = head.partition("?")
    if qsep:
        base = base + "?" + _redact_query(query)
    if sep:
        fragment = _redact_query(fragment) if "=" in fragment else fragment
        return base + "#" + fragment
    return base


def _redact_query(query: str) -> str:
    parts = []
    for pair in query.split("&"):
        name, eq, _value = pair.partition("=")
        parts.append(f"{name}={REDACTED}" if eq and is_token_like(name) and _value else pair)
    return "&".join(parts)


def value_digest(value: str) -> str:
    """A short, stable fingerprint of a secret value: enough to compare, useless to replay."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def describe_secret(value: str) -> str:
    return f"<redacted len={len(value)} sha256={value_digest(value)}>"


def redact_set_cookie(header: str) -> tuple[str, str, str]:
    """``name=value; attrs`` -> (redacted header, name, value). The value is returned for hashing only."""
    first, sep, attrs = header.partition(";")
    name, eq, value = first.partition("=")
    if not eq:
        name, value = "", first
    name, value = name.strip(), value.strip()
    shown = f"{name}={describe_secret(value)}" if eq else describe_secret(value)
    return shown + (sep + attrs if sep else ""), name, value
