"""The points table (GAMIFICATION.md): defaults, overridable by an admin setting."""

from flask_babel import lazy_gettext as _l

from support.services.settings import get_setting

POINTS_SETTING = "gamification.points"
DAILY_CAP_SETTING = "gamification.daily_vote_cap"
DEFAULT_DAILY_CAP = 200

# reason -> (default points, who gets them, label shown in the points history)
DEFAULT_POINTS = {
    "joined": (1, "member", _l("Joined the community")),
    "answer_upvoted": (10, "answer author", _l("Answer upvoted")),
    "question_upvoted": (5, "question author", _l("Question upvoted")),
    "answer_accepted": (15, "answer author", _l("Answer accepted")),
    "accepted_answer": (2, "asker", _l("Accepted an answer to your question")),
    "answer_verified": (10, "answer author", _l("Answer verified by staff")),
    "answer_downvoted": (-2, "answer author", _l("Answer downvoted")),
    "downvoted_answer": (-1, "voter", _l("Downvoted an answer")),
    "post_removed": (-100, "author", _l("Post removed as spam or abuse")),
    "idea_delivered": (50, "idea author", _l("Your idea was delivered")),
    # Corrections by an administrator (and imported starting balances); amount given each time.
    "adjustment": (0, "member", _l("Adjustment by an administrator")),
}
# Points from these reasons count toward the daily cap; acceptance and verification are exempt.
CAPPED_REASONS = frozenset({"answer_upvoted", "question_upvoted"})
VOTE_REASONS = frozenset({"answer_upvoted", "question_upvoted", "answer_downvoted", "downvoted_answer"})


def points_table() -> dict[str, int]:
    """Return the points per reason in force: defaults with the admin's overrides."""
    overrides = get_setting(POINTS_SETTING, {}) or {}
    return {
        reason: int(overrides.get(reason, default))
        for reason, (default, _who, _label) in DEFAULT_POINTS.items()
    }


def daily_cap() -> int:
    """Return the most points a member may earn from votes in one UTC day."""
    return int(get_setting(DAILY_CAP_SETTING, DEFAULT_DAILY_CAP))


def reason_label(reason: str):
    """Return the translated label of a ledger reason."""
    entry = DEFAULT_POINTS.get(reason)
    return entry[2] if entry else reason
