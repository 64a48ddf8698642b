"""Ranking maths. Pure: plain numbers in, plain numbers out.

Boards store scores negated (12 points is -12), so ascending order is highest points first
and, within a tie, staff numbers ascending.

Rank is *competition* ranking: 1 + the number of members with strictly more points, so ties
share a rank and the next rank skips (1, 2, 2, 4).

Percentile is the share of the *other* members on the board who have strictly fewer points,
as a percentage rounded to one decimal: "ahead of 87.5% of colleagues". The leader of a board
without ties is 100.0, the last is 0.0, tied members share one value, and a member alone on a
board is 100.0 (there is nobody to be behind). A member not on the board has none.
"""

from __future__ import annotations

from collections.abc import Sequence


def points_of(score: float) -> int:
    """Points from a stored (negated) score; ``+ 0`` turns -0.0 into 0."""
    return int(-score) + 0


def score_of(points: int) -> int:
    return -points


def page_ranks(scores: Sequence[float], offset: int, first_rank: int) -> list[int]:
    """Ranks for a page of ascending (negated) scores starting at position ``offset``.

    ``first_rank`` is the rank of the page's first item (1 + members with a lower score),
    which the page alone cannot know when a tie straddles the page boundary. After it, an
    item whose score differs from the one before it has exactly ``offset + i`` members
    ahead of it, all with strictly more points.
    """
    ranks: list[int] = []
    for i, score in enumerate(scores):
        if i == 0:
            ranks.append(first_rank)
        elif score == scores[i - 1]:
            ranks.append(ranks[-1])
        else:
            ranks.append(offset + i + 1)
    return ranks


def percentile(fewer: int, total: int) -> float:
    """Share of the other ``total - 1`` members with fewer points, in percent."""
    others = total - 1
    if others <= 0:
        return 100.0
    return round(100.0 * fewer / others, 1)


def competition_ranks(values: Sequence[object]) -> list[int]:
    """Ranks for values already sorted best first: equal values share a rank (1, 2, 2, 4)."""
    ranks: list[int] = []
    for i, value in enumerate(values):
        ranks.append(ranks[-1] if i and value == values[i - 1] else i + 1)
    return ranks


def movement(rank: int | None, previous_rank: int | None) -> str:
    """'up', 'down', 'same', 'new' (on the board now, not before) or 'gone' (the reverse)."""
    if rank is None:
        return "gone" if previous_rank is not None else "absent"
    if previous_rank is None:
        return "new"
    return "up" if rank < previous_rank else "down" if rank > previous_rank else "same"
