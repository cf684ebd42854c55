"""Build test data through the real services (so events, counters and points happen)."""

import itertools

from werkzeug.security import generate_password_hash

from gamification import ledger
from support.extensions import db
from support.models import User
from support.services import accept, posts, votes

PASSWORD = "correct horse battery staple"
_HASH = generate_password_hash(PASSWORD)  # hashed once: scrypt is slow on purpose
_seq = itertools.count(1)


class Factory:
    def user(self, username=None, role="member", points=1, locale="it", **fields) -> User:
        """Create an account directly (registration itself has its own tests)."""
        n = next(_seq)
        username = username or f"user{n}"
        user = User(
            username=username,
            username_key=username.lower(),
            email=fields.pop("email", f"{username.lower()}@example.com"),
            password_hash=_HASH,
            role=role,
            points=0,
            locale=locale,
            **fields,
        )
        db.session.add(user)
        db.session.flush()
        # Points go through the ledger, so a member's total always equals its sum (I3).
        ledger.award(user.id, "joined", source_type="user", source_id=user.id, key=f"joined:{user.id}")
        if points > 1:
            ledger.award(user.id, "adjustment", delta=points - 1, key=f"start:{user.id}")
        db.session.commit()
        return user

    def staff(self, **kw) -> User:
        return self.user(role="staff", **kw)

    def question(self, author=None, title=None, body=None, tags=("sim",)):
        author = author or self.user()
        n = next(_seq)
        return posts.ask_question(
            author,
            title or f"Come posso attivare la SIM numero {n}?",
            body or "Ho ricevuto la nuova SIM ma non riesco ad attivarla, cosa devo fare?",
            list(tags),
        )

    def answer(self, question, author=None, body=None):
        author = author or self.user()
        return posts.post_answer(author, question.id, body or "Riavvia il telefono e attendi qualche minuto.")

    def vote(self, voter, target, value=1):
        kind = "question" if hasattr(target, "title") else "answer"
        return votes.cast_vote(voter, kind, target.id, value)

    def accept(self, actor, answer):
        return accept.accept_answer(actor, answer.id)
