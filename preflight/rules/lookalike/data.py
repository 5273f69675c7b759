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
        for i, char in enumerate(sequence):
            for x, y in pairs:
                if x == char:
                    costs.setdefault(sequence[:i] + y + sequence[i + 1:], (letter, 2))
    costs.update({sequence: (letter, 1) for sequence, letter in sequences.items()})
    return LookalikeWords(
        generic_labels=frozenset(data["generic_labels"]),
        visual_pairs=frozenset(pairs),
        sequences=sequences,
        sequence_costs=costs,
        extra_homoglyphs=dict(data["extra_homoglyphs"]),
    )
