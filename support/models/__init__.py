"""The database models, split by concept."""

from .notifications import Notification, TagInterest
from .outbox import OutboxEvent
from .settings import Setting
from .posts import Answer, Comment, Question, Revision, Tag, Vote, question_tags
from .staff import (
    CsatResponse,
    Escalation,
    EscalationEvent,
    LadderStep,
    StaffNote,
    WebhookAttempt,
    WebhookDelivery,
)
from .users import ApiToken, User, user_followed_tags

__all__ = [
    "CsatResponse",
    "Escalation",
    "EscalationEvent",
    "LadderStep",
    "Notification",
    "StaffNote",
    "TagInterest",
    "WebhookAttempt",
    "WebhookDelivery",
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
