"""The demo community of "Passaparola Mobile & Banca", seeded into an empty database.

The plan (see plan.py) is replayed in time order through the real services, so domain
events fire and scores, counters, points and outbox rows stay consistent. While a step is
replayed the clock reads the moment it happened (models.base.clock_at): the threads look
90 days old, and so does everything event receivers write about them. The support desk's
part (support_desk.py: escalations, staff notes, verifications, CSAT, preferences) is
replayed the same way after the community's steps, in the same transaction, and so is
the reading history the deflection report is computed from (help_events.py).
"""

import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from tqdm import tqdm
from werkzeug.security import generate_password_hash

from .. import events
from ..bulk import bulk_import
from ..database import transactional
from ..errors import Forbidden
from ..extensions import db
from ..models import Answer, Comment, CsatResponse, Escalation, Question, ThreadView, User, Vote
from ..models.base import clock_at, utcnow
from ..outbox import drain
from ..services import accept, posts, votes
from ..services.accounts import check_password_strength
from .people import DEMO_LOGINS, DEMO_PASSWORD, EMAIL_DOMAINS
from .plan import build_plan
from .help_events import seed_help_events
from .ideas import seed_ideas
from .support_desk import seed_support

__all__ = ["DEMO_LOGINS", "DEMO_PASSWORD", "seed_demo"]

REFUSAL = "Not seeded: the database already has {n:,} members. The demo community only goes into an empty database."


def seed_demo(questions=300, seed=7, progress=False) -> str:
    """Seed the demo community into an empty database; return a one-line summary."""
    started = time.perf_counter()
    for _role, username, password in DEMO_LOGINS:
        check_password_strength(password, username)  # fail loudly if the rules change
    if members := _member_count():
        return REFUSAL.format(n=members)
    plan = build_plan(questions, seed)
    app = current_app._get_current_object()
    # While seeding: no inline outbox drain (one drain at the end instead of a background
    # thread competing for the SQLite write lock), and no community rate limits, which
    # GAMIFICATION.md switches off for imports and demo seeding.
    switched = ("OUTBOX_INLINE", "RATELIMIT_ENABLED")
    saved = {key: app.config[key] for key in switched if key in app.config}
    app.config.update(dict.fromkeys(switched, False))
    try:
        with tqdm(total=len(plan.steps), desc="Seeding the demo community", unit="step",
                  disable=not progress, leave=False) as bar:
            # Badges, leaderboards and the search index are built once, after the commit.
            with bulk_import():
                refused = _seed(plan, utcnow(), bar, seed)
    except IntegrityError:
        db.session.rollback()
        if members := _member_count():  # another seeder won the race
            return REFUSAL.format(n=members)
        raise
    finally:
        for key in switched:
            app.config.pop(key)
        app.config.update(saved)
    if refused is None:
        return REFUSAL.format(n=_member_count())
    if saved.get("OUTBOX_INLINE"):
        while drain()["done"]:
            pass
    if refused:
        app.logger.info("seed: %d downvotes or comments came before their author had earned the right", refused)
    return _summary(time.perf_counter() - started)


def _member_count() -> int:
    count = db.session.scalar(select(func.count()).select_from(User))
    db.session.rollback()
    return count


@transactional
def _seed(plan, now, bar, seed) -> int | None:
    """Add the members and replay every step in one transaction; return how many were refused.

    One transaction: a failed seed leaves an empty database, not half a community, and the
    emptiness check runs under the write lock. Return None if the database is not empty.
    """
    if db.session.scalar(select(func.count()).select_from(User)):
        return None
    bar.reset()  # a retried transaction starts again from the first step
    _add_members(plan.members, now)
    users = {u.username: u for u in db.session.scalars(select(User))}
    ids: dict = {}
    refused = 0
    for step in plan.steps:
        with clock_at(now - timedelta(seconds=step.ago)):
            refused += _replay(step, users[step.actor], ids)
        bar.update()
    seed_ideas(now, users, seed)  # before the desk, which settles every seeded notification
    seed_support(plan, now, users, ids, seed)
    seed_help_events(now, seed)
    return refused


def _add_members(members, now) -> None:
    # Inserted directly with one precomputed hash (scrypt is slow on purpose), then
    # announced like register_user does, so receivers of user_registered run too.
    password_hash = generate_password_hash(DEMO_PASSWORD)
    for i, m in enumerate(members):
        user = User(
            username=m.username, username_key=m.username.lower(),
            email=f"{m.username.lower()}@{EMAIL_DOMAINS[i % len(EMAIL_DOMAINS)]}",
            password_hash=password_hash, role=m.role, display_name=m.display_name, bio=m.bio,
            locale=m.locale, created_at=now - timedelta(seconds=m.joined_ago),
        )
        db.session.add(user)
        db.session.flush()
        with clock_at(user.created_at):
            events.user_registered.send(None, user=user)


def _replay(step, actor, ids) -> int:
    """Do one step through its service; return 1 if the member may not do it (yet), else 0."""
    if step.kind == "ask":
        ids[step.ref] = posts.ask_question(actor, step.title, step.body, step.tags).id
    elif step.kind == "answer":
        ids[step.ref] = posts.post_answer(actor, ids[step.parent], step.body).id
    elif step.kind == "accept":
        accept.accept_answer(actor, ids[step.ref])
    else:
        # Downvotes and comments on others' threads need points earned earlier in the
        # replay; one planned before its author has earned them is refused, as it would
        # be on the site, and skipped.
        try:
            if step.kind == "vote":
                votes.cast_vote(actor, "question" if step.ref[0] == "q" else "answer", ids[step.ref], step.value)
            else:
                target = "question_id" if step.ref[0] == "q" else "answer_id"
                posts.post_comment(actor, step.body, **{target: ids[step.ref]})
        except Forbidden:
            return 1
    return 0


def _summary(seconds: float) -> str:
    def count(model, *where) -> str:
        return f"{db.session.scalar(select(func.count()).select_from(model).where(*where)):,}"

    summary = (
        f"Seeded {count(Question)} questions, {count(Answer)} answers, {count(Vote)} votes, "
        f"{count(Question, Question.accepted_answer_id.is_not(None))} accepted, {count(Comment)} comments, "
        f"{count(Escalation)} escalations, {count(CsatResponse)} CSAT responses, {count(ThreadView)} thread views, "
        f"{count(User)} members in {seconds:.1f}s"
    )
    db.session.rollback()
    return summary
