"""Domain events, sent inside the service transaction (past tense, blinker).

Receivers that write to the database (points, badges, counters) use the same session,
so their writes commit or roll back with the fact. Receivers that reach outside the
database (search index, Socket.IO, webhooks, email) only add an outbox row.
"""

from blinker import Namespace

_signals = Namespace()

user_registered = _signals.signal("user-registered")
profile_updated = _signals.signal("profile-updated")
question_asked = _signals.signal("question-asked")
question_edited = _signals.signal("question-edited")
question_deleted = _signals.signal("question-deleted")
answer_posted = _signals.signal("answer-posted")
answer_edited = _signals.signal("answer-edited")
answer_deleted = _signals.signal("answer-deleted")
comment_posted = _signals.signal("comment-posted")
vote_cast = _signals.signal("vote-cast")
answer_accepted = _signals.signal("answer-accepted")
answer_unaccepted = _signals.signal("answer-unaccepted")
# Support staff (see support/services/escalations.py): `kind` is opened, assigned,
# resolved or noted; receivers notify the asker and the owner, call the helpdesk webhook
# and update the live staff queue.
escalation_changed = _signals.signal("escalation-changed")
answer_verified = _signals.signal("answer-verified")
answer_unverified = _signals.signal("answer-unverified")
# The ideas board (support/services/ideas.py): receivers in support/ideas_receivers.py
# notify the author, voters and followers, and award the idea_delivered points and badge.
idea_posted = _signals.signal("idea-posted")
idea_status_changed = _signals.signal("idea-status-changed")
idea_merged = _signals.signal("idea-merged")
