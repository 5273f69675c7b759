"""The names an allowlisted payer or portal goes by, and where a text presents one (pure).

Why: a phishing login can sit on any host at all; what gives it away is that it calls itself
by an allowlisted name in the places a reader looks to see whose page it is (domain.impersonates).
Names come from the allowlist: ``payer``, ``name`` and ``aliases``. A parenthetical qualifier
("Evernorth Behavioral Health (providers)") is a description, not part of the name; a name made
only of generic words ("Provider Portal") names nobody.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from preflight.config.allowlist import Allowlist, Portal
from preflight.rules.lookalike.data import lookalike_words


@dataclass(frozen=True)
class PresentedName:
    """An allowlisted name, folded to words."""

    words: tuple[str, ...]
    shown: str
    """As the allowlist spells it."""
    portal: Portal
    read: tuple[str, ...] = ()
    """``words`` as a hurried reader takes them (``_as_read``): what a text's words are matched to."""


@dataclass(frozen=True)
class NameHit:
    name: PresentedName
    rest: tuple[str, ...]
    """The text's other words."""
    start: int = 0
    """Where the name begins among the text's words (0: the text opens with it)."""


def fold(text: str) -> tuple[str, ...]:
    """Lower case, accents and punctuation gone, camel-case kept whole: ``"myCigna"`` -> ``("mycigna",)``.

    Read as a person reads it: invisible format characters (zero-width joiners, soft hyphens)
    are dropped, and a letter of another script that looks like a Latin one is that letter
    ("Cіgna" with a Cyrillic і is "cigna"; UTS #39 prototypes, as for host names)."""
    if not text.isascii():
        from preflight.rules.lookalike.skeleton import fold_char

        text = "".join("" if unicodedata.category(ch) == "Cf" else ch if ch.isascii() else fold_char(ch)
                       for ch in unicodedata.normalize("NFC", text))
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return tuple(re.sub(r"[^a-z0-9]+", " ", plain).split())


_LOOK_ALIKE = (("rn", "m"), ("vv", "w"), ("l", "i"), ("1", "i"), ("0", "o"))
"""Letters a hurried reader takes for one another in a name ("Clgna", "myCigna" with a digit 1)."""


@functools.lru_cache(maxsize=4096)
def _as_read(word: str) -> str:
    for seen, read in _LOOK_ALIKE:
        word = word.replace(seen, read)
    return word


@functools.lru_cache(maxsize=8)
def presented_names(allowlist: Allowlist) -> tuple[PresentedName, ...]:
    """Every distinct name of every login portal, longest first (so "Cigna for Employers" is
    named before "Cigna")."""
    generic = lookalike_words().generic_labels
    found: dict[tuple[str, ...], PresentedName] = {}
    for portal in allowlist.portals:
        for shown in (portal.name, portal.payer, *portal.aliases):
            words = fold(re.sub(r"\([^)]*\)", " ", shown))
            if not words or all(word in generic for word in words) or sum(map(len, words)) < 2:
                continue
            found.setdefault(words, PresentedName(words, shown, portal, tuple(_as_read(w) for w in words)))
    return tuple(sorted(found.values(), key=lambda n: (-len(n.words), -sum(map(len, n.words)))))


def find_name(text: str, names: tuple[PresentedName, ...]) -> NameHit | None:
    """The longest allowlisted name ``text`` holds as whole words (a plural ``s`` allowed), as a
    reader takes them: "Clgna" with a lower-case L is Cigna."""
    words = fold(text)
    if not words:
        return None
    read = tuple(_as_read(word) for word in words)
    for name in names:
        size = len(name.words)
        for start in range(len(words) - size + 1):
            window = read[start:start + size]
            if all(seen == wanted or seen == wanted + "s" for seen, wanted in zip(window, name.read)):
                return NameHit(name, words[:start] + words[start + size:], start)
    return None


__all__ = ["PresentedName", "NameHit", "fold", "presented_names", "find_name"]
