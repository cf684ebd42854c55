"""Votes and acceptances per second through the real services (points ledger, daily cap,
badges, outbox), on one thread and on several in parallel.

    python -m bench.votes [--votes 1000] [--threads 4] [--accepts 200] [--database-url URL] [--seeded]

Without --seeded it builds a small community in a fresh database (a temporary SQLite
file by default; a given URL is emptied first). With --seeded it votes in a database that
`flask seed-bench` filled (full size: 200k members, 1M answers), on random answers by
members who have not voted on them yet; nothing is dropped, so point it at a copy.

For each phase it prints the rate, p50/p95 latency of the service call, the SQL
statements per call and the CPU time per call of this process. The parallel phase gives
each thread its own app context (its own session and connection), distinct voters and
distinct answers, as concurrent web requests would have. It ends with `doctor`. The HTTP
harness of the benchmark issue measures the full stack; this isolates the service layer.
"""

import argparse
import random
import statistics
import tempfile
import threading
import time

from sqlalchemy import event, func, select

PER_ANSWER = 20  # votes per answer in a fresh community
GROUPS = 8  # disjoint groups of voters in a fresh community, so up to 8 threads never share a voter


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--votes", type=int, default=1000, help="votes per phase (single thread, parallel)")
    parser.add_argument("--threads", type=int, default=4, help="threads of the parallel phase (0 skips it)")
    parser.add_argument("--accepts", type=int, default=200, help="acceptances to time (0 skips them)")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--seeded", action="store_true", help="use the members and answers already in the database")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from support import create_app
    from support.extensions import db

    folder = tempfile.mkdtemp(prefix="bench-votes-")
    url = args.database_url or f"sqlite:///{folder}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": folder, "RATELIMIT_ENABLED": False,
                      "OUTBOX_INLINE": False, "SECRET_KEY": "bench"})
    rng = random.Random(args.seed)
    parallel = max(args.threads, 0)
    wanted = args.votes * (2 if parallel else 1)
    with app.app_context():
        counter = _StatementCounter(db.engine)
        if args.seeded:
            pairs, accepts = _seeded_work(rng, wanted, args.accepts)
        else:
            pairs, accepts = _fresh_work(rng, wanted, args.accepts)
    with app.app_context():
        _clear_outbox()
    print(f"database: {url.split(':')[0]}{' (seeded)' if args.seeded else ''}; "
          f"{len(pairs)} votes on {len({a for _, a in pairs})} answers, {len(accepts)} acceptances")

    single, rest = pairs[:args.votes], pairs[args.votes:]
    _report("votes, 1 thread", *_run(app, counter, [single], _vote))
    if parallel and rest:
        # Each thread votes on its own answers (and, in a fresh community, with its own
        # voters), as requests for different posts would.
        chunks = [[pair for pair in rest if pair[1] % parallel == t] for t in range(parallel)]
        _report(f"votes, {parallel} threads", *_run(app, counter, chunks, _vote))
    _drain(app, len(pairs))
    if accepts:
        _report("acceptances, 1 thread", *_run(app, counter, [accepts], _accept))

    from support.doctor import run_checks
    from support.outbox import pending_count

    with app.app_context():
        failures = [name for name, problems in run_checks() if problems]
        print(f"outbox rows waiting: {pending_count()}")
    print("doctor: " + ("all invariants hold" if not failures else f"FAILED {failures}"))


def _vote(pair):
    from support.extensions import db
    from support.models import User
    from support.services.votes import cast_vote

    voter_id, answer_id = pair
    voter = db.session.get(User, voter_id)  # as a request loads its caller
    return lambda: cast_vote(voter, "answer", answer_id, 1)


def _accept(pair):
    from support.extensions import db
    from support.models import User
    from support.services.accept import accept_answer

    asker_id, answer_id = pair
    asker = db.session.get(User, asker_id)
    return lambda: accept_answer(asker, answer_id)


class _StatementCounter:
    """Count the SQL statements each thread runs (the calls under test only)."""

    def __init__(self, engine):
        self.local = threading.local()
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args):
        self.local.n = getattr(self.local, "n", 0) + 1

    def read(self) -> int:
        return getattr(self.local, "n", 0)


def _run(app, counter, chunks, make_call):
    """Run each chunk of work on its own thread; return (timings, statements, cpu, wall, errors)."""
    from support.extensions import db

    timings, statements, errors = [], [], []
    lock = threading.Lock()

    def worker(chunk):
        mine, counts, failed = [], [], []
        with app.app_context():
            for item in chunk:
                call = make_call(item)
                before = counter.read()
                started = time.perf_counter()
                try:
                    call()
                except Exception as exc:  # counted and shown: the target is no errors
                    failed.append(f"{type(exc).__name__}: {exc}")
                    db.session.rollback()
                    continue
                mine.append(time.perf_counter() - started)
                counts.append(counter.read() - before)
            db.session.remove()
        with lock:
            timings.extend(mine)
            statements.extend(counts)
            errors.extend(failed)

    threads = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    cpu, wall = time.process_time(), time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, statements, time.process_time() - cpu, time.perf_counter() - wall, errors


def _clear_outbox():
    """Mark the rows the set-up wrote (or the seed left) as done: the drain phase then
    measures the votes' rows only."""
    from sqlalchemy import update

    from support.extensions import db
    from support.models import OutboxEvent
    from support.models.base import utcnow

    db.session.execute(update(OutboxEvent).where(OutboxEvent.done_at.is_(None)).values(done_at=utcnow()))
    db.session.commit()


