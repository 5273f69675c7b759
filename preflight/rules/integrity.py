"""Pure knowledge for login-page baselines: stable script keys, certificate facts, perceptual hashes.

Capture calls these on bytes it already holds (a script body, the server's certificate, a
screenshot) so that a snapshot carries only digests; the baseline check compares the digests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

from preflight.model.snapshot import CertificateFacts
from preflight.rules.hosts import host_of

VISUAL_HASH_SIDE = 16
"""The difference hash compares neighbouring cells of a 17 x 16 grey thumbnail: 256 bits."""

VISUAL_HASH_BITS = VISUAL_HASH_SIDE * VISUAL_HASH_SIDE

_VERSION_TOKEN = re.compile(r"(?<![A-Za-z])v?\d+(?:\.\d+)+(?![A-Za-z])")
"""``1.2.3``, ``v2.10``: a release number in a file or folder name."""
_DIGEST_TOKEN = re.compile(r"(?=[0-9a-f]*\d)[0-9a-f]{8,}", re.IGNORECASE)
"""``3f2a1c9b``: a content hash a build tool wrote into the name (at least one digit)."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def origin_of(url: str) -> str:
    """``https://host[:port]`` of ``url`` (``""`` when it has none: ``about:blank``, ``data:``)."""
    match = re.match(r"^([a-z][a-z0-9+.-]*)://([^/?#]*)", url, re.IGNORECASE)
    if not match:
        return ""
    scheme = match.group(1).lower()
    authority = match.group(2).rsplit("@", 1)[-1].lower()
    host = host_of(url)
    port = ""
    if authority.startswith("["):
        port = authority.split("]", 1)[1].lstrip(":") if "]" in authority else ""
    elif ":" in authority:
        port = authority.rsplit(":", 1)[1]
    if (scheme, port) in (("https", "443"), ("http", "80")):
        port = ""
    return f"{scheme}://{host}{':' + port if port else ''}" if host else ""


def without_query(url: str) -> str:
    """``url`` without query, fragment or user info: what a baseline may keep of an address."""
    base = url.split("#", 1)[0].split("?", 1)[0]
    origin = origin_of(base)
    if not origin:
        return base
    rest = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", base, flags=re.IGNORECASE)
    return origin + (rest or "/")


def path_of(url: str) -> str:
    return without_query(url)[len(origin_of(url)):] or "/"


def stable_path(path: str) -> str:
    """A script path with version and build-hash tokens replaced by ``*``, so that
    ``/js/app.3f2a1c9b.js`` and ``/js/app.77d0e1aa.js`` (or ``/lib/1.2.3/x.js`` and
    ``/lib/1.2.4/x.js``) are one script whose content is compared, not two scripts."""
    return _DIGEST_TOKEN.sub("*", _VERSION_TOKEN.sub("*", path))


def script_key(url: str, frame_origin: str) -> str:
    """How a script is matched between a baseline and a later visit: origin and stable path,
    with ``self`` for the origin of the frame it runs in (a login frame that moved takes its own
    scripts along: that is one change, the frame's)."""
    origin = origin_of(url)
    shown = "self" if origin and origin == frame_origin else origin
    return f"{shown}{stable_path(path_of(url))}"


def certificate_digest(der: bytes) -> CertificateFacts:
    """Facts of a DER certificate; the SPKI hash is Chromium's pin format (base64 SHA-256)."""
    from cryptography import x509

    from preflight.config.network import spki_hash_of_certificate

    cert = x509.load_der_x509_certificate(der)
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        san = tuple(sorted({str(n.value) for n in names if isinstance(n, (x509.DNSName, x509.IPAddress))}))
    except x509.ExtensionNotFound:
        san = ()
    return CertificateFacts(
        spki_sha256=spki_hash_of_certificate(cert),
        issuer=cert.issuer.rfc4514_string(), subject=cert.subject.rfc4514_string(),
        not_before=_unix(cert.not_valid_before_utc), not_after=_unix(cert.not_valid_after_utc), san=san)


def _unix(moment: dt.datetime) -> float:
    return moment.timestamp()


def visual_hash(png: bytes) -> str:
    """A difference hash of a screenshot, as hex: Pillow shrinks the page to a 17 x 16 grey
    thumbnail and each bit says whether a cell is brighter than its right neighbour. Layout,
    logos and colour blocks move bits; fonts' anti-aliasing, a caret or a clock's seconds do not."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        small = image.convert("L").resize((VISUAL_HASH_SIDE + 1, VISUAL_HASH_SIDE), Image.Resampling.LANCZOS)
        pixels = small.tobytes()  # one byte per pixel in mode L
    width = VISUAL_HASH_SIDE + 1
    bits = 0
    for row in range(VISUAL_HASH_SIDE):
        for col in range(VISUAL_HASH_SIDE):
            left, right = pixels[row * width + col], pixels[row * width + col + 1]
            bits = (bits << 1) | (1 if left > right else 0)
    return f"{bits:0{VISUAL_HASH_BITS // 4}x}"


def visual_distance(first: str, second: str) -> float:
    """Share of differing bits between two ``visual_hash`` values: 0 identical, about 0.5 unrelated."""
    if len(first) != len(second):
        return 1.0
    return bin(int(first, 16) ^ int(second, 16)).count("1") / (len(first) * 4)
