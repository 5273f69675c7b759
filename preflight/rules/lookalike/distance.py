"""Edit distance between what two labels look like, and how many edits a label of some length may take before it is another name."""

from __future__ import annotations

from preflight.rules.lookalike.data import lookalike_words


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
    vocab = lookalike_words()
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