def _drain(app, votes):
    """Carry out the outbox rows the votes wrote (live events), as the drainer after commit would."""
    from support.extensions import db
    from support.outbox import drain, pending_count

    with app.app_context():
        rows = pending_count()
        cpu, wall = time.process_time(), time.perf_counter()
        done = failed = 0
        while True:
            result = drain()
            done, failed = done + result["done"], failed + result["failed"]
            if not result["done"] and not result["failed"]:
                break
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        db.session.remove()
    print(f"outbox drain: {rows} rows ({rows / max(votes, 1):.1f} a vote) in {wall:.1f} s, {done / wall:.0f} rows/s, "
          f"{cpu / max(votes, 1) * 1000:.2f} ms CPU a vote, {failed} failed")


def _report(label, timings, statements, cpu, wall, errors):
    if not timings:
        print(f"{label}: nothing ran; errors: {errors[:3]}")
        return
    ms = sorted(t * 1000 for t in timings)
    print(f"{label}: {len(ms) / wall:.0f}/s, p50 {ms[len(ms) // 2]:.1f} ms, p95 {ms[int(len(ms) * 0.95)]:.1f} ms, "
          f"{statistics.mean(statements):.1f} statements, {cpu / len(ms) * 1000:.2f} ms CPU each, "
          f"{len(errors)} errors" + (f" (first: {errors[0]})" if errors else ""))


def _fresh_work(rng, votes, accepts):
    """Build members, questions and answers in an empty database; return the work to time."""
    from werkzeug.security import generate_password_hash

    from gamification import ledger
    from support.extensions import db
    from support.models import User
    from support.services import posts

    db.drop_all()
    db.create_all()
    n_answers = max(votes // PER_ANSWER, 1)
    n_authors = n_answers  # 20 upvotes an author: 200 points, all within the daily cap
    pool = PER_ANSWER * 2  # voters per group; answer a is voted on by group a % GROUPS
    password = generate_password_hash("bench-password")
    users = [User(username=f"u{i}", username_key=f"u{i}", email=f"u{i}@example.com", password_hash=password, points=0)
             for i in range(n_authors + pool * GROUPS + 2 * accepts)]
    db.session.add_all(users)
    db.session.commit()
    for user in users:
        ledger.award(user.id, "joined", source_type="user", source_id=user.id, key=f"joined:{user.id}")
    db.session.commit()
    ids = [u.id for u in users]
    authors, voters = ids[:n_authors], ids[n_authors:n_authors + pool * GROUPS]
    rest = ids[n_authors + pool * GROUPS:]
    tags = ["roaming", "sim", "fattura", "rete", "app", "ricarica", "modem", "estero"]

    def thread(asker_id, answerer_id):
        question = posts.ask_question(db.session.get(User, asker_id), f"Come attivo il roaming, caso {rng.random():.6f}?",
                                      "Sono a Lugano senza rete dati da ieri.", rng.sample(tags, 2))
        return posts.post_answer(db.session.get(User, answerer_id), question.id, "Attiva il roaming dati nelle impostazioni.").id

    answer_ids = [thread(rng.choice(authors), authors[i % n_authors]) for i in range(n_answers)]
    pairs = [(voters[(answer_id % GROUPS) * pool + (answer_id // GROUPS + k) % pool], answer_id)
             for answer_id in answer_ids for k in range(PER_ANSWER)]
    rng.shuffle(pairs)  # one author's answers are voted on at different moments
    accept_work = [(rest[2 * i], thread(rest[2 * i], rest[2 * i + 1])) for i in range(accepts)]
    db.session.commit()
    return pairs, accept_work


def _seeded_work(rng, votes, accepts):
    """Pick random answers of a seeded community and members who have not voted on them."""
    from support.extensions import db
    from support.models import Answer, Question, User, Vote

    top = db.session.scalar(select(func.max(Answer.id)))
    members = db.session.scalar(select(func.max(User.id)))
    chosen = rng.sample(range(1, top + 1), min(top, max(votes // PER_ANSWER, 1) * 2))
    answers = dict(db.session.execute(
        select(Answer.id, Answer.author_id).join(Question, Question.id == Answer.question_id)
        .where(Answer.id.in_(chosen), Answer.deleted_at.is_(None), Question.deleted_at.is_(None))
    ).all())
    taken = set(db.session.execute(select(Vote.voter_id, Vote.answer_id).where(Vote.answer_id.in_(list(answers)))).all())
    pairs = []
    for answer_id, author_id in answers.items():
        for voter_id in rng.sample(range(1, members + 1), PER_ANSWER):
            if voter_id != author_id and (voter_id, answer_id) not in taken:
                pairs.append((voter_id, answer_id))
    rng.shuffle(pairs)
    open_questions = db.session.execute(
        select(Question.author_id, func.min(Answer.id))
        .join(Answer, Answer.question_id == Question.id)
        .where(Question.accepted_answer_id.is_(None), Question.deleted_at.is_(None), Answer.deleted_at.is_(None),
               Answer.author_id != Question.author_id)
        .group_by(Question.id, Question.author_id)
        .limit(accepts)
    ).all()
    db.session.rollback()
    return pairs[:votes], [tuple(row) for row in open_questions]


if __name__ == "__main__":
    main()
