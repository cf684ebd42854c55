"""The floor: the least a Flask page can cost on this stack, to compare every figure with.

One route, one query through Flask-SQLAlchemy on the same database, one Jinja template;
served by the harness under the same gunicorn settings as Passaparola. A hot path's
ratio to it (requests per second, latency) says what the app adds on top of the stack,
and stays comparable between a quiet machine and a noisy one.

    DATABASE_URL=sqlite:////path/to/passaparola.db gunicorn bench.floor:app
"""

import os

from flask import Flask, render_template
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
db = SQLAlchemy(app)


@app.get("/floor/<int:question_id>")
def floor(question_id):
    row = db.session.execute(text("SELECT id, title FROM questions WHERE id = :id"), {"id": question_id}).first()
    return render_template("floor.html", question=row)
