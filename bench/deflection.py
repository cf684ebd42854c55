"""The monthly deflection report on a month of synthetic events for a busy community.

    python -m bench.deflection [--visitors-per-day 100000] [--days 30] [--no-tracemalloc] [--db URL]

Builds the events in memory as `Events` (plain tuples, as the loader passes them): each
day `visitors-per-day` visitors from a pool where about 40% return, most viewing one
thread, some several; about 5% bot traffic (unknown user agents, short dwell and a few
flooding visitors), insiders, views of unsolved threads, solved-it answers from a few %
of readers, ask flows with a 5% holdout, escalations and acceptances. Then times
`compute` and prints its peak memory: the process's peak RSS (events included) and,
unless --no-tracemalloc, what `compute` itself allocated at its peak (a second, slower
run under tracemalloc). With --db, the events are also bulk inserted into that database
(a fresh schema: the tables are dropped first) and `deflection_report` (loader + compute)
is timed.
"""

import argparse
import random
import resource
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta

from support.metrics.config import DEFAULTS
from support.metrics.deflection import Events, compute

START = date(2026, 10, 1)
QUESTIONS = 50_000
SOLVED_SHARE = 0.6
MEMBERS = 20_000            # registered members among the visitors: u:1 .. u:MEMBERS
STAFF = range(1, 51)        # the first members are staff


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthesise(visitors_per_day: int, days: int, seed: int = 6) -> tuple[Events, dict]:
    """Return a month of synthetic events (see the module docstring) and each question's asker."""
    rng = random.Random(seed)
    pool = [f"c:{rng.getrandbits(96):024x}" for _ in range(int(visitors_per_day * days * 0.6))]
    members = [f"u:{i}" for i in range(1, MEMBERS + 1)]
    accepted = {q: 1_000_000 + q for q in range(1, QUESTIONS + 1) if rng.random() < SOLVED_SHARE}
    accepted_on = {q: rng.randint(-120, days - 1) for q in accepted}   # day index the answer was accepted
    askers = {q: rng.randint(1, MEMBERS) for q in range(1, QUESTIONS + 1)}
    answerers = {q: rng.randint(1, MEMBERS) for q in accepted}
    participants = {q: frozenset((askers[q], answerers.get(q, askers[q]))) for q in askers}
    questions = list(askers)
    asked_by = {}
    for q, user in askers.items():
        asked_by.setdefault(user, []).append(q)
    solved_questions = list(accepted)

    views, solved_answers, contact_answers, ask_flows, escalations = [], [], [], [], []
    for day in range(days):
        midnight = datetime.combine(START + timedelta(days=day), datetime.min.time(), tzinfo=UTC)
        for _ in range(visitors_per_day):
            roll = rng.random()
            if roll < 0.02:                        # a member, sometimes an insider
                user = rng.randint(1, MEMBERS)
                visitor = members[user - 1]
            else:
                user = None
                visitor = rng.choice(pool) if rng.random() < 0.4 else pool[rng.randrange(len(pool))]
            bot = rng.random() < 0.05
            ua = "other" if bot and rng.random() < 0.7 else ("mobile" if rng.random() < 0.55 else "browser")
            n_views = 1 if rng.random() < 0.8 else rng.randint(2, 4)
            second = rng.randrange(86_400 - 3600)
            for k in range(n_views):
                question = rng.choice(solved_questions) if rng.random() < 0.8 else rng.choice(questions)
                if user in asked_by and rng.random() < 0.3:      # members come back to their own threads
                    question = rng.choice(asked_by[user])
                answer = accepted.get(question) if accepted_on.get(question, days) <= day else None
                role = None
                if user is not None:
                    role = "staff" if user in STAFF else ("author" if user == askers[question] else None)
                dwell = rng.randint(1, 9) if bot and ua != "other" else rng.randint(10, 600)
                moment = midnight + timedelta(seconds=second + k * 120)
                views.append((visitor, user, question, moment, answer, role, ua, dwell))
                if rng.random() < 0.001:                         # a vote with no view that day
                    solved_answers.append((visitor, user, question, True, moment + timedelta(days=1)))
                if answer is not None and not bot and rng.random() < 0.03:
                    solved = rng.random() < 0.75
                    solved_answers.append((visitor, user, question, solved, moment + timedelta(seconds=60)))
                    if solved and rng.random() < 0.4:
                        contact_answers.append((visitor, user, question, "reader",
                                                rng.choice(("yes", "no", "no", "not_sure")),
                                                moment + timedelta(seconds=90)))
            if rng.random() < 0.02:                 # an ask flow
                clicked = rng.choice(questions) if rng.random() < 0.4 else None
                outcome = "posted" if rng.random() < 0.3 else None
                holdout = rng.random() < DEFAULTS["holdout_share"]
                ask_flows.append((visitor, user, midnight + timedelta(seconds=second), None if holdout else clicked,
                                  outcome, holdout))
        for _ in range(3):                           # a flooding scraper with a browser user agent
            scraper = f"c:scraper{day}-{_}"
            for k in range(500):
                views.append((scraper, None, rng.choice(questions), midnight + timedelta(seconds=36_000 + k * 5),
                              None, None, "browser", 12))
        for _ in range(300):                         # escalations by askers
            question = rng.choice(questions)
            escalations.append((f"u:{askers[question]}", question,
                                midnight + timedelta(seconds=rng.randrange(86_400))))
    acceptances = [(q, a, datetime.combine(START + timedelta(days=accepted_on[q]), datetime.min.time(), tzinfo=UTC)
                    + timedelta(hours=10), answerers[q] in STAFF, f"u:{askers[q]}") for q, a in accepted.items()]
    for q, *_rest in acceptances[:2000]:
        contact_answers.append((f"u:{askers[q]}", askers[q], q, "asker", rng.choice(("yes", "no", "not_sure")),
                                datetime.combine(START, datetime.min.time(), tzinfo=UTC) + timedelta(days=5)))
    resolved = [(q, at + timedelta(days=1)) for _key, q, at in escalations[::3]]   # every third: by staff
    return Events(views=views, solved_answers=solved_answers, contact_answers=contact_answers, ask_flows=ask_flows,
                  escalations=escalations, acceptances=acceptances, resolved_by_staff=resolved,
                  participants=participants, staff_ids=frozenset(STAFF)), askers


