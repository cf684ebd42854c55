"""The demo's reading history: thread views, "did this solve it?" answers and ask flows.

Without them the deflection dashboard of a fresh demo would be empty. They are written
as plain rows (the beacon writes one row per view too) after the community's replay:
visitors (mostly anonymous, some members) read solved threads over the last 90 days,
a few answer the prompts, some askers say whether they would otherwise have called, and
a share of the visits to the ask page end on a suggested solved question.
"""

import random
import secrets
from datetime import timedelta

from sqlalchemy import insert, select

from search.models import AskFlow
from ..extensions import db
from ..models import Answer, Comment, ContactFeedback, Question, SolvedFeedback, ThreadView, User

DAY = timedelta(days=1)
VISITORS = 2500
DAYS = 90


def seed_help_events(now, seed) -> None:
    rng = random.Random(seed * 104729 + 11)
    visitors = [f"c:{secrets.token_hex(16)}" for _ in range(VISITORS)]
    members = db.session.execute(select(User.id, User.role)).all()
    staff = {uid for uid, role in members if role != "member"}
    readers = [uid for uid, role in members if role == "member"]
    threads = db.session.execute(
        select(Question.id, Question.author_id, Question.created_at, Question.accepted_answer_id, Answer.accepted_at)
        .outerjoin(Answer, Answer.id == Question.accepted_answer_id).where(Question.deleted_at.is_(None))
    ).all()
    answerers: dict = {}
    for qid, uid in db.session.execute(select(Answer.question_id, Answer.author_id)):
        answerers.setdefault(qid, set()).add(uid)
    for qid, uid in db.session.execute(select(Comment.question_id, Comment.author_id).where(Comment.question_id.is_not(None))):
        answerers.setdefault(qid, set()).add(uid)

    views, solved_rows, contact_rows = [], {}, {}
    for qid, author_id, created_at, accepted_id, accepted_at in threads:
        popularity = rng.choice((0.2, 0.5, 1, 1, 2, 4))  # a few threads are read far more
        start = max(created_at, now - DAYS * DAY)
        days = max(0, (now - start).days)
        for day in range(days):
            for _ in range(_poisson(rng, popularity)):
                moment = start + day * DAY + timedelta(seconds=rng.randrange(86400))
                if moment >= now:
                    continue
                member = rng.random() < 0.2
                uid = rng.choice(readers) if member else None
                key = f"u:{uid}" if member else rng.choice(visitors)
                role = ("author" if uid == author_id else "staff" if uid in staff
                        else "answerer" if uid in answerers.get(qid, ()) else None) if uid else None
                solved = accepted_id if accepted_at is not None and moment >= accepted_at else None
                views.append({"question_id": qid, "visitor_key": key, "user_id": uid, "viewed_at": moment,
                              "accepted_answer_id": solved, "viewer_role": role,
                              "ua_class": "mobile" if rng.random() < 0.62 else "browser",
                              "dwell_seconds": min(600, 10 + int(rng.expovariate(1 / 70)))})
                if solved and role is None and rng.random() < 0.09:
                    yes = rng.random() < 0.74
                    when = moment + timedelta(seconds=rng.randrange(20, 300))
                    solved_rows[(qid, key)] = {"question_id": qid, "visitor_key": key, "user_id": uid,
                                               "solved": yes, "answered_at": when}
                    if yes and rng.random() < 0.45:
                        answer = rng.choices(("yes", "no", "not_sure"), (0.2, 0.6, 0.2))[0]
                        contact_rows[(qid, key, "reader")] = {
                            "question_id": qid, "visitor_key": key, "user_id": uid, "source": "reader",
                            "answer": answer, "answered_at": when + timedelta(seconds=5)}
        if accepted_at is not None and rng.random() < 0.45:
            answer = rng.choices(("yes", "no", "not_sure"), (0.35, 0.45, 0.2))[0]
            contact_rows[(qid, f"u:{author_id}", "asker")] = {
                "question_id": qid, "visitor_key": f"u:{author_id}", "user_id": author_id, "source": "asker",
                "answer": answer, "answered_at": accepted_at + timedelta(seconds=30)}
    if views:
        db.session.execute(insert(ThreadView), views)
    if solved_rows:
        db.session.execute(insert(SolvedFeedback), list(solved_rows.values()))
    if contact_rows:
        db.session.execute(insert(ContactFeedback), list(contact_rows.values()))
    _ask_flows(rng, now, visitors, [t for t in threads if t.accepted_at is not None])


def _ask_flows(rng, now, visitors, solved) -> None:
    """Visits to the ask page: some end on a suggested solved question, some post, some just leave."""
    flows = []
    for _ in range(400):
        started = now - timedelta(seconds=rng.randrange(DAYS * 86400))
        shown = [t.id for t in rng.sample(solved, min(3, len(solved)))] if solved else []
        holdout = rng.random() < 0.05
        roll = rng.random()
        clicked = shown[0] if shown and not holdout and roll < 0.45 else None
        outcome = "posted" if roll > 0.8 else None
        flows.append({"visitor_key": rng.choice(visitors), "user_id": None, "started_at": started,
                      "suggestions_shown": [] if holdout else shown, "clicked_question_id": clicked,
                      "outcome": outcome, "holdout": holdout})
    db.session.execute(insert(AskFlow), flows)


def _poisson(rng, mean) -> int:
    """A small Poisson draw (Knuth), enough for a few views a day."""
    limit, k, p = 2.718281828459045 ** -mean, 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
