"""The portal check's words: ``data/vocabulary.toml`` -> a frozen, compiled ``Vocabulary``.

Why one data file: the words that say "this is a provider login" differ between payers and
languages and change more often than the logic. Keeping them out of code lets a payer's words be
added with an override file (lists extend, numbers replace) instead of a release, and keeps the
classifier honest: code describes structure, the file describes language.

Matching is deliberately simple and predictable (see the file's header): case, accents and
punctuation are ignored, terms match whole words with an optional plural, and weighted terms are
matched longest first so that a phrase uses its words once.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from preflight.config.toml import read_toml
from preflight.errors import ConfigError

ROLE_NAMES = ("provider", "member", "employer", "broker")

"""Roles a page can be classified as (besides ``unknown``)."""

NEUTRAL = "neutral"

NOT_HEALTH = "not_health"

"""Label of the words of other businesses (fitness club, bank, pet insurer): against health care."""

INSURANCE = "insurance"

"""Label of any insurer's words (premiums, commissions): health-care evidence that never suffices alone."""

TIER_NAMES = ("strong", "medium", "weak", "hint")

FIELD_KINDS = (
    "npi", "tin", "member_id", "group_id", "agent_id", "dob", "otp", "card", "account_card", "search", "email",
    "phone", "username", "password", "new_password", "confirm", "current_password", "person_name",
    "address", "captcha", "remember", "terms", "ssn",
)

INTENTS = ("login", "next", "signup", "reset", "change_password", "newsletter", "search", "payment",
           "contact", "sso", "recovery", "maintenance", "portal", "account", "topic")

_ZONE_KEYS = ("form_heading", "form", "title", "heading", "url", "main", "nav", "link", "cross_link",
              "other_frame", "repeat_cap")

_HEALTH_ZONE_KEYS = ("form", "title", "heading", "url", "main", "nav", "other_frame")

_DECISION_KEYS = ("min_health", "min_score", "margin", "confidence_scale", "min_confident", "off_purpose", "anchor")

_STOP_URL_LABELS = frozenset({"www", "com", "org", "net", "gov", "edu", "us", "html", "htm", "index",
                              "aspx", "jsp", "php", "do", "en", "es", "http", "https"})

_SENTENCE_END = re.compile(r"[.!?;|•·¿¡]+(?=\s|$)|\n")

def normalize(text: str) -> str:
    """Lower-case, accents removed, anything not a letter or digit a space, single spaces;
    the end of a sentence becomes ``" . "`` so that no phrase is matched across two sentences.

    ``"Contraseña — Pre-Certification. Next"`` -> ``"contrasena pre certification . next"``.
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    marked = _SENTENCE_END.sub(" \x00 ", stripped)
    return " ".join(re.sub(r"[^a-z0-9\x00]+", " ", marked).split()).replace("\x00", ".")

def normalize_term(term: str) -> str:
    """A vocabulary term, normalized like text but keeping its ``*`` wildcards."""
    return " * ".join(normalize(part) for part in term.split("*")).strip()

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

def split_identifier(value: str) -> str:
    """``name``/``id`` attribute -> words: ``"txtUserID"`` -> ``"txt user id"``,
    ``"session[username_or_email]"`` -> ``"session username or email"``."""
    return normalize(_CAMEL.sub(" ", value))

@dataclass(frozen=True)
class Hit:
    """One weighted term found in a normalized text."""

    term: str
    label: str
    """The role (or ``health``/``neutral``) the term speaks for."""
    weight: float
    start: int
    end: int

_GAP = "(?:(?!(?:and|or|y|o|\\.) )[a-z0-9]+ ){1,3}"

"""What ``*`` in a term stands for: one to three words, never across "and"/"or" or a sentence end
("your benefits and ID card" is two things, not "your * id card")."""

_BOUNDED = "(?<![a-z0-9])(?:{})(?:e?s)?(?![a-z0-9])"

def _term_pattern(term: str) -> str:
    """``"find * doctor"`` -> ``find <one to three words> doctor`` (``*`` only between words)."""
    return "".join(_GAP if part == "*" else re.escape(part) + " " for part in term.split(" "))[:-1]

def _alternation(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for all ``terms``; at a given start, longer literal terms are tried first."""
    ordered = sorted({t for t in terms if t}, key=lambda t: (-len(t.replace("*", "")), "*" in t, t))
    if not ordered:
        return None
    return re.compile(_BOUNDED.format("|".join(_term_pattern(t) for t in ordered)))

