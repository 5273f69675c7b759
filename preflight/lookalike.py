"""Host verdicts: is a host official, the payer's but unlisted, a lookalike, or unrelated?

``HostJudge`` is built once per allowlist: it derives the names worth imitating ("brands") from
the allowlist's own registrable domains and host labels, never from a hard-coded list, and
caches one ``HostJudgement`` per host. Judging is pure and never raises.

How a host is judged, cheapest first:

1. ``official``: the allowlist lists it (a wildcard pattern match is reported as discouraged).
2. ``same-organization``: same registrable domain as a listed host (tenants of a hosting
   platform, ``a.github.io`` vs ``b.github.io``, do not count as one organization).
3. ``lookalike``: it resembles a listed name: an official host or domain written inside it
   (``cigna.com.example.net``), the same name on another ending (``cigna.net``), look-alike
   characters (Unicode's UTS #39 confusables, ``0``/``o``, ``rn``/``m``), a small typo scaled to
   the length of the name, hyphens added, a name split across dots, or the name embedded with
   extra words (``cigna-provider-login.com``).
4. ``unrelated`` otherwise, ``invalid`` for text that is no host a browser would visit.

Hosts are compared in ASCII (punycode) form and decoded only to look at their characters.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Callable, Mapping

from .config import LOGIN_ROLES, Allowlist, Portal
from .hosts import (InvalidURL, host_parts, host_to_unicode, is_ip, is_loopback, label_to_unicode,
                    normalize_host, registrable_domain, tenant_domain)

OFFICIAL = "official"
SAME_ORGANIZATION = "same-organization"
LOOKALIKE = "lookalike"
UNRELATED = "unrelated"
INVALID = "invalid"
VERDICTS = (OFFICIAL, SAME_ORGANIZATION, LOOKALIKE, UNRELATED, INVALID)


@dataclass(frozen=True, slots=True)
class HostJudgement:
    """What the allowlist makes of one host."""

    host: str
    """Normalised ASCII host (punycode, lower case, no trailing dot); the input as given if invalid."""
    registrable_domain: str
    """``cigna.com`` for ``my.cigna.com``; ``""`` when the host is invalid."""
    verdict: str
    """One of ``VERDICTS``."""
    portal: Portal | None = None
    """The allowlisted portal, for ``official`` hosts only."""
    role: str | None = None
    """The portal's role, or ``identity`` for a portal's sign-in host (``official`` only)."""
    lookalike_of: str | None = None
    """The allowlisted host or registrable domain imitated (``lookalike`` only)."""
    reasons: tuple[str, ...] = ()
    """Sentences a help-desk person can read out, strongest first."""
    via_pattern: str | None = None
    """The ``*.example.com`` pattern that made the host official, if it was not listed exactly."""
    signals: tuple[str, ...] = ()
    """Stable codes for what was seen (``homoglyph``, ``typo``, ``mixed-script`` …), for machines."""


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Vocabulary:
    """The contents of ``data/lookalike.toml``."""

    generic_labels: frozenset[str]
    visual_pairs: frozenset[tuple[str, str]]
    sequences: Mapping[str, str]
    """``rn`` -> ``m``: two letters that read as one."""
    sequence_costs: Mapping[str, tuple[str, int]]
    """``rn`` -> (``m``, 1), and with a look-alike letter inside, ``rr`` -> (``m``, 2)."""
    extra_homoglyphs: Mapping[str, str]


@functools.cache
def vocabulary() -> Vocabulary:
    text = resources.files("preflight").joinpath("data/lookalike.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    pairs = set()
    for a, b in data["visual_pairs"]:
        pairs.update({(a, b), (b, a)})
    sequences = dict(data["sequences"])
    costs: dict[str, tuple[str, int]] = {}
    for sequence, letter in sequences.items():
        for i, char in enumerate(sequence):
            for x, y in pairs:
                if x == char:
                    costs.setdefault(sequence[:i] + y + sequence[i + 1:], (letter, 2))
    costs.update({sequence: (letter, 1) for sequence, letter in sequences.items()})
    return Vocabulary(
        generic_labels=frozenset(data["generic_labels"]),
        visual_pairs=frozenset(pairs),
        sequences=sequences,
        sequence_costs=costs,
        extra_homoglyphs=dict(data["extra_homoglyphs"]),
    )


# --------------------------------------------------------------------------- skeletons


@functools.cache
def _prototypes() -> Mapping[str, str]:
    """Character -> UTS #39 prototype, rebuilt from ``confusable_homoglyphs``' Unicode data.

    That data lists confusables in both directions. A source character lists only its prototype;
    a prototype lists all its sources. For a prototype with a single source both list one
    entry: the ASCII side, else the one the data file met first (sources come first there),
    is the source.
    """
    from confusable_homoglyphs.confusables import confusables_data

    def clean(text: str) -> str:
        return text.replace("\u200e", "").replace("\u200f", "")

    graph: dict[str, list[str]] = {}
    order: dict[str, int] = {}
    for index, (key, entries) in enumerate(confusables_data.items()):
        key = clean(key)
        graph[key] = [clean(entry["c"]) for entry in entries]
        order.setdefault(key, index)
    prototypes: dict[str, str] = {}
    for char, targets in graph.items():
        if len(char) != 1 or len(targets) != 1:
            continue
        target = targets[0]
        if len(graph.get(target, ())) > 1:
            prototypes[char] = target
        elif char.isascii() and not target.isascii():
            continue
        elif target.isascii() or order[char] < order.get(target, len(order)):
            prototypes[char] = target
    return prototypes


_LATIN_NAME = re.compile(r"LATIN (?:SMALL |CAPITAL )?LETTER (?:SMALL CAPITAL |DOTLESS )?([A-Z])(?: WITH .*)?$")
_FOLDED: dict[str, str] = {}


def _fold_char(char: str) -> str:
    """One character -> what a reader takes it for: ``а`` -> ``a``, ``ç`` -> ``c``, ``ł`` -> ``l``.

    As UTS #39 does, decompose first (so accents come off), then map: the extra homoglyphs of
    ``data/lookalike.toml``, a Latin letter's base letter by its Unicode name (``ᴍ`` LATIN
    LETTER SMALL CAPITAL M -> ``m``), else the UTS #39 prototype, decomposed in turn.
    """
    folded = _FOLDED.get(char)
    if folded is not None:
        return folded
    if char.isascii():
        folded = _ascii_table().get(ord(char), char.lower())
    else:
        folded = "".join(_fold_one(c, depth=0) for c in _decompose(char))
        folded = vocabulary().sequences.get(folded, folded)  # "ⅿ" -> UTS #39 "rn" -> "m"
    if len(_FOLDED) < 100_000:
        _FOLDED[char] = folded
    return folded


def _decompose(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text).lower() if not unicodedata.combining(c))


def _fold_one(char: str, depth: int) -> str:
    if char.isascii():
        return char
    extra = vocabulary().extra_homoglyphs.get(char)
    if extra is not None:
        return extra
    match = _LATIN_NAME.match(unicodedata.name(char, ""))
    if match:
        return match.group(1).lower()
    prototype = _prototypes().get(char)
    if prototype is None or depth > 0:
        return char
    return "".join(_fold_one(c, depth + 1) for c in _decompose(prototype))


@functools.cache
def _ascii_table() -> dict[int, str]:
    """ASCII digits UTS #39 maps to a letter: ``0`` -> ``o``, ``1`` -> ``l``.

    Letters stay themselves (UTS #39's ``m`` -> ``rn`` would make every ``m`` two letters long);
    ``rn`` and ``m`` are brought together by ``visual_distance`` instead.
    """
    table = {}
    for char in "0123456789":
        folded = _decompose(_prototypes().get(char, char))
        if folded != char and len(folded) == 1 and folded.isascii() and folded.isalpha():
            table[ord(char)] = folded
    return table


@functools.lru_cache(maxsize=8192)
def skeleton(label: str) -> str:
    """The visual skeleton of a label: equal skeletons read the same to a hurried eye.

    UTS #39 prototypes (``а`` -> ``a``, ``0`` -> ``o``, ``1`` -> ``l``), accents dropped, case
    folded. Plain ASCII letters are kept as they are.
    """
    if label.isascii():
        return label.lower().translate(_ascii_table())
    return "".join(_fold_char(c) for c in unicodedata.normalize("NFC", label))


def _script(char: str) -> str:
    """Unicode script of ``char`` (``LATIN``, ``CYRILLIC``, ``COMMON`` …), from the same data."""
    from confusable_homoglyphs.categories import alias
    return str(alias(char))


_NEUTRAL_SCRIPTS = frozenset({"COMMON", "INHERITED", "Unknown"})
# Scripts that are written together: Japanese, Korean, Chinese with Bopomofo (UTS #39's
# "augmented" script sets).
_SCRIPT_FAMILIES = (frozenset({"HAN", "HIRAGANA", "KATAKANA"}), frozenset({"HAN", "HANGUL"}),
                    frozenset({"HAN", "BOPOMOFO"}))


def scripts_of(text: str) -> frozenset[str]:
    """Unicode scripts of the letters in ``text``, without Common and Inherited."""
    if text.isascii():
        return frozenset({"LATIN"}) if any(c.isalpha() for c in text) else frozenset()
    return frozenset(_script(c) for c in text) - _NEUTRAL_SCRIPTS


def is_mixed_script(text: str) -> bool:
    """Letters from more than one script (Japanese kana with kanji and the like count as one)."""
    scripts = scripts_of(text)
    if len(scripts) < 2:
        return False
    if "LATIN" in scripts:
        scripts = scripts - {"LATIN"}
        if len(scripts) == 1 and next(iter(scripts)) in ("HAN", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO"):
            return False
        if any(scripts <= family for family in _SCRIPT_FAMILIES):
            return False
        return True
    return not any(scripts <= family for family in _SCRIPT_FAMILIES)


def _script_names(scripts: frozenset[str]) -> str:
    names = sorted(s.replace("_", " ").title() for s in scripts)
    return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]


# --------------------------------------------------------------------------- distance


def visual_distance(a: str, b: str, limit: int) -> int:
    """Edit distance in half-edits between skeletons ``a`` and ``b``, capped at ``limit + 1``.

    Insertion, omission, replacement and swapping two neighbours cost 2; replacing a letter by
    one readers confuse it with (``data/lookalike.toml`` ``visual_pairs``), or two letters by
    the one they read as (``rn`` for ``m``), costs 1. A common prefix and suffix are set
    aside (but for one letter), only cells within ``limit`` of the diagonal are computed, and the scan stops once
    every path is over the limit.
    """
    over = limit + 1
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return over
    if a == b:
        return 0
    start = 0
    while start < la and start < lb and a[start] == b[start]:
        start += 1
    end = 0
    while end < la - start and end < lb - start and a[la - 1 - end] == b[lb - 1 - end]:
        end += 1
    # Keep one shared letter on each side: "dl" -> "d" and "rn" -> "m" may lean on it.
    start, end = max(0, start - 1), max(0, end - 1)
    if start or end:
        a, b = a[start:la - end], b[start:lb - end]
        la, lb = len(a), len(b)
    if not la or not lb:
        return min(2 * (la + lb), over)
    vocab = vocabulary()
    pairs, sequences = vocab.visual_pairs, vocab.sequence_costs
    # Where a two-letter look-alike ("rn") ends in b: (letter it reads as, cost).
    seq_b = [None, None] + [sequences.get(b[k - 2:k]) for k in range(2, lb + 1)]
    band = limit
    previous2: list[int] = []
    previous = [2 * j if 2 * j <= limit else over for j in range(lb + 1)]
    previous_best = 0
    for i in range(1, la + 1):
        char_a = a[i - 1]
        ends_a = sequences.get(a[i - 2:i]) if i > 1 else None
        current = [over] * (lb + 1)
        current[0] = 2 * i if 2 * i <= limit else over
        low, high = max(1, i - band), min(lb, i + band)
        best = current[0]
        for j in range(low, high + 1):
            char_b = b[j - 1]
            if char_a == char_b:
                value = previous[j - 1]
            else:
                value = previous[j - 1] + (1 if (char_a, char_b) in pairs else 2)
                if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                    swapped = previous2[j - 2] + 2
                    if swapped < value:
                        value = swapped
            if ends_a is not None and ends_a[0] == char_b:
                merged = previous2[j - 1] + ends_a[1]
                if merged < value:
                    value = merged
            ends_b = seq_b[j]
            if ends_b is not None and ends_b[0] == char_a:
                merged = previous[j - 2] + ends_b[1]
                if merged < value:
                    value = merged
            step = previous[j] + 2
            if step < value:
                value = step
            step = current[j - 1] + 2
            if step < value:
                value = step
            if value > over:
                value = over
            current[j] = value
            if value < best:
                best = value
        if best > limit and previous_best > limit:
            return over  # "rn" -> "m" reaches two rows down, so both rows must be over
        previous2, previous, previous_best = previous, current, best
    return min(previous[lb], over)


def typo_limit(length: int) -> int:
    """Largest distance (half-edits) still called a lookalike, for a name of ``length`` letters.

    Short names get no slack (``uhc`` must not match every three-letter domain); five letters
    allow one typo; nine, one typo and a look-alike letter; thirteen, two typos.
    """
    if length <= 3:
        return 0
    if length == 4:
        return 1
    if length <= 8:
        return 2
    if length <= 12:
        return 3
    return 4


# --------------------------------------------------------------------------- brands


@dataclass(frozen=True)
class Brand:
    """A name from the allowlist worth imitating."""

    name: str
    """As the allowlist spells it (Unicode for IDN labels): ``cigna``, ``cignaforhcp``."""
    skeleton: str
    target: str
    """What it stands for: a registrable domain (``cigna.com``) or a host."""
    official_host: str
    """Where to send people instead."""
    from_domain: bool
    """Taken from a registrable domain (``cigna`` of ``cigna.com``) rather than a host label."""
    limit: int = 0
    """``typo_limit`` for this name: how far a spelling may stray and still imitate it."""


@dataclass(frozen=True)
class _Match:
    rank: int
    """Lower is stronger evidence."""
    signal: str
    target: str
    official_host: str
    reason: str


def _official_hosts(allowlist: Allowlist) -> dict[str, str]:
    """Allowlisted host or domain -> the host to send people to (a login portal host first)."""
    hosts = list(allowlist.hosts)
    login_hosts = [e.host for e in (allowlist.lookup(h) for h in hosts) if e and e.role in LOGIN_ROLES]
    official = {host: host for host in hosts}
    for host in login_hosts + hosts:
        for domain in (registrable_domain(host), tenant_domain(host)):
            official.setdefault(domain, host)
    for portal in allowlist.portals:
        for pattern in portal.host_patterns:
            official.setdefault(registrable_domain(pattern[2:]), pattern[2:])
    return official


def _derive_brands(allowlist: Allowlist, official: Mapping[str, str]) -> tuple[Brand, ...]:
    generic = vocabulary().generic_labels
    hosts = list(allowlist.hosts)
    patterns = [p[2:] for portal in allowlist.portals for p in portal.host_patterns]
    brands: dict[str, Brand] = {}

    def add(label: str, target: str, official: str, from_domain: bool, minimum: int) -> None:
        name = label_to_unicode(label)
        if name in generic or len(name) < minimum or name.isdigit():
            return
        key = skeleton(name)
        if key and key not in brands:
            brands[key] = Brand(name, key, target, official, from_domain, typo_limit(len(key)))

    tenant_labels: dict[str, int] = {}
    for host in hosts + patterns:
        if is_ip(host):
            continue
        parts = host_parts(host)
        tenant = tenant_domain(host)
        if tenant != registrable_domain(host) and tenant != host:
            # On a hosting platform (payer.github.io): the tenant label is the name, not "github".
            label = tenant.split(".", 1)[0]
            add(label, tenant, official.get(tenant, host), True, 2)
            tenant_labels[host] = len(tenant.split("."))
        elif parts.domain and parts.suffix:
            domain = f"{parts.domain}.{parts.suffix}"
            add(parts.domain, domain, official.get(domain, host), True, 2)
    for host in hosts:
        if is_ip(host):
            continue
        subdomain = host_parts(host).subdomain
        if host in tenant_labels:
            subdomain = tuple(host.split("."))[: max(0, len(host.split(".")) - tenant_labels[host])]
        for label in subdomain:
            add(label, host, host, False, 4)
            for segment in label.split("-") if "-" in label else ():
                add(segment, host, host, False, 4)
    return tuple(brands.values())


# --------------------------------------------------------------------------- the judge


class HostJudge:
    """Judges hosts against one allowlist; build once, call ``judge`` per host.

    Everything that depends only on the allowlist (brands, their skeletons, length buckets,
    organisation domains) is computed here, and judgements are cached per host.
    """

    def __init__(self, allowlist: Allowlist, cache_size: int = 32768) -> None:
        self.allowlist = allowlist
        self._official_for = _official_hosts(allowlist)
        self.brands = _derive_brands(allowlist, self._official_for)
        self._by_skeleton = {b.skeleton: b for b in self.brands}
        self._by_length: dict[int, list[Brand]] = {}
        for brand in self.brands:
            self._by_length.setdefault(len(brand.skeleton), []).append(brand)
        # Names long enough to look for inside other words ("mycignaportal"); shorter ones only
        # count as a whole label or hyphen-separated word.
        self._containable = tuple(sorted((b for b in self.brands if len(b.skeleton) >= 5),
                                         key=lambda b: len(b.skeleton), reverse=True))
        self._short = tuple(b for b in self.brands if 2 <= len(b.skeleton) < 5)
        self._closest_cache: dict[tuple[str, bool], tuple[Brand, int] | None] = {}
        hosts = allowlist.hosts
        self._org_domains = frozenset(allowlist.registrable_domains)
        self._tenants = frozenset(tenant_domain(h) for h in hosts) | frozenset(
            tenant_domain(p[2:]) for portal in allowlist.portals for p in portal.host_patterns)
        self._org_hosts: dict[str, list[str]] = {}
        for host in hosts:
            self._org_hosts.setdefault(registrable_domain(host), []).append(host)
        # Longest first, so "cignaforhcp.cigna.com" is named rather than "cigna.com".
        embeddable = {h for h in hosts if "." in h and not is_ip(h)} | {
            d for d in self._org_domains if "." in d and not is_ip(d)}
        self._embeddable = tuple(sorted(embeddable, key=len, reverse=True))
        self._cached: Callable[[str], HostJudgement] = functools.lru_cache(maxsize=cache_size)(self._judge)

    @classmethod
    def for_allowlist(cls, allowlist: Allowlist) -> "HostJudge":
        """A shared judge for ``allowlist`` (one per distinct allowlist)."""
        return _judge_for(allowlist)

    # ------------------------------------------------------------------ entry points

    def judge(self, host: str) -> HostJudgement:
        """Judge ``host`` as typed or as a browser reported it (Unicode, upper case, trailing dot)."""
        if not isinstance(host, str):
            return HostJudgement(repr(host), "", INVALID, reasons=("This is not a host name.",),
                                 signals=("invalid",))
        try:
            normalized = normalize_host(host)
        except InvalidURL:
            return _invalid(host, f"{host.strip()!r} is not a host name a browser would visit.")
        if not normalized:
            return _invalid(host, "The address has no host name.")
        return self._cached(normalized)

    def judge_normalized(self, host: str) -> HostJudgement:
        """Judge a host already normalised by ``hosts.parse_url``/``normalize_host`` (the fast path)."""
        if not host:
            return _invalid(host, "The address has no host name.")
        return self._cached(host)

    # ------------------------------------------------------------------ the verdicts

    def _judge(self, host: str) -> HostJudgement:
        entry = self.allowlist.lookup(host)
        domain = registrable_domain(host)
        if entry is not None:
            return self._official(host, domain, entry.portal, entry.role, entry.via_pattern)
        if domain in self._org_domains and tenant_domain(host) in self._tenants:
            return self._same_organization(host, domain)
        if is_ip(host):
            note = "a loopback address (this computer)" if is_loopback(host) else "an IP address"
            return HostJudgement(host, domain, UNRELATED, reasons=(
                f"{host} is {note}, not a name; official portals are reached by name.",),
                signals=("ip-address",))
        return self._lookalike_or_unrelated(host, domain)

    def _official(self, host: str, domain: str, portal: Portal, role: str,
                  pattern: str | None) -> HostJudgement:
        if role == "identity":
            reasons = [f"{host} is a sign-in service used by the official {portal.payer} "
                       f"{portal.name} portal."]
        else:
            reasons = [f"{host} is the official {portal.payer} {portal.name} ({role}) portal."]
        signals = ["allowlisted"]
        if pattern:
            reasons.append(f"It is trusted only through the wildcard {pattern}; wildcards are "
                           "discouraged, so ask IT to list the exact host.")
            signals.append("wildcard")
        return HostJudgement(host, domain, OFFICIAL, portal=portal, role=role,
                             reasons=tuple(reasons), via_pattern=pattern, signals=tuple(signals))

    def _same_organization(self, host: str, domain: str) -> HostJudgement:
        listed = self._org_hosts.get(domain, [])
        shown = ", ".join(listed[:3]) + (" …" if len(listed) > 3 else "") if listed else "portal hosts"
        if host == domain:
            reason = f"{host} is the domain of the official {shown}, but is not itself a listed portal host"
        else:
            reason = f"{host} belongs to {domain}, like the official {shown}, but is not itself a listed portal host"
        return HostJudgement(host, domain, SAME_ORGANIZATION, reasons=(
            reason + "; check with IT before signing in there.",), signals=("same-registrable-domain",))

    def _lookalike_or_unrelated(self, host: str, domain: str) -> HostJudgement:
        parts = host_parts(host)
        matches: list[_Match] = []
        notes: list[str] = []
        signals: list[str] = []
        owner = (f"the site really belongs to {domain}" if parts.suffix else
                 f"{host} is no public address (it has no domain ending such as .com)")

        for official in self._embeddable:
            if official in host and _contains_at_boundary(host, official):
                where = "starts with" if host.startswith(official) else "contains"
                matches.append(_Match(0, "embedded-host", official, self._official_for.get(official, official),
                                      f"The address {where} the official name {official}, but "
                                      f"{owner}."))
                break

        labels = [label for label in parts.labels if label]
        flats: list[str] = []
        for index, label in enumerate(labels):
            is_domain_label = bool(parts.suffix) and index == len(labels) - 1
            shown = label_to_unicode(label)
            idn = self._idn_notes(shown, notes) if shown != label else ""
            if idn:
                signals.append(idn)
            deceptive = idn in ("mixed-script", "whole-script-confusable")
            sk = skeleton(shown)
            flat = sk.replace("-", "")
            flats.append(flat)
            matches.extend(self._label_matches(shown, sk, flat, is_domain_label, owner, parts.suffix,
                                               deceptive))
        for size in (2, 3):
            for start in range(len(flats) - size + 1):
                joined = "".join(flats[start:start + size])
                brand = self._by_skeleton.get(joined)
                if brand is not None and len(joined) >= 4:
                    spelled = ".".join(labels[start:start + size])
                    matches.append(_Match(4, "split-label", brand.target, brand.official_host,
                                          f"'{spelled}' spells '{brand.name}' split up by dots; "
                                          f"{owner}."))
        if not parts.suffix and parts.domain and not matches:
            notes.append(f"{host} does not end in a public domain ending such as .com.")
            signals.append("no-public-suffix")

        if not matches:
            unicode_host = host_to_unicode(host)
            shown_host = host if unicode_host == host else f"{host} ({unicode_host})"
            reasons = [f"{shown_host} is not on the allowlist and does not resemble any official portal address."]
            return HostJudgement(host, domain, UNRELATED, reasons=tuple(reasons + notes),
                                 signals=tuple(dict.fromkeys(signals)))
        matches.sort(key=lambda m: m.rank)
        best = matches[0]
        reasons = [best.reason]
        for match in matches[1:]:
            if match.reason not in reasons and len(reasons) < 2:
                reasons.append(match.reason)
        reasons.extend(notes)
        reasons.append(f"Do not sign in there; the official address is {best.official_host}.")
        all_signals = [m.signal for m in matches] + signals
        return HostJudgement(host, domain, LOOKALIKE, lookalike_of=best.target,
                             reasons=tuple(reasons), signals=tuple(dict.fromkeys(all_signals)))

    def _label_matches(self, shown: str, sk: str, flat: str, is_domain_label: bool, owner: str,
                       suffix: str, deceptive: bool) -> list[_Match]:
        found: list[_Match] = []
        brand = self._by_skeleton.get(sk)
        if brand is not None and (is_domain_label or len(sk) >= 3):
            if shown == brand.name and is_domain_label and brand.from_domain:
                found.append(_Match(1, "other-suffix", brand.target, brand.official_host,
                                    f"Same name as {brand.target}, but ending in .{suffix}: a "
                                    "different site, not on the allowlist."))
            elif shown == brand.name and is_domain_label:
                found.append(_Match(1, "other-suffix", brand.target, brand.official_host,
                                    f"Uses '{brand.name}', the name of the official {brand.target}, "
                                    f"as its own domain ending in .{suffix}: a different site."))
            elif shown == brand.name:
                found.append(_Match(3, "brand-in-subdomain", brand.target, brand.official_host,
                                    f"Uses the name '{brand.name}' in the address, but {owner}."))
            else:
                found.append(_Match(2, "homoglyph", brand.target, brand.official_host,
                                    f"'{shown}' imitates '{brand.name}' with look-alike characters "
                                    f"({_describe_difference(shown, brand.name)})."))
            return found
        if flat != sk:
            brand = self._by_skeleton.get(flat)
            if brand is not None and len(flat) >= 3:
                found.append(_Match(5, "hyphenation", brand.target, brand.official_host,
                                    f"'{shown}' is '{brand.name}' with hyphens added."))
                return found
        words = sk.split("-") if "-" in sk else [sk]
        for word in words if len(words) > 1 else ():
            brand = self._by_skeleton.get(word)
            if brand is not None and len(word) >= 3:
                found.append(_Match(6, "brand-in-label", brand.target, brand.official_host,
                                    f"'{shown}' contains the name '{brand.name}', but {owner}, "
                                    "which is not on the allowlist."))
                return found
        contained = next((b for b in self._containable if b.skeleton in flat and b.skeleton != flat), None) \
            if len(flat) > 5 else None
        if contained is None:
            brand = self._short_brand_with_generic_words(flat)
            if brand is not None:
                found.append(_Match(6, "brand-in-label", brand.target, brand.official_host,
                                    f"'{shown}' is the name '{brand.name}' with everyday words added, "
                                    f"but {owner}, which is not on the allowlist."))
                return found
        close = None
        for candidate in dict.fromkeys([flat, *words]) if len(words) > 1 else (flat,):
            close = self._closest(candidate, deceptive)
            if close is not None:
                break
        # "cignaforhpc" holds "cigna" but is a typo of the longer "cignaforhcp": name the latter.
        if contained is not None and (close is None or len(close[0].skeleton) <= len(contained.skeleton)):
            found.append(_Match(6, "brand-in-label", contained.target, contained.official_host,
                                f"'{shown}' contains the name '{contained.name}', but {owner}, "
                                "which is not on the allowlist."))
        elif close is not None:
            brand, distance = close
            difference = _describe_difference(shown, brand.name)
            if _only_visual(sk, brand.skeleton):
                found.append(_Match(2, "homoglyph", brand.target, brand.official_host,
                                    f"'{shown}' imitates '{brand.name}' with look-alike "
                                    f"characters ({difference})."))
            else:
                what = "one small spelling change" if distance <= 2 else "small spelling changes"
                found.append(_Match(7, "typo", brand.target, brand.official_host,
                                    f"'{shown}' is spelled almost like '{brand.name}' ({what}: "
                                    f"{difference})."))
        return found

    def _short_brand_with_generic_words(self, flat: str) -> Brand | None:
        """``uhcportal``, ``mybcbslogin``: a short name glued to generic words only."""
        if len(flat) < 4:
            return None
        for brand in self._short:
            key = brand.skeleton
            at = flat.find(key)
            while at >= 0:
                if _generic_words(flat[:at]) and _generic_words(flat[at + len(key):]):
                    return brand
                at = flat.find(key, at + 1)
        return None

    def _closest(self, candidate: str, deceptive: bool) -> tuple[Brand, int] | None:
        """The allowlist name ``candidate`` is a typo or look-alike of, and how far it is."""
        key = (candidate, deceptive)
        if key in self._closest_cache:
            return self._closest_cache[key]
        length = len(candidate)
        best: tuple[Brand, int] | None = None
        if length >= 3:
            for size in range(max(1, length - 6), length + 7):
                for brand in self._by_length.get(size, ()):
                    limit = brand.limit + (2 if deceptive and size >= 4 else 0)
                    if limit == 0 or abs(size - length) > limit:
                        continue
                    distance = visual_distance(candidate, brand.skeleton, limit)
                    if 0 < distance <= limit and (best is None or distance < best[1]):
                        best = (brand, distance)
        if len(self._closest_cache) >= 16384:
            self._closest_cache.clear()
        self._closest_cache[key] = best
        return best

    def _idn_notes(self, shown: str, notes: list[str]) -> str:
        scripts = scripts_of(shown)
        if is_mixed_script(shown):
            notes.append(f"'{shown}' mixes {_script_names(scripts)} letters in one name, a common disguise.")
            return "mixed-script"
        folded = skeleton(shown)
        if len(scripts) == 1 and "LATIN" not in scripts and re.fullmatch(r"[a-z0-9-]+", folded):
            notes.append(f"'{shown}' is written in {_script_names(scripts)} letters that look like "
                         f"the Latin '{folded}'.")
            return "whole-script-confusable"
        return "idn"


@functools.lru_cache(maxsize=8)
def _judge_for(allowlist: Allowlist) -> HostJudge:
    return HostJudge(allowlist)


def judge_host(host: str, allowlist: Allowlist) -> HostJudgement:
    """Judge one host against ``allowlist``; see ``HostJudge`` to judge many."""
    return HostJudge.for_allowlist(allowlist).judge(host)


def _invalid(host: str, reason: str) -> HostJudgement:
    return HostJudgement(host, "", INVALID, reasons=(reason,), signals=("invalid",))


@functools.lru_cache(maxsize=4096)
def _generic_words(text: str) -> bool:
    """Whether ``text`` is empty or a run of up to three generic labels (``providerlogin``)."""
    if not text:
        return True
    generic = vocabulary().generic_labels
    return _split_words(text, generic, 3)


def _split_words(text: str, words: frozenset[str], budget: int) -> bool:
    if not text:
        return True
    if budget == 0:
        return False
    return any(text[:end] in words and _split_words(text[end:], words, budget - 1)
               for end in range(len(text), 0, -1))


def _contains_at_boundary(host: str, official: str) -> bool:
    """``official`` appears in ``host`` as whole labels, but ``host`` is not under it."""
    if host == official or host.endswith("." + official):
        return False
    start = host.find(official)
    while start >= 0:
        end = start + len(official)
        before_ok = start == 0 or host[start - 1] in ".-"
        after_ok = end == len(host) or host[end] in ".-"
        if before_ok and after_ok:
            return True
        start = host.find(official, start + 1)
    return False


def _only_visual(folded: str, brand_skeleton: str) -> bool:
    """Whether every difference is a look-alike swap (``1``/``i``, ``rn``/``m``), no real typo."""
    vocab = vocabulary()
    matcher = difflib.SequenceMatcher(None, folded, brand_skeleton, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        seen, meant = folded[a1:a2], brand_skeleton[b1:b2]
        if op != "replace":
            return False
        if len(seen) == len(meant):
            if any(x != y and (x, y) not in vocab.visual_pairs for x, y in zip(seen, meant)):
                return False
        elif not (vocab.sequence_costs.get(seen, ("",))[0] == meant
                  or vocab.sequence_costs.get(meant, ("",))[0] == seen):
            return False
    return True


def _describe_difference(shown: str, name: str) -> str:
    """``c1gna`` vs ``cigna`` -> ``"'1' instead of 'i'"``: at most three differences."""
    if len(shown) == len(name):
        diff = [i for i, (x, y) in enumerate(zip(shown, name)) if x != y]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and shown[diff[0]] == name[diff[1]] \
                and shown[diff[1]] == name[diff[0]]:
            return f"'{name[diff[0]:diff[1] + 1]}' swapped to '{shown[diff[0]:diff[1] + 1]}'"
    parts = []
    matcher = difflib.SequenceMatcher(None, shown, name, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "replace":
            parts.append(f"'{_visible(shown[a1:a2])}' instead of '{name[b1:b2]}'")
        elif op == "delete":
            parts.append(f"extra '{_visible(shown[a1:a2])}'")
        elif op == "insert":
            parts.append(f"'{name[b1:b2]}' left out")
    if not parts:
        return "same letters"
    text = ", ".join(parts[:3]) + (" …" if len(parts) > 3 else "")
    odd = sorted({c for c in shown if not c.isascii()})
    if odd:
        text += "; " + ", ".join(f"'{c}' is {_script_names(frozenset({_script(c)}))}" for c in odd[:3])
    return text


def _visible(text: str) -> str:
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


__all__ = ["HostJudge", "HostJudgement", "Brand", "VERDICTS", "OFFICIAL", "SAME_ORGANIZATION",
           "LOOKALIKE", "UNRELATED", "INVALID", "judge_host", "skeleton", "visual_distance",
           "typo_limit", "scripts_of", "is_mixed_script", "host_to_unicode"]
