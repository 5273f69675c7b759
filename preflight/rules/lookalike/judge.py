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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from preflight.config.allowlist import Allowlist, Portal
from preflight.rules.hosts import (
    InvalidURL,
    host_parts,
    host_to_unicode,
    is_ip,
    is_loopback,
    label_to_unicode,
    normalize_host,
    registrable_domain,
    tenant_domain,
)
from preflight.rules.lookalike.brands import Brand, derive_brands, official_hosts
from preflight.rules.lookalike.data import lookalike_words
from preflight.rules.lookalike.distance import visual_distance
from preflight.rules.lookalike.skeleton import (
    _script,
    is_mixed_script,
    script_names,
    scripts_of,
    skeleton,
    visible_text,
)

OFFICIAL: Final = "official"

SAME_ORGANIZATION: Final = "same-organization"

LOOKALIKE: Final = "lookalike"

UNRELATED: Final = "unrelated"

INVALID: Final = "invalid"

HostVerdict = Literal["official", "same-organization", "lookalike", "unrelated", "invalid"]
VERDICTS: tuple[HostVerdict, ...] = (OFFICIAL, SAME_ORGANIZATION, LOOKALIKE, UNRELATED, INVALID)


@dataclass(frozen=True, slots=True)
class HostJudgement:
    """What the allowlist makes of one host."""

    host: str
    """Normalised ASCII host (punycode, lower case, no trailing dot); the input as given if invalid."""
    registrable_domain: str
    """``cigna.com`` for ``my.cigna.com``; ``""`` when the host is invalid."""
    verdict: HostVerdict
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


@dataclass(frozen=True)
class _Match:
    rank: int
    """Lower is stronger evidence."""
    signal: str
    target: str
    official_host: str
    reason: str


