"""Who may do what: the one place every page, API call and service asks."""

from flask import current_app
from flask_babel import gettext as _

from .errors import Forbidden
from .ranks import RANKS

# The rank that unlocks each privilege (GAMIFICATION.md); an admin may override the
# points needed for any of them with the PRIVILEGE_POINTS setting.
PRIVILEGE_RANKS = {
    "comment_anywhere": "member",
    "flag": "member",
    "downvote": "contributor",
    "edit_others": "helper",
    "close": "helper",
    "expert_queue": "expert",
    "retag": "expert",
    "hide": "champion",
}
_RANK_POINTS = {rank.slug: rank.points for rank in RANKS}
PRIVILEGE_POINTS = {privilege: _RANK_POINTS[rank] for privilege, rank in PRIVILEGE_RANKS.items()}


def has_privilege(user, privilege: str) -> bool:
    """Return whether the member's points (or staff role) unlock a privilege."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    needed = current_app.config.get("PRIVILEGE_POINTS", {}).get(privilege, PRIVILEGE_POINTS[privilege])
    return (user.points or 0) >= needed


def _owns(user, post) -> bool:
    return post is not None and post.author_id == user.id


def _thread_question(post):
    return post if hasattr(post, "title") else post.question


def _reason(user, action, target=None, value=None):
    """Return None when allowed, else the message that explains the refusal."""
    if user is None or not user.is_authenticated:
        return _("Please log in first.")
    if not user.is_active:
        return _("This account is suspended.")
    if action in ("ask", "answer"):
        return None
    if action == "edit":
        if _owns(user, target) or has_privilege(user, "edit_others"):
            return None
        return _("Only the author, Helpers and staff can edit this post.")
    if action == "delete":
        if user.is_staff or _owns(user, target):
            return None
        return _("Only the author and staff can delete this post.")
    if action == "accept":
        question = _thread_question(target)
        if user.is_staff or question.author_id == user.id:
            return None
        return _("Only the person who asked, or staff, can accept an answer.")
    if action == "vote":
        if _owns(user, target):
            return _("You cannot vote on your own post.")
        if value == -1 and not has_privilege(user, "downvote"):
            return _("Downvoting unlocks at the Contributor rank (125 points).")
        return None
    if action == "comment":
        question = _thread_question(target)
        if _owns(user, target) or question.author_id == user.id or has_privilege(user, "comment_anywhere"):
            return None
        return _("Commenting on other threads unlocks at the Member rank (15 points).")
    if action == "escalate":
        question = _thread_question(target)
        if user.is_staff or question.author_id == user.id:
            return None
        return _("Only the person who asked, or staff, can escalate this question.")
    if action in ("staff", "see_staff_notes"):
        return None if user.is_staff else _("This is for support staff only.")
    if action == "admin":
        return None if user.is_admin else _("This is for administrators only.")
    if action in PRIVILEGE_RANKS:
        if has_privilege(user, action):
            return None
        rank = next(r for r in RANKS if r.slug == PRIVILEGE_RANKS[action])
        return _("This unlocks at the %(rank)s rank (%(points)d points).", rank=rank.name, points=rank.points)
    raise ValueError(f"unknown action {action!r}")


def can(user, action: str, target=None, value=None) -> bool:
    """Return whether `user` may do `action` (on `target`)."""
    return _reason(user, action, target, value) is None


def require(user, action: str, target=None, value=None) -> None:
    """Raise Forbidden, with the reason, unless `user` may do `action`."""
    reason = _reason(user, action, target, value)
    if reason is not None:
        raise Forbidden(reason)
