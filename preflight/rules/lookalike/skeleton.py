"""Unicode skeletons (UTS #39 confusables) and script mixing: what a label looks like, not what it spells."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping

from preflight.rules.lookalike.data import lookalike_words

_FOLDED: dict[str, str] = {}


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


# "LATIN SMALL LETTER U BAR" (ʉ) and "... D WITH STROKE" (đ) are the letter with a mark on it
_LATIN_NAME = re.compile(r"LATIN (?:SMALL |CAPITAL )?LETTER (?:SMALL CAPITAL |DOTLESS )?([A-Z])"
                         r"(?: WITH .*| BAR| STROKE| HOOK| TAIL)?$")


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
        folded = lookalike_words().sequences.get(folded, folded)  # "ⅿ" -> UTS #39 "rn" -> "m"
    if len(_FOLDED) < 100_000:
        _FOLDED[char] = folded
    return folded


def fold_char(char: str) -> str:
    """What a reader takes one non-ASCII character for (``а`` -> ``a``); public for names.fold."""
    return _fold_char(char)


def _decompose(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text).lower() if not unicodedata.combining(c))


def _fold_one(char: str, depth: int) -> str:
    if char.isascii():
        return char
    extra = lookalike_words().extra_homoglyphs.get(char)
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


def script_names(scripts: frozenset[str]) -> str:
    names = sorted(s.replace("_", " ").title() for s in scripts)
    return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]


def visible_text(text: str) -> str:
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")
