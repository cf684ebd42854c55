"""The database models, split by concept."""

from .outbox import OutboxEvent
from .settings import Setting
from .posts import Answer, Comment, Question, Revision, Tag, Vote, question_tags
from .users import ApiToken, User, user_followed_tags

__all__ = [
    "Answer",
    "ApiToken",
    "Comment",
    "OutboxEvent",
    "Question",
    "Revision",
    "Setting",
    "Tag",
    "User",
    "Vote",
    "question_tags",
    "user_followed_tags",
]
