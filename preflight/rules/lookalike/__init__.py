"""Host verdicts: official, the payer's but unlisted, a lookalike, unrelated, invalid.

``data`` loads the words and brands of ``data/lookalike.toml``; ``skeleton`` says what a label
looks like (UTS #39); ``distance`` how far two look apart; ``brands`` derives the names a
lookalike imitates from the allowlist; ``judge`` puts them together in ``HostJudge``.
"""

from preflight.rules.lookalike.distance import typo_limit, visual_distance
from preflight.rules.lookalike.judge import (
    INVALID,
    LOOKALIKE,
    OFFICIAL,
    SAME_ORGANIZATION,
    UNRELATED,
    VERDICTS,
    HostJudge,
    HostJudgement,
    judge_host,
)
from preflight.rules.lookalike.skeleton import is_mixed_script, scripts_of, skeleton

__all__ = ["HostJudge", "HostJudgement", "VERDICTS", "OFFICIAL", "SAME_ORGANIZATION", "LOOKALIKE", "UNRELATED",
           "INVALID", "judge_host", "skeleton", "visual_distance", "typo_limit", "scripts_of", "is_mixed_script"]
