"""Run service calls from threads that start together (concurrency tests on both databases)."""

import threading
import traceback

from support.extensions import db


def run_parallel(app, jobs):
    """Run callables in threads that start together; return the tracebacks of unexpected errors.

    Each thread has its own application context and database session, as a request on a
    real server does. The caller's session is rolled back afterwards, so it sees what the
    threads committed.
    """
    barrier = threading.Barrier(len(jobs))
    errors = []

    def worker(job):
        with app.app_context():
            barrier.wait()
            try:
                job()
            except Exception:  # collected (with where it happened) and asserted on by the test
                errors.append(traceback.format_exc())
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    db.session.rollback()
    return errors
