"""Ranks by points (GAMIFICATION.md); the permissions module reads privileges from here."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Rank:
    slug: str
    name: object  # a lazy translated string
    points: int


RANKS = (
    Rank("newcomer", _l("Newcomer"), 1),
    Rank("member", _l("Member"), 15),
    Rank("contributor", _l("Contributor"), 125),
    Rank("helper", _l("Helper"), 500),
    Rank("expert", _l("Expert"), 2000),
    Rank("champion", _l("Champion"), 5000),
)


def rank_for(points: int) -> Rank:
    """Return the highest rank the points reach."""
    current = RANKS[0]
    for rank in RANKS:
        if (points or 0) >= rank.points:
            current = rank
    return current


def next_rank(points: int) -> Rank | None:
    """Return the next rank to reach, or None at the top."""
    for rank in RANKS:
        if (points or 0) < rank.points:
            return rank
    return None


def progress(points: int) -> tuple[int, int]:
    """Return (points into this rank, points this rank spans) for a progress bar."""
    current, upcoming = rank_for(points), next_rank(points)
    if upcoming is None:
        return 1, 1
    return (points or 0) - current.points, upcoming.points - current.points
