"""The lookalike judge's data (``data/lookalike.toml``): generic words, well-known brands, loaded once."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class LookalikeWords:
    """The contents of ``data/lookalike.toml``."""

    generic_labels: frozenset[str]
    visual_pairs: frozenset[tuple[str, str]]
    sequences: Mapping[str, str]
    """``rn`` -> ``m``: two letters that read as one."""
    sequence_costs: Mapping[str, tuple[str, int]]
    """``rn`` -> (``m``, 1), and with a look-alike letter inside, ``rr`` -> (``m``, 2)."""
    extra_homoglyphs: Mapping[str, str]
    typo_pairs: frozenset[tuple[str, str]] = frozenset()
    """Two characters one slip of the hand or of the hardware turns into each other: neighbours
    on a keyboard layout of ``[keyboards]``, one bit apart (``bitsquatting``: ``c``/``s``), two
    vowels, or a look-alike pair."""


@functools.cache
def lookalike_words() -> LookalikeWords:
    text = resources.files("preflight").joinpath("data/lookalike.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    pairs = set()
    for a, b in data["visual_pairs"]:
        pairs.update({(a, b), (b, a)})
    sequences = dict(data["sequences"])
    costs: dict[str, tuple[str, int]] = {}
    for sequence, letter in sequences.items():
        # one letter swapped for a look-alike ("uv" reads as "w" like "vv"), or a doubled letter
        # for a doubled look-alike ("uu")
        variants = {sequence[:i] + y + sequence[i + 1:] for i in range(len(sequence))
                    for x, y in pairs if x == sequence[i]}
        if len(set(sequence)) == 1:
            variants |= {y * len(sequence) for x, y in pairs if x == sequence[0]}
        for variant in variants - {sequence}:
            costs.setdefault(variant, (letter, 2))
    costs.update({sequence: (letter, 1) for sequence, letter in sequences.items()})
    return LookalikeWords(
        generic_labels=frozenset(data["generic_labels"]),
        visual_pairs=frozenset(pairs),
        sequences=sequences,
        sequence_costs=costs,
        extra_homoglyphs=dict(data["extra_homoglyphs"]),
        typo_pairs=frozenset(pairs | _keyboard_pairs(data.get("keyboards", {})) | _bit_pairs() | _vowel_pairs()),
    )


def _keyboard_pairs(layouts: Mapping[str, list[str]]) -> set[tuple[str, str]]:
    """Keys that touch: left and right on a row, and the two above and below (rows are staggered
    half a key to the right going down)."""
    found: set[tuple[str, str]] = set()
    for rows in layouts.values():
        for r, row in enumerate(rows):
            for c, key in enumerate(row):
                near = [row[c + 1]] if c + 1 < len(row) else []
                if r + 1 < len(rows):
                    below = rows[r + 1]
                    near += [below[i] for i in (c - 1, c) if 0 <= i < len(below)]
                for other in near:
                    found.update({(key, other), (other, key)})
    return found


def _bit_pairs() -> set[tuple[str, str]]:
    """Host characters one flipped bit apart: a memory error turns ``bcbs`` into ``bkbs``."""
    chars = "abcdefghijklmnopqrstuvwxyz0123456789-"
    return {(a, b) for a in chars for b in chars if bin(ord(a) ^ ord(b)).count("1") == 1}


def _vowel_pairs() -> set[tuple[str, str]]:
    return {(a, b) for a in "aeiou" for b in "aeiou" if a != b}
