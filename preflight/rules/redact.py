"""Keep secrets out of every report, log and artifact.

URL userinfo, values of token-like query, fragment and path parameters, JWT-shaped values and any
known secret values are replaced; cookie values are shown only as a length and a short hash.

Redaction works on the text as given, never on a re-serialised URL: what a person typed (a
backslash, a stray ``@``) is evidence, and must survive. It finds the authority the way the WHATWG
parser does, so ``https://evil.example\\@cigna.com`` keeps ``evil.example`` (the host the browser
visits) instead of redacting it away as if it were a user name.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Iterable
from urllib.parse import quote, unquote_plus

from preflight.rules.hosts import typed_scheme

REDACTED = "REDACTED"

# Parameter names whose values are credentials, grant access or identify a person. Matched as
# whole words inside the (lower-cased) name, so ``access_token``, ``id_token``, ``SAMLResponse``
# and ``X-Amz-Signature`` count.
_TOKEN_WORDS = (
    "token", "code", "session", "sess", "sid", "password", "passwd", "pwd", "pass", "secret",
    "sig", "signature", "key", "apikey", "auth", "authorization", "credential", "credentials",
    "otp", "pin", "ticket", "assertion", "samlresponse", "samlrequest", "nonce", "state", "jwt",
    "bearer", "cookie", "hash", "username", "user", "login", "email", "ssn", "dob",
    "pw", "pwd", "passcode", "passphrase", "totp", "mfa", "cvv",
)

_TOKEN_NAME = re.compile(r"(?:^|[^a-z0-9])(?:" + "|".join(_TOKEN_WORDS) + r")(?:$|[^a-z0-9])")

# Run-together names (``accessToken``, ``PHPSESSID``, ``apiKey``) judged by how they end.
_TOKEN_ENDINGS = (
    "token", "password", "passwd", "secret", "signature", "session", "sessionid", "sessid",
    "cookie", "credential", "credentials", "apikey", "accesskey", "secretkey", "privatekey",
    "authcode", "otp", "jwt", "samlresponse", "samlrequest", "assertion", "passcode", "passphrase", "pw",
)

_TOKEN_STARTS = ("saml", "oauth", "xsrf", "csrf")

_SPECIAL_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp", "file"})

_JWT = re.compile(r"eyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*")

_PATH_PARAM = re.compile(r";([^;/\\?#=]*)=([^;/\\?#]*)")

@functools.lru_cache(maxsize=4096)
def is_token_like(name: str) -> bool:
    """Whether a query/fragment/path parameter called ``name`` carries something secret."""
    lowered = unquote_plus(name).lower()
    squashed = re.sub(r"[^a-z0-9]", "", lowered)
    return (bool(_TOKEN_NAME.search(lowered)) or squashed in _TOKEN_WORDS
            or squashed.endswith(_TOKEN_ENDINGS) or squashed.startswith(_TOKEN_STARTS))

def redact_url(url: str, secrets: Iterable[str] = ()) -> str:
    """``https://u:p@h/p?token=abc&x=1`` -> ``https://REDACTED@h/p?token=REDACTED&x=1``.

    Also takes address-bar input without a scheme (``user:pw@cigna.com/x``). Works on the text
    as given and never raises; non-text input gives ``""``.
    """
    if not isinstance(url, str):
        return ""
    text = _remove(url, secrets)
    end = 0
    if "@" in text:
        start, end = _authority_span(text)
        if start is not None:
            at = text.rfind("@", start, end)
            if at >= 0:
                text = text[:start] + REDACTED + text[at:]
                end = end - (at - start) + len(REDACTED)
    if "=" in text:
        text = text[:end] + _redact_after_authority(text[end:])
    return _JWT.sub(REDACTED, text) if "eyJ" in text else text

def _authority_span(text: str) -> tuple[int | None, int]:
    """``(start, end)`` of the authority as the WHATWG parser delimits it.

    ``start`` is ``None`` when the URL has no authority (``mailto:``, ``data:``). Input without a
    known scheme is read as a browser's address bar reads it: as ``https://`` + the input.
    """
    typed = typed_scheme(text)
    scheme, rest_at = typed if typed is not None else ("", 0)
    special = typed is None or scheme in _SPECIAL_SCHEMES
    if special:
        start = rest_at if typed is not None else len(text) - len(text.lstrip())
        while start < len(text) and text[start] in "/\\\t\n\r":
            start += 1
    elif text.startswith("//", rest_at):
        start = rest_at + 2
    else:
        return None, rest_at
    stops = "/\\?#" if special else "/?#"
    end = start
    while end < len(text) and text[end] not in stops:
        end += 1
    return start, end

def _redact_after_authority(rest: str) -> str:
    """Path parameters, query and fragment of the text after the authority."""
    path_end = len(rest)
    for stop in "?#":
        found = rest.find(stop)
        if 0 <= found < path_end:
            path_end = found
    path, tail = rest[:path_end], rest[path_end:]
    path = _PATH_PARAM.sub(_redact_path_param, path)
    fragment = ""
    if "#" in tail:
        tail, _, fragment = tail.partition("#")
        fragment = "#" + (_redact_query(fragment) if "=" in fragment else fragment)
    if tail.startswith("?"):
        tail = "?" + _redact_query(tail[1:])
    return path + tail + fragment

def _redact_path_param(match: re.Match[str]) -> str:
    name, value = match.group(1), match.group(2)
    return f";{name}={REDACTED}" if value and is_token_like(name) else match.group(0)

_PAIR = re.compile(r"(?:^|(?<=[&;]))([^=&;]*)=([^&;]*)")

def _redact_query(query: str) -> str:
    return _PAIR.sub(_redact_pair, query)

def _redact_pair(match: re.Match[str]) -> str:
    name, value = match.group(1), match.group(2)
    return f"{name}={REDACTED}" if value and is_token_like(name) else match.group(0)

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

_BARE_USERINFO = re.compile(r"(?<![\w.%+-])[^\s'\"<>/@:]+:[^\s'\"<>/@]*@(?=[\w\[])")
"""``user:password@host`` without a scheme (an option value echoed back): the userinfo goes."""
_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s'\"<>]+")

def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Free text (an error line, a console message, a dialog): each URL in it redacted, and known
    secret values (field values the page held) removed in every form ``secret_forms`` knows."""
    text = _URL_IN_TEXT.sub(lambda match: redact_url(match.group(0)), _remove(text, secrets))
    return _BARE_USERINFO.sub(f"{REDACTED}@", text)

