"""Votes per second through the real service (points ledger, cap, badges, outbox) on one thread.

    python -m bench.votes [--votes 500] [--database-url URL]

Prints the mean and p50/p95 latency of `cast_vote` and the resulting rate, then runs
`doctor` on the result. The HTTP harness of the benchmark issue measures the full stack;
this isolates the service layer.
"""

import argparse
import statistics
import tempfile
import time

from werkzeug.security import generate_password_hash


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--votes", type=int, default=500)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args()

    from support import create_app
    from support.doctor import run_checks
    from support.extensions import db
    from support.models import User
    from support.services import posts
    from support.services.votes import cast_vote

    folder = tempfile.mkdtemp(prefix="bench-votes-")
    url = args.database_url or f"sqlite:///{folder}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": folder, "RATELIMIT_ENABLED": False,
                      "OUTBOX_INLINE": False, "SECRET_KEY": "bench"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        password = generate_password_hash("bench-password")
        users = [User(username=f"u{i}", username_key=f"u{i}", email=f"u{i}@example.com", password_hash=password,
                      points=0) for i in range(args.votes + 1)]
        db.session.add_all(users)
        db.session.commit()
        from gamification import ledger

        for user in users:
            ledger.award(user.id, "joined", source_type="user", source_id=user.id, key=f"joined:{user.id}")
        db.session.commit()
        author = users[0]
        question = posts.ask_question(author, "Come attivo il roaming in Svizzera?", "Sono a Lugano senza rete dati da ieri.", ["roaming"])
        answer = posts.post_answer(author, question.id, "Attiva il roaming dati nelle impostazioni.")
        voter_ids = [u.id for u in users[1:]]
        timings = []
        for voter_id in voter_ids:
            voter = db.session.get(User, voter_id)
            started = time.perf_counter()
            cast_vote(voter, "answer", answer.id, 1)
            timings.append(time.perf_counter() - started)
        failures = [name for name, problems in run_checks() if problems]
    timings_ms = sorted(t * 1000 for t in timings)
    print(f"database: {url.split(':')[0]}")
    print(f"votes: {len(timings_ms)}")
    print(f"mean {statistics.mean(timings_ms):.1f} ms, p50 {timings_ms[len(timings_ms) // 2]:.1f} ms, "
          f"p95 {timings_ms[int(len(timings_ms) * 0.95)]:.1f} ms")
    print(f"rate: {len(timings_ms) / sum(timings):.0f} votes/s on one thread")
    print("doctor: " + ("all invariants hold" if not failures else f"FAILED {failures}"))


if __name__ == "__main__":
    main()