class HostJudge:
    """Judges hosts against one allowlist; build once, call ``judge`` per host.

    Everything that depends only on the allowlist (brands, their skeletons, length buckets,
    organisation domains) is computed here, and judgements are cached per host.
    """

    def __init__(self, allowlist: Allowlist, cache_size: int = 32768) -> None:
        self.allowlist = allowlist
        self._official_for = official_hosts(allowlist)
        self.brands = derive_brands(allowlist, self._official_for)
        self._by_skeleton = {b.skeleton: b for b in self.brands}
        self._by_length: dict[int, list[Brand]] = {}
        for brand in self.brands:
            self._by_length.setdefault(len(brand.skeleton), []).append(brand)
        # Names long enough to look for inside other words ("mycignaportal"); shorter ones only
        # count as a whole label or hyphen-separated word.
        self._containable = tuple(sorted((b for b in self.brands if len(b.skeleton) >= 5),
                                         key=lambda b: len(b.skeleton), reverse=True))
        self._short = tuple(b for b in self.brands if 2 <= len(b.skeleton) < 5)
        # Short payer names taken from a registrable domain (bcbs.com, kp.org): typo distance
        # cannot cover them without matching every short domain, so their usual disguises are
        # looked for one by one (see _short_name_variant).
        self._short_domains = tuple(b for b in self._short if b.from_domain)
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
    def for_allowlist(cls, allowlist: Allowlist) -> HostJudge:
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
            if brand is not None and (len(flat) >= 3 or (is_domain_label and brand.from_domain)):
                found.append(_Match(5, "hyphenation", brand.target, brand.official_host,
                                    f"'{shown}' is '{brand.name}' with hyphens added."))
                return found
        if is_domain_label and self._short_domains:
            variant = self._short_name_variant(shown, flat, suffix)
            if variant is not None:
                found.append(variant)
                return found
        words = sk.split("-") if "-" in sk else [sk]
        for word in words if len(words) > 1 else ():
            brand = self._by_skeleton.get(word)
            # a two-letter name counts as a hyphenated word only next to generic words ("kp-login")
            if brand is not None and (len(word) >= 3 or all(_generic_words(w) for w in words if w != word)):
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

    def _short_name_variant(self, shown: str, flat: str, suffix: str) -> _Match | None:
        """A short domain name (2-4 letters) in one of its usual disguises.

        On any ending: one character added at the end ("bcbs1", "kpx") or doubled ("uhhc"), two
        neighbours swapped ("ucbs"), only look-alike characters changed ("hvvp" for "hwp", "lcp"
        for "kp"). On the name's own ending only (``hwo.com`` for ``hwp.com``, not ``hwo.net``):
        one slip, which for so short a name is otherwise an ordinary domain: a letter replaced by
        a keyboard neighbour, a one-bit flip, another vowel or a look-alike ("typo-replacement");
        a neighbour's key or a look-alike letter typed in as well ("typo-insertion"); a letter
        left out ("omission"). A letter replaced by a far-away key stays unrelated.
        """
        if not 1 <= len(flat) <= 6:
            return None
        for brand in self._short_domains:
            key = brand.skeleton
            if len(flat) == len(key) + 1 and flat.startswith(key) and flat[-1].isalnum():
                return _Match(5, "appended-character", brand.target, brand.official_host,
                              f"'{shown}' is '{brand.name}' with '{flat[-1]}' added at the end.")
            doubled = next((i for i in range(len(key)) if flat == key[:i + 1] + key[i:]), None) \
                if len(flat) == len(key) + 1 else None
            if doubled is not None:
                return _Match(5, "repeated-character", brand.target, brand.official_host,
                              f"'{shown}' is '{brand.name}' with '{key[doubled]}' doubled.")
            if len(flat) == len(key) and flat != key:
                diff = [i for i, (x, y) in enumerate(zip(flat, key)) if x != y]
                if len(diff) == 2 and diff[1] == diff[0] + 1 and flat[diff[0]] == key[diff[1]] \
                        and flat[diff[1]] == key[diff[0]]:
                    return _Match(5, "transposition", brand.target, brand.official_host,
                                  f"'{shown}' is '{brand.name}' with two letters swapped "
                                  f"({_describe_difference(shown, brand.name)}).")
            if flat != key and abs(len(flat) - len(key)) <= 2 and _only_visual(flat, key) \
                    and 0 < visual_distance(flat, key, 4) <= (2 if len(key) <= 3 else 3):
                return _Match(2, "homoglyph", brand.target, brand.official_host,
                              f"'{shown}' imitates '{brand.name}' with look-alike characters "
                              f"({_describe_difference(shown, brand.name)}).")
            if flat != key and _reads_as(flat, key):
                return _Match(2, "homoglyph", brand.target, brand.official_host,
                              f"'{shown}' imitates '{brand.name}' with look-alike characters "
                              f"({_describe_difference(shown, brand.name)}).")
            if suffix and brand.target.endswith("." + suffix) and brand.target.count(".") == suffix.count(".") + 1:
                # "k1" is "kq" with one bit flipped before it is "kl" to the eye
                raw = shown.replace("-", "")
                slip = _one_slip(flat, key) or (_one_slip(raw, brand.name) if raw != flat and raw.isascii() else None)
                if slip is not None:
                    signal, what = slip
                    return _Match(7, signal, brand.target, brand.official_host,
                                  f"'{shown}' is '{brand.name}' with {what}, on the same ending "
                                  f".{suffix} as {brand.target}.")
        return None

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
            notes.append(f"'{shown}' mixes {script_names(scripts)} letters in one name, a common disguise.")
            return "mixed-script"
        folded = skeleton(shown)
        if len(scripts) == 1 and "LATIN" not in scripts and re.fullmatch(r"[a-z0-9-]+", folded):
            notes.append(f"'{shown}' is written in {script_names(scripts)} letters that look like "
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
    generic = lookalike_words().generic_labels
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


def _reads_as(seen: str, name: str) -> bool:
    """Whether ``seen`` reads as ``name`` once letter pairs that read as one letter are merged
    ("dclbx": "lb" is "b", and "d" looks like "b", so it reads "bcbx") and the rest differ only
    by look-alike pairs."""
    vocab = lookalike_words()
    return seen != name and any(
        len(reading) == len(name) and all(x == y or (x, y) in vocab.visual_pairs for x, y in zip(reading, name))
        for reading in _readings(seen, len(seen) - len(name)))


@functools.lru_cache(maxsize=4096)
def _readings(text: str, merges: int) -> frozenset[str]:
    """``text`` with ``merges`` letter pairs each read as one letter, every way that can be done."""
    if merges <= 0:
        return frozenset({text}) if merges == 0 else frozenset()
    costs = lookalike_words().sequence_costs
    found: set[str] = set()
    for i in range(len(text) - 1):
        letter = costs.get(text[i:i + 2])
        if letter is not None:
            found |= _readings(text[:i] + letter[0] + text[i + 2:], merges - 1)
    return frozenset(found)


def _one_slip(seen: str, name: str) -> tuple[str, str] | None:
    """(signal, description) when ``seen`` is ``name`` after one slip of the hand: a key's
    neighbour (or a one-bit flip, another vowel, a look-alike) for one letter, such a letter typed
    in beside one (or one that reads with it as that letter: "ib" for "b"), or a letter left out."""
    vocab = lookalike_words()
    near = vocab.typo_pairs
    if len(seen) == len(name):
        diff = [i for i, (x, y) in enumerate(zip(seen, name)) if x != y]
        if len(diff) == 1 and (seen[diff[0]], name[diff[0]]) in near:
            i = diff[0]
            return "typo-replacement", f"'{seen[i]}' typed for '{name[i]}'"
    elif len(seen) == len(name) + 1:
        for i in range(len(seen)):
            if seen[:i] + seen[i + 1:] != name:
                continue
            extra = seen[i]
            if any((extra, seen[j]) in near for j in (i - 1, i + 1) if 0 <= j < len(seen)):
                return "typo-insertion", f"'{extra}' typed in beside a neighbouring key"
            # "ib" or "lb" read as "b": the extra letter and its neighbour make that neighbour
            pairs = ([(seen[i:i + 2], seen[i + 1])] if i + 1 < len(seen) else []) + (
                [(seen[i - 1:i + 1], seen[i - 1])] if i > 0 else [])
            if any(vocab.sequence_costs.get(pair, ("",))[0] == letter for pair, letter in pairs):
                return "typo-insertion", f"'{extra}' added, which reads as part of the next letter"
    elif len(seen) == len(name) - 1 and seen:
        for i in range(len(name)):
            if name[:i] + name[i + 1:] == seen:
                return "omission", f"'{name[i]}' left out"
    return None


def _only_visual(folded: str, brand_skeleton: str) -> bool:
    """Whether every difference is a look-alike swap (``1``/``i``, ``rn``/``m``), no real typo."""
    vocab = lookalike_words()
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
            parts.append(f"'{visible_text(shown[a1:a2])}' instead of '{name[b1:b2]}'")
        elif op == "delete":
            parts.append(f"extra '{visible_text(shown[a1:a2])}'")
        elif op == "insert":
            parts.append(f"'{name[b1:b2]}' left out")
    if not parts:
        return "same letters"
    text = ", ".join(parts[:3]) + (" …" if len(parts) > 3 else "")
    odd = sorted({c for c in shown if not c.isascii()})
    if odd:
        text += "; " + ", ".join(f"'{c}' is {script_names(frozenset({_script(c)}))}" for c in odd[:3])
    return text