def secret_forms(value: str, min_length: int = 4) -> set[str]:
    """The ways a value shows up in a URL or text: as typed, percent-encoded, base64 (whole, or
    inside a larger blob at any byte alignment), hex, reversed. Shared by the guard (to spot a
    value leaving) and by redaction (to remove it from what is shown)."""
    raw = value.encode("utf-8", "surrogatepass")
    quoted = quote(value, safe="")
    forms = {value, quoted, quoted.replace("%20", "+"), raw.hex(), raw.hex().upper(), value[::-1]}
    for pad in range(3):
        start = 4 if pad else 0
        end = ((pad + len(raw)) // 3) * 4
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            blob = encode(b"\0" * pad + raw).decode("ascii")
            forms.add(blob[start:end])
            if not pad:
                forms.add(blob.rstrip("="))
    return {form for form in forms if len(form) >= min_length}

def _remove(text: str, secrets: Iterable[str]) -> str:
    """Every form of every secret replaced, longest first (so a form never leaves a tail)."""
    forms: set[str] = set()
    for secret in secrets:
        if secret:
            forms |= secret_forms(secret)
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, REDACTED)
    return text


def redact_policy_value(name: str, value_text: str) -> str:
    """A browser policy's value as a report may show it (``policy show``): the whole value of a
    policy named like a secret (``CloudManagementEnrollmentToken``) is replaced, and URLs inside
    any other (a proxy with ``user:password@``, a token in a query) are redacted."""
    if is_token_like(name):
        return describe_secret(value_text)
    return redact_text(value_text)
