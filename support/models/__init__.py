"""The database models, split by concept."""

from .ideas import Idea, IdeaComment, IdeaEvent, IdeaFollow, IdeaVote, idea_tags
from .metrics import ContactFeedback, SolvedFeedback, ThreadView
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
    "Idea",
    "IdeaComment",
    "IdeaEvent",
    "IdeaFollow",
    "IdeaVote",
    "idea_tags",
    "ContactFeedback",
    "SolvedFeedback",
    "ThreadView",
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
