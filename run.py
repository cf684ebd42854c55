"""Entry point: `python run.py` serves Passaparola on 127.0.0.1:5000.

On the first start it creates the embedded SQLite database (Flask-Migrate's upgrade) and
seeds the demo community. `gunicorn run:app` and the tests use `app` below.
"""

import os

from support import create_app
from support.extensions import socketio

app = create_app()


def prepare_database():
    """Create or migrate the schema, and seed the demo community when it is empty."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from support.extensions import db
    from support.models import User

    with app.app_context():
        upgrade()
        if app.config["SEED_DEMO_ON_START"] and not db.session.scalar(select(func.count()).select_from(User)):
            from support.seed import seed_demo

            print(seed_demo(progress=True))
        db.session.remove()


if __name__ == "__main__":
    prepare_database()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    print(f"\n  Passaparola is running at http://{host}:{port}/\n")
    if app.config["SEED_DEMO_ON_START"]:
        from support.seed import DEMO_LOGINS

        print("  Demo logins (password for all: see below):")
        for role, username, password in DEMO_LOGINS:
            print(f"    {role:<8} {username:<12} {password}")
        print()
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True)