def _base_term(found: str, known: Mapping[str, Any]) -> str | None:
    if found in known:
        return found
    for suffix in ("es", "s"):
        if found.endswith(suffix) and found[: -len(suffix)] in known:
            return found[: -len(suffix)]
    for term in known:
        if "*" in term and re.fullmatch(_term_pattern(term) + "(?:e?s)?", found):
            return term
    return None

class Lexicon:
    """Weighted terms; matched leftmost-longest, each span used once."""

    def __init__(self, entries: Mapping[str, tuple[str, float]]) -> None:
        self.entries = dict(entries)
        self._pattern = _alternation(self.entries)
        self._literal = _alternation(t for t in self.entries if "*" not in t)
        self._wildcards = tuple(re.compile(_BOUNDED.format(_term_pattern(t))) for t in self.entries if "*" in t)

    def hits(self, text: str) -> list[Hit]:
        """Hits in ``text`` (already ``normalize``d), left to right.

        The shared pattern finds where the next term starts; there the longest of the literal and
        wildcard readings wins ("your pharmacy benefit" over "your pharmacy"), except that a
        weighted literal term of another label beats a wildcard reading: in "your company's
        health plan" the words that say whose plan it is ("your company's", an employer's) decide,
        not the "your * plan" that every member page shares.
        """
        if self._pattern is None or not text:
            return []
        found: list[Hit] = []
        position = 0
        while (start := self._pattern.search(text, position)) is not None:
            literal = self._literal.match(text, start.start()) if self._literal is not None else None
            candidates = [start, literal, *(pattern.match(text, start.start()) for pattern in self._wildcards)]
            match = max((m for m in candidates if m is not None), key=lambda m: m.end())
            term = _base_term(match.group(0), self.entries)
            exact = _base_term(literal.group(0), self.entries) if literal is not None else None
            if (literal is not None and exact is not None and term is not None and "*" in term
                    and self.entries[exact][1] > 0
                    and self.entries[exact][0] != self.entries[term][0]):
                match, term = literal, exact
            position = match.end()
            if term is not None:
                label, weight = self.entries[term]
                found.append(Hit(term, label, weight, match.start(), match.end()))
        return found