def _insert(url: str, events: Events, askers: dict):
    """Bulk insert the synthetic events into a fresh schema at `url`; return the app."""
    import tempfile

    from sqlalchemy import insert

    from search.models import AskFlow
    from support import create_app
    from support.extensions import db
    from support.models import User
    from support.models.metrics import ContactFeedback, SolvedFeedback, ThreadView
    from support.models.posts import Answer, Question
    from support.models.staff import Escalation

    folder = tempfile.mkdtemp(prefix="bench-deflection-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": folder, "RATELIMIT_ENABLED": False,
                      "OUTBOX_INLINE": False, "SECRET_KEY": "bench"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        long_ago = datetime(2026, 1, 1, tzinfo=UTC)
        db.session.execute(insert(User), [
            {"id": i, "username": f"u{i}", "username_key": f"u{i}", "email": f"u{i}@example.com",
             "password_hash": "x", "points": 0, "role": "staff" if i in STAFF else "member"}
            for i in range(1, MEMBERS + 1)])
        db.session.execute(insert(Question), [
            {"id": q, "author_id": askers[q], "title": f"q{q}", "body": "b", "body_html": "b", "created_at": long_ago}
            for q in askers])
        answers = {a: (q, at) for q, a, at, _staff, _asker in events.acceptances}
        db.session.execute(insert(Answer), [
            {"id": a, "question_id": q, "author_id": next(iter(events.participants[q] - {askers[q]}), askers[q]), "body": "a", "body_html": "a",
             "accepted_at": at, "created_at": long_ago} for a, (q, at) in answers.items()])
        db.session.execute(Question.__table__.update().where(Question.id == db.bindparam("qid"))
                           .values(accepted_answer_id=db.bindparam("aid")),
                           [{"qid": q, "aid": a} for a, (q, _at) in answers.items()])
        columns = ("visitor_key", "user_id", "question_id", "viewed_at", "accepted_answer_id", "viewer_role",
                   "ua_class", "dwell_seconds")
        for i in range(0, len(events.views), 50_000):
            db.session.execute(insert(ThreadView), [dict(zip(columns, row)) for row in events.views[i:i + 50_000]])
        latest = {(v, q): (v, u, q, s, at) for v, u, q, s, at in sorted(events.solved_answers, key=lambda r: r[4])}
        db.session.execute(insert(SolvedFeedback), [
            {"visitor_key": v, "user_id": u, "question_id": q, "solved": s, "answered_at": at}
            for v, u, q, s, at in latest.values()])
        contact = {(v, q, src): (v, u, q, src, ans, at) for v, u, q, src, ans, at in events.contact_answers}
        db.session.execute(insert(ContactFeedback), [
            {"visitor_key": v, "user_id": u, "question_id": q, "source": src, "answer": ans, "answered_at": at}
            for v, u, q, src, ans, at in contact.values()])
        db.session.execute(insert(AskFlow), [
            {"visitor_key": v, "user_id": u, "started_at": at, "suggestions_shown": [], "clicked_question_id": c,
             "outcome": o, "holdout": h} for v, u, at, c, o, h in events.ask_flows])
        db.session.execute(insert(Escalation), [
            {"question_id": q, "status": "resolved", "source": "asker", "sla_due_at": at + timedelta(days=1),
             "created_at": at, "resolved_at": at + timedelta(days=1) if i % 3 == 0 else at + timedelta(hours=2),
             "resolution": "staff_answer" if i % 3 == 0 else "community_answer"}
            for i, (_key, q, at) in enumerate(events.escalations)])
        db.session.commit()
    return app


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visitors-per-day", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the second, slower measured run")
    parser.add_argument("--db", default=None, help="also bulk insert into this database and time the loader")
    args = parser.parse_args()

    started = time.perf_counter()
    events, askers = synthesise(args.visitors_per_day, args.days)
    built = time.perf_counter() - started
    end = START + timedelta(days=args.days - 1)
    today = end + timedelta(days=30)
    config = dict(DEFAULTS)
    rss_events = _peak_rss_mb()
    print(f"events: {len(events.views):,} views, {len(events.solved_answers):,} solved-it answers, "
          f"{len(events.contact_answers):,} contact answers, {len(events.ask_flows):,} ask flows, "
          f"{len(events.escalations):,} escalations, {len(events.acceptances):,} acceptances "
          f"(built in {built:.1f} s, peak RSS {rss_events:.0f} MB)")

    started = time.perf_counter()
    report = compute(events, config, START, end, today)
    seconds = time.perf_counter() - started
    print(f"compute: {seconds:.1f} s; peak RSS {_peak_rss_mb():.0f} MB (events included)")
    if not args.no_tracemalloc:
        tracemalloc.start()
        compute(events, config, START, end, today)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"compute under tracemalloc: peak {peak / 2**20:.0f} MB allocated by compute itself")
    q, f = report["quantities"], report["funnel"]
    print(f"report: E={q['E']:,} A={q['A']:,} Q={q['Q']:,} D={report['deflected']['D']:,} "
          f"headline {report['savings']['headline']:,}; qualified views {f['qualified_views']:,}, "
          f"removed " + ", ".join(f"{x['name']} {x['removed']:,}" for x in report["filters"]))

    if args.db:
        from support.metrics.report import canonical_json, deflection_report

        started = time.perf_counter()
        app = _insert(args.db, events, askers)
        print(f"db: inserted in {time.perf_counter() - started:.0f} s ({args.db.split(':')[0]})")
        del events
        with app.app_context():
            started = time.perf_counter()
            from_db = deflection_report(START, end, today=today)
            print(f"db: deflection_report (loader + compute) {time.perf_counter() - started:.1f} s; "
                  f"peak RSS {_peak_rss_mb():.0f} MB")
        same = canonical_json({k: v for k, v in from_db.items() if k != "config"}) == \
            canonical_json({k: v for k, v in report.items() if k != "config"})
        print("db: report " + ("identical to the in-memory one" if same else "DIFFERS from the in-memory one"))


if __name__ == "__main__":
    main()