class Phrases:
    """An unweighted word list: which of these does a text contain?"""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases = tuple(sorted({normalize_term(p) for p in phrases if normalize_term(p)}))
        self._pattern = _alternation(self.phrases)

    def find(self, text: str) -> str | None:
        """The first phrase found in ``text`` (already normalized), or ``None``."""
        if self._pattern is None or not text:
            return None
        match = self._pattern.search(text)
        return _base_term(match.group(0), dict.fromkeys(self.phrases)) if match else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` of every phrase found in ``text`` (already normalized)."""
        if self._pattern is None or not text:
            return []
        return [match.span() for match in self._pattern.finditer(text)]

    def __bool__(self) -> bool:
        return bool(self.phrases)

class UrlWords:
    """Host-label and path-segment tokens (see the file header for the ``*`` rules)."""

    def __init__(self, entries: Mapping[str, str]) -> None:
        self.entries = dict(entries)

    def hits(self, tokens: Iterable[tuple[str, bool]]) -> list[tuple[str, str, str, bool]]:
        """``(token, is_host_label)`` -> ``(token, pattern, label, is_host_label)`` per matching token.

        Where several patterns match a token, the one with the most letters wins (ties: the first
        listed): "sparkasse" (a bank) beats "*kasse" (a health fund), "occidental" (neutral) beats
        "*dental*". A ``neutral`` match uses the token up and is reported like any other."""
        found = []
        for token, is_host in tokens:
            best: tuple[str, str] | None = None
            for pattern, label in self.entries.items():
                if _url_match(pattern, token, is_host) and (
                        best is None or len(pattern.strip("*")) > len(best[0].strip("*"))):
                    best = (pattern, label)
            if best is not None:
                found.append((token, best[0], best[1], is_host))
        return found

def _url_match(pattern: str, token: str, is_host: bool) -> bool:
    if pattern.startswith("*") and pattern.endswith("*") and len(pattern) > 2:
        # "*health*": a host label holding the word anywhere ("hollowayhealthfund", "myhealthplan")
        return is_host and pattern[1:-1] in token and len(token) > len(pattern) - 2
    if pattern.startswith("*"):
        return is_host and token.endswith(pattern[1:]) and len(token) > len(pattern) - 1
    if pattern.endswith("*"):
        return token.startswith(pattern[:-1])
    if token in (pattern, pattern + "s", pattern + "es"):
        return True
    return len(pattern) >= 4 and token.startswith(pattern)

def url_tokens(url: str) -> list[tuple[str, bool]]:
    """Host labels and path segments of ``url`` as ``(token, is_host_label)``; common noise dropped."""
    match = re.match(r"^[a-z][a-z0-9+.-]*://([^/?#]*)([^?#]*)", url.strip().lower())
    if not match:
        return []
    host = match.group(1).rsplit("@", 1)[-1].split(":")[0]
    tokens: list[tuple[str, bool]] = []
    labels = host.split(".")
    for label in labels[:-1] if len(labels) > 1 else labels:
        for part in {label, *label.split("-")}:
            if part and part not in _STOP_URL_LABELS:
                tokens.append((part, True))
    for segment in match.group(2).split("/"):
        segment = re.sub(r"\.(html?|aspx?|jsp|php|do|cfm)$", "", segment)
        words = [w for w in re.split(r"[-_.~%+]+", segment) if w]
        for part in dict.fromkeys([segment, "".join(words), *words]):
            if part and part not in _STOP_URL_LABELS and not part.isdigit():
                tokens.append((part, False))
    return tokens

@dataclass(frozen=True)
class FieldWords:
    """What a control's label (``labels``) or name/id (``attrs``) says it asks for."""

    labels: Phrases
    attrs: Phrases

    def label_match(self, label_text: str) -> str | None:
        return self.labels.find(label_text)

    def attr_match(self, attr_text: str) -> str | None:
        return self.attrs.find(attr_text)

@dataclass(frozen=True)
class Sense:
    """A bare role word that means different roles ("agency": an insurance agency, a broker's; a
    home health agency, a provider), and the longer role phrases that settle it: when a page uses
    one of ``phrases``, its bare ``words`` take that phrase's role."""

    name: str
    words: frozenset[str]
    phrases: frozenset[str]

@dataclass(frozen=True)
class Vocabulary:
    """Everything the portal check knows about words, compiled. Built by ``load_vocabulary``."""

    source: str
    tiers: Mapping[str, float]
    zones: Mapping[str, float]
    """Positional multipliers for role evidence (``form``, ``title``, ``nav`` ...)."""
    health_zones: Mapping[str, float]
    decision: Mapping[str, float]
    roles: Lexicon
    """All role terms, and the ``neutral`` ones that use up words without counting."""
    health: Lexicon
    """Health-care words (label ``health``), their neutral phrases, any insurer's words (label
    ``insurance``), and other businesses' words (label ``not_health``)."""
    role_urls: UrlWords
    health_urls: UrlWords
    purposes: Lexicon
    """Words of pages for something other than a portal; label: the purpose (``careers`` ...)."""
    purpose_urls: UrlWords
    purpose_audiences: Mapping[str, tuple[str, ...]]
    """Per purpose, the roles that purpose's own audience shares a name with (an association's
    "members"): their words count for nothing on such a page, whatever their tier."""
    foreign_purposes: frozenset[str]
    """Purposes (``plan_site = false``) whose pages are never a plan's: a vendor's, an association's.
    Such a page gets no role, with a login or without, whoever it addresses."""
    purpose_unless: Mapping[str, Phrases]
    """Per purpose: phrases that, in the same title or heading or in the page title, say the page
    is a plan's after all ("Student Login | Redwing Campus Health Plans" is a student plan's login)."""
    cross_link_cues: Phrases
    redirect_cues: Phrases
    brands: tuple[tuple[re.Pattern[str], str], ...]
    """``(pattern, role)``: CamelCase portal names ("MyHumana") that name a role's portal."""
    senses: tuple[Sense, ...]
    """Ambiguous bare words ("agency") and the longer phrases that say which role they mean."""
    intents: Mapping[str, Phrases]
    endpoints: UrlWords
    fields: Mapping[str, FieldWords]

    def intent(self, name: str, text: str) -> str | None:
        """The first ``name`` intent phrase found in ``text`` (raw text; normalized here)."""
        return self.intents[name].find(normalize(text))

def packaged_vocabulary_text() -> str:
    return resources.files("preflight").joinpath("data/vocabulary.toml").read_text(encoding="utf-8")

@functools.lru_cache(maxsize=8)
def load_vocabulary(path: str | os.PathLike[str] | None = None) -> Vocabulary:
    """The packaged vocabulary, extended by the override file at ``path`` if given.

    Lists in the override are added to the packaged lists; numbers replace packaged numbers.
    Raises ``ConfigError`` naming the file and key when the override is unreadable or malformed.
    """
    data = tomllib.loads(packaged_vocabulary_text())
    source = "<packaged default>"
    if path is not None:
        override = _read_override(Path(path))
        _validate(override, str(path), partial=True)
        data = _merge(data, override)
        source = f"<packaged default> + {path}"
    _validate(data, source, partial=False)
    return _build(data, source)

def _read_override(path: Path) -> dict[str, Any]:
    return read_toml(path, "vocabulary", "pass the path of a UTF-8 TOML file")

def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        old = merged.get(key)
        if isinstance(old, dict) and isinstance(value, Mapping):
            merged[key] = _merge(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            merged[key] = old + [v for v in value if v not in old]
        else:
            merged[key] = value
    return merged

def _validate(data: Mapping[str, Any], source: str, partial: bool) -> None:
    hint = "see the header of preflight/data/vocabulary.toml"

    def fail(key: str, problem: str) -> None:
        raise ConfigError(f"{source}: {key}: {problem}", hint)

    known = {"version", "tiers", "zones", "health", "not_health", "insurance", "decision", "purpose", "role", "senses", "cues",
             "intent", "fields"}
    for key in data:
        if key not in known:
            fail(key, f"unknown section (known: {', '.join(sorted(known))})")

    def numbers(section: str, keys: Iterable[str], table: Any) -> None:
        if not isinstance(table, Mapping):
            fail(section, "must be a table")
        for key in keys:
            if key not in table and not partial:
                fail(f"{section}.{key}", "missing")
        for key, value in table.items():
            if key not in keys:
                fail(f"{section}.{key}", f"unknown key (known: {', '.join(keys)})")
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                fail(f"{section}.{key}", "must be a number")

    def words(key: str, value: Any) -> None:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            fail(key, "must be a list of non-empty strings")
        for word in value:
            parts = word.split()
            if "*" in word and not key.endswith(".url") and (parts[0] == "*" or parts[-1] == "*" or
                                                             any("*" in p and p != "*" for p in parts)):
                fail(key, f"{word!r}: '*' stands alone between two words (\"find * doctor\")")

    if "tiers" in data or not partial:
        numbers("tiers", (*TIER_NAMES, "url"), data.get("tiers", {}))
    if "zones" in data or not partial:
        numbers("zones", _ZONE_KEYS, data.get("zones", {}))
    if "decision" in data or not partial:
        numbers("decision", _DECISION_KEYS, data.get("decision", {}))
    health = data.get("health", {})
    for key, value in health.items():
        if key == "zones":
            numbers("health.zones", _HEALTH_ZONE_KEYS, value)
        elif key in (*TIER_NAMES, "url", "url_neutral", "neutral"):
            words(f"health.{key}", value)
        else:
            fail(f"health.{key}", "unknown key")
    for section, keys in (("not_health", (*TIER_NAMES, "url")), (INSURANCE, TIER_NAMES)):
        for key, value in data.get(section, {}).items():
            if key not in keys:
                fail(f"{section}.{key}", f"unknown key (use {', '.join(keys)})")
            words(f"{section}.{key}", value)
    for purpose, table in data.get("purpose", {}).items():
        if not isinstance(table, Mapping):
            fail(f"purpose.{purpose}", "must be a table with words and url")
        for key, value in table.items():
            if key not in ("words", "url", "audience", "plan_site", "unless"):
                fail(f"purpose.{purpose}.{key}", "unknown key (use words, url, audience, plan_site or unless)")
            if key == "plan_site":
                if not isinstance(value, bool):
                    fail(f"purpose.{purpose}.plan_site", "must be true or false")
                continue
            words(f"purpose.{purpose}.{key}", value)
            if key == "audience" and any(role not in ROLE_NAMES for role in value):
                fail(f"purpose.{purpose}.audience", f"unknown role (use {', '.join(ROLE_NAMES)})")
    for role, table in data.get("role", {}).items():
        if role not in (*ROLE_NAMES, NEUTRAL):
            fail(f"role.{role}", f"unknown role (use one of {', '.join((*ROLE_NAMES, NEUTRAL))})")
        for key, value in table.items():
            if key not in (*TIER_NAMES, "url", "brand_prefixes"):
                fail(f"role.{role}.{key}", f"unknown key (use {', '.join((*TIER_NAMES, 'url', 'brand_prefixes'))})")
            words(f"role.{role}.{key}", value)
    for name, table in data.get("senses", {}).items():
        if not isinstance(table, Mapping):
            fail(f"senses.{name}", "must be a table with words and phrases")
        for key, value in table.items():
            if key not in ("words", "phrases"):
                fail(f"senses.{name}.{key}", "unknown key (use words or phrases)")
            words(f"senses.{name}.{key}", value)
    if not partial and data.get("senses"):
        role_terms = {normalize_term(t) for role in ROLE_NAMES for tier in TIER_NAMES
                      for t in data["role"].get(role, {}).get(tier, [])}
        for name, table in data["senses"].items():
            for phrase in table.get("phrases", []):
                if normalize_term(phrase) not in role_terms:
                    fail(f"senses.{name}.phrases", f"{phrase!r} is not a role term (list it under a [role.*] tier)")
    for key, value in data.get("cues", {}).items():
        if key not in ("cross_link", "redirect"):
            fail(f"cues.{key}", "unknown key (use cross_link or redirect)")
        words(f"cues.{key}", value)
    for key, value in data.get("intent", {}).items():
        if key == "endpoints":
            words("intent.endpoints.url", value.get("url") if isinstance(value, Mapping) else value)
        elif key in INTENTS:
            words(f"intent.{key}", value)
        else:
            fail(f"intent.{key}", f"unknown intent (known: {', '.join(INTENTS)})")
    for kind, table in data.get("fields", {}).items():
        if kind not in FIELD_KINDS:
            fail(f"fields.{kind}", f"unknown field kind (known: {', '.join(FIELD_KINDS)})")
        for key, value in table.items():
            if key not in ("labels", "attrs"):
                fail(f"fields.{kind}.{key}", "unknown key (use labels or attrs)")
            words(f"fields.{kind}.{key}", value)
    if not partial:
        for name in INTENTS:
            if name not in data.get("intent", {}):
                fail(f"intent.{name}", "missing")
        for kind in FIELD_KINDS:
            if kind not in data.get("fields", {}):
                fail(f"fields.{kind}", "missing")

def _brand_pattern(prefix: str) -> re.Pattern[str]:
    """``"my"`` -> words like ``MyHumana``/``myCigna``: the prefix, then a capital letter."""
    letters = "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in prefix)
    return re.compile(rf"(?<![A-Za-z0-9]){letters}[A-Z][A-Za-z0-9]{{2,}}")

def _build(data: Mapping[str, Any], source: str) -> Vocabulary:
    tiers = {k: float(v) for k, v in data["tiers"].items()}
    role_entries: dict[str, tuple[str, float]] = {}
    role_urls: dict[str, str] = {}
    # Neutral first, then roles: a term listed twice keeps its strongest, most specific reading.
    for role in (NEUTRAL, *ROLE_NAMES):
        table = data["role"].get(role, {})
        for tier in TIER_NAMES:
            for term in table.get(tier, []):
                key = normalize_term(term)
                weight = 0.0 if role == NEUTRAL else tiers[tier]
                if key not in role_entries or weight > role_entries[key][1]:
                    role_entries[key] = (role, weight)
        for token in table.get("url", []):
            role_urls.setdefault(token.lower(), role)
    # Health-care words, the phrases that use them up without meaning health care ("health
    # savings account"), and the words of other businesses, which count against (NOT_HEALTH).
    health_entries: dict[str, tuple[str, float]] = {}
    for term in data["health"].get("neutral", []):
        health_entries[normalize_term(term)] = (NEUTRAL, 0.0)
    for label, table in (("health", data["health"]), (INSURANCE, data.get(INSURANCE, {})),
                         (NOT_HEALTH, data.get("not_health", {}))):
        for tier in TIER_NAMES:
            for term in table.get(tier, []):
                key = normalize_term(term)
                if key not in health_entries or tiers[tier] > health_entries[key][1]:
                    health_entries[key] = (label, tiers[tier])
    # Host labels that hold a health word but are about something else ("occidental"): neutral.
    health_urls = {token.lower(): NEUTRAL for token in data["health"].get("url_neutral", [])}
    for token in data["health"].get("url", []):
        health_urls.setdefault(token.lower(), "health")
    for token in data.get("not_health", {}).get("url", []):
        health_urls.setdefault(token.lower(), NOT_HEALTH)
    intents = {name: Phrases(data["intent"].get(name, [])) for name in INTENTS}
    endpoints = data["intent"].get("endpoints", {})
    endpoint_words = endpoints.get("url", []) if isinstance(endpoints, Mapping) else endpoints
    fields = {kind: FieldWords(Phrases(table.get("labels", [])), Phrases(table.get("attrs", [])))
              for kind, table in data["fields"].items()}
    return Vocabulary(
        source=source,
        tiers=tiers,
        zones={k: float(v) for k, v in data["zones"].items()},
        health_zones={k: float(v) for k, v in data["health"].get("zones", {}).items()},
        decision={k: float(v) for k, v in data["decision"].items()},
        roles=Lexicon(role_entries),
        health=Lexicon(health_entries),
        role_urls=UrlWords(role_urls),
        health_urls=UrlWords(health_urls),
        purposes=Lexicon({normalize_term(term): (name, 1.0) for name, table in data.get("purpose", {}).items()
                          for term in table.get("words", [])}),
        purpose_urls=UrlWords({token.lower(): name for name, table in data.get("purpose", {}).items()
                               for token in table.get("url", [])}),
        purpose_audiences={name: tuple(table.get("audience", [])) for name, table in data.get("purpose", {}).items()},
        foreign_purposes=frozenset(name for name, table in data.get("purpose", {}).items()
                                   if table.get("plan_site", True) is False),
        purpose_unless={name: Phrases(table.get("unless", [])) for name, table in data.get("purpose", {}).items()},
        cross_link_cues=Phrases(data["cues"].get("cross_link", [])),
        redirect_cues=Phrases(data["cues"].get("redirect", [])),
        brands=tuple((_brand_pattern(prefix), role) for role in ROLE_NAMES
                     for prefix in data["role"].get(role, {}).get("brand_prefixes", [])),
        senses=tuple(Sense(name, frozenset(normalize_term(w) for w in table.get("words", [])),
                           frozenset(normalize_term(p) for p in table.get("phrases", [])))
                     for name, table in data.get("senses", {}).items()),
        intents=intents,
        endpoints=UrlWords({token.lower(): "endpoint" for token in endpoint_words}),
        fields=fields,
    )

__all__ = ["Vocabulary", "Sense", "load_vocabulary", "normalize", "split_identifier", "url_tokens", "Hit",
           "ROLE_NAMES", "INSURANCE", "packaged_vocabulary_text"]
