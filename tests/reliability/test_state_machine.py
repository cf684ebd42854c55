"""Random sequences of what members, askers and staff do to a few threads, in-process
through the services: votes, retractions, acceptances, escalations, deletions, the
serial-vote reversal and UTC day rollovers. After every step every invariant holds
(support.doctor.run_checks) and the database agrees with a model of what was done.
"""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from gamification import antiabuse
from gamification.antiabuse import find_serial_votes, reverse_serial_votes
from gamification.models import DailyVotePoints, PointsEntry
from gamification.rules import daily_cap
from support.doctor import run_checks
from support.errors import Conflict, NotFound
from support.extensions import db
from support.models import Answer, Escalation, Question, User
from support.models.base import utcnow
from support.services import accept, escalations, posts, votes
from support.services.settings import set_setting
from tests.figures import record, scale

# Serial voting flagged from two votes for one author within an hour, so that short random
# histories reach it (the default, 10 votes, is for a real community).
SERIAL = {"threshold": 2, "window_minutes": 60, "lookback_hours": 48}


@pytest.fixture
def app_config(app_config):
    """No outbox drain after each commit: search, live events and notifications are not what
    this machine checks, and indexing every step would cost most of its time."""
    return {**app_config, "OUTBOX_SYNC": False, "OUTBOX_INLINE": False}


def _violations() -> dict:
    return {name: problems for name, problems in run_checks() if problems}


def test_serial_votes_on_a_since_deleted_answer_are_reversed_too(app, make, doctor):
    """A deleted post among a serial voter's votes must not block the reversal of them all."""
    admin, author, fan = make.user(role="admin"), make.user(), make.user()
    set_setting(admin, antiabuse.SETTING, SERIAL)
    answers = [make.answer(make.question(), author=author) for _ in range(2)]
    for answer in answers:
        make.vote(fan, answer)
    posts.delete_answer(author, answers[0].id)

    assert reverse_serial_votes(admin) == {"voters": 1, "votes_reversed": 2}
    db.session.expire_all()
    assert [db.session.get(Answer, a.id).score for a in answers] == [0, 0]
    assert db.session.get(User, author.id).points == 1
    doctor()


def _live_vote_points(posts_) -> dict:
    """{(reason, kind, post id): voters} of the vote points on these posts that stand: the
    awards neither reversed nor reversals themselves."""
    wanted = set(posts_)
    rows = db.session.execute(select(
        PointsEntry.id, PointsEntry.reason, PointsEntry.source_type, PointsEntry.source_id, PointsEntry.actor_id,
        PointsEntry.reverses_id,
    ).where(PointsEntry.reason.in_(("question_upvoted", "answer_upvoted", "answer_downvoted")),
            PointsEntry.source_id.in_({post_id for _kind, post_id in wanted}))).all()
    rows = [row for row in rows if (row.source_type, row.source_id) in wanted]
    undone = {row.reverses_id for row in rows}
    live: dict = {}
    for row in rows:
        if row.reverses_id is None and row.id not in undone:
            live.setdefault((row.reason, row.source_type, row.source_id), set()).add(row.actor_id)
    return live


class Thread:
    """A question and its two answers, as the model knows them."""

    def __init__(self, question, answers):
        self.question_id = question.id
        self.answer_ids = [a.id for a in answers]
        self.authors = {("question", question.id): question.author_id,
                        **{("answer", a.id): a.author_id for a in answers}}
        self.deleted: set = set()  # ("question" | "answer", id)
        self.accepted = None
        self.escalated = False

    def gone(self, kind, post_id) -> bool:
        return ("question", self.question_id) in self.deleted or (kind, post_id) in self.deleted


class CommunityMachine(RuleBasedStateMachine):
    """Members vote, askers accept and escalate, staff delete and reverse serial votes."""

    make = None  # set by the test before running: the factory of the test's database
    figures = None  # the test's counters: examples, steps

    @initialize()
    def setup(self):
        make = self.make
        self.figures["examples"] += 1
        self.travel = time_machine.travel(datetime.now(UTC), tick=True)
        self.clock = self.travel.start()
        self.staff = make.user(role="admin")
        set_setting(self.staff, antiabuse.SETTING, SERIAL)
        self.asker, self.answerers = make.user(points=200), [make.user(points=200), make.user(points=200)]
        self.voters = [make.user(points=200) for _ in range(3)]
        self.votes: dict = {}  # (voter id, kind, post id) -> +1 / -1
        self.unpaid: set = set()  # upvotes that earned nothing: the author was at the daily cap
        self.threads = [self._new_thread(), self._new_thread()]

    def teardown(self):
        if getattr(self, "travel", None) is not None:
            self.travel.stop()

    def _new_thread(self) -> Thread:
        question = self.make.question(author=self.asker)
        return Thread(question, [self.make.answer(question, author=who) for who in self.answerers])

    def _post(self, thread_no, post_no):
        """(thread, kind, id): post_no 0 is the question, 1 and 2 its answers."""
        thread = self.threads[thread_no % len(self.threads)]
        if post_no == 0:
            return thread, "question", thread.question_id
        return thread, "answer", thread.answer_ids[post_no - 1]

    def _step(self):
        self.figures["steps"] += 1
        db.session.rollback()

    # -- rules -------------------------------------------------------------------------

    @precondition(lambda self: len(self.threads) < 3)
    @rule()
    def new_thread(self):
        self._step()
        self.threads.append(self._new_thread())

    @rule(voter=st.integers(0, 2), thread=st.integers(0, 2), post=st.integers(0, 2), value=st.sampled_from([1, -1, 0]))
    def vote(self, voter, thread, post, value):
        self._step()
        self._cast(self.voters[voter], *self._post(thread, post), value)

    @rule(voter=st.integers(0, 2), author=st.integers(0, 1))
    def fan_votes(self, voter, author):
        """A member upvotes every answer of one answerer in a row (what serial voting looks like)."""
        self._step()
        for thread in self.threads:
            answer_id = thread.answer_ids[author]
            if not thread.gone("answer", answer_id):
                self._cast(self.voters[voter], thread, "answer", answer_id, 1)

    def _cast(self, member, thread, kind, post_id, value):
        """Vote through the service and the model; check the answer and the points it earned."""
        if thread.gone(kind, post_id):
            with pytest.raises(NotFound):
                votes.cast_vote(member, kind, post_id, value)
            return
        key = (member.id, kind, post_id)
        previous = self.votes.get(key, 0)
        score, mine = votes.cast_vote(member, kind, post_id, value)
        if value:
            self.votes[key] = value
        else:
            self.votes.pop(key, None)
        assert (score, mine) == (self._expected_score(kind, post_id), value)
        self.unpaid.discard(key)
        if value == 1 and previous != 1 and member.id not in self._paid(kind, post_id):
            # An upvote may earn nothing only when its author already has today's cap.
            assert self._today(thread.authors[(kind, post_id)]) == daily_cap()
            self.unpaid.add(key)

    @rule(thread=st.integers(0, 2), answer=st.integers(0, 1), by_staff=st.booleans())
    def accept(self, thread, answer, by_staff):
        self._step()
        thread, _kind, answer_id = self._post(thread, answer + 1)
        actor = self.staff if by_staff else self.asker
        if thread.gone("answer", answer_id):
            with pytest.raises(NotFound):
                accept.accept_answer(actor, answer_id)
            return
        accept.accept_answer(actor, answer_id)
        thread.accepted = answer_id

    @rule(thread=st.integers(0, 2), answer=st.integers(0, 1))
    def unaccept(self, thread, answer):
        self._step()
        thread, _kind, answer_id = self._post(thread, answer + 1)
        if thread.gone("answer", answer_id):
            with pytest.raises(NotFound):
                accept.unaccept_answer(self.asker, answer_id)
        elif thread.accepted != answer_id:
            with pytest.raises(Conflict):
                accept.unaccept_answer(self.asker, answer_id)
        else:
            accept.unaccept_answer(self.asker, answer_id)
            thread.accepted = None

    @rule(thread=st.integers(0, 2), by_staff=st.booleans())
    def escalate(self, thread, by_staff):
        self._step()
        thread = self.threads[thread % len(self.threads)]
        actor = self.staff if by_staff else self.asker
        if thread.gone("question", thread.question_id):
            with pytest.raises(NotFound):
                escalations.escalate(actor, thread.question_id, "Still stuck")
        elif thread.escalated or (not by_staff and thread.accepted):
            with pytest.raises(Conflict):
                escalations.escalate(actor, thread.question_id, "Still stuck")
        else:
            escalations.escalate(actor, thread.question_id, "Still stuck")
            thread.escalated = True

    @rule(thread=st.integers(0, 2))
    def resolve_escalation(self, thread):
        self._step()
        thread = self.threads[thread % len(self.threads)]
        current = escalations.open_escalation(thread.question_id)
        assert (current is not None) == thread.escalated
        if current is not None and not thread.gone("question", thread.question_id):
            escalations.resolve(self.staff, current.id, "outside")
            thread.escalated = False

    @rule(thread=st.integers(0, 2), answer=st.integers(0, 1), by_staff=st.booleans())
    def delete_answer(self, thread, answer, by_staff):
        self._step()
        thread, kind, answer_id = self._post(thread, answer + 1)
        actor = self.staff if by_staff else db.session.get(User, thread.authors[(kind, answer_id)])
        if thread.gone(kind, answer_id):
            with pytest.raises(NotFound):
                posts.delete_answer(actor, answer_id)
            return
        posts.delete_answer(actor, answer_id)
        thread.deleted.add((kind, answer_id))
        if thread.accepted == answer_id:
            thread.accepted = None

    @rule(thread=st.integers(0, 2))
    def delete_question(self, thread):
        """Staff remove a thread (its author may not while it has answers)."""
        self._step()
        thread = self.threads[thread % len(self.threads)]
        if thread.gone("question", thread.question_id):
            with pytest.raises(NotFound):
                posts.delete_question(self.staff, thread.question_id)
            return
        if any(not thread.gone("answer", a) for a in thread.answer_ids):
            with pytest.raises(Conflict):  # not by its author while it has answers
                posts.delete_question(self.asker, thread.question_id)
        posts.delete_question(self.staff, thread.question_id)
        thread.deleted.add(("question", thread.question_id))
        thread.escalated = False  # a removed thread's escalation ends with it

    @rule()
    def reverse_serial_votes(self):
        """The reversal retracts exactly the votes the detection flags, and then none is left."""
        self._step()
        limits = antiabuse.thresholds()
        found = find_serial_votes(limits["threshold"], timedelta(minutes=limits["window_minutes"]),
                                  utcnow() - timedelta(hours=limits["lookback_hours"]))
        flagged = [(voter, kind, post_id) for (voter, _author), found_votes in found.items()
                   for _vote, kind, post_id in found_votes]
        result = reverse_serial_votes(self.staff)
        assert result == {"voters": len(found), "votes_reversed": len(flagged)}
        self.figures["serial_votes_reversed"] += len(flagged)
        for key in flagged:
            self.votes.pop(key, None)
            self.unpaid.discard(key)
        db.session.rollback()
        assert find_serial_votes(limits["threshold"], timedelta(minutes=limits["window_minutes"]),
                                 utcnow() - timedelta(hours=limits["lookback_hours"])) == {}

    @rule(hours=st.sampled_from([1, 24]))
    def time_passes(self, hours):
        """An hour (out of the serial window) or a UTC day (a fresh daily cap) goes by."""
        self._step()
        self.clock.shift(timedelta(hours=hours))

    # -- what must hold after every step -----------------------------------------------------

    def _today(self, member_id) -> int:
        """The member's points from votes today, as the daily cap counts them."""
        return db.session.scalar(select(DailyVotePoints.points).where(
            DailyVotePoints.user_id == member_id, DailyVotePoints.day == utcnow().date())) or 0

    def _paid(self, kind, post_id) -> set:
        return _live_vote_points([(kind, post_id)]).get((f"{kind}_upvoted", kind, post_id), set())

    def _expected_score(self, kind, post_id) -> int:
        return sum(value for (_voter, k, p), value in self.votes.items() if (k, p) == (kind, post_id))

    @invariant()
    def invariants_hold(self):
        db.session.rollback()
        violations = _violations()
        self.figures["violations"] += sum(len(p) for p in violations.values())
        assert not violations, violations

    @invariant()
    def database_agrees_with_the_model(self):
        """Scores, acceptances, open escalations and live vote points are what the model says."""
        db.session.rollback()
        posts_ = [(kind, post_id, thread) for thread in self.threads for kind, post_id in thread.authors]
        scores = {}
        for model, kind in ((Question, "question"), (Answer, "answer")):
            ids = [post_id for k, post_id, _thread in posts_ if k == kind]
            scores.update({(kind, i): score for i, score in
                           db.session.execute(select(model.id, model.score).where(model.id.in_(ids)))})
        live = _live_vote_points([(kind, post_id) for kind, post_id, _thread in posts_])
        for kind, post_id, thread in posts_:
            assert scores[(kind, post_id)] == self._expected_score(kind, post_id), (kind, post_id)
            self._vote_points_agree(thread, kind, post_id, live)
        question_ids = [thread.question_id for thread in self.threads]
        accepted = dict(db.session.execute(
            select(Question.id, Question.accepted_answer_id).where(Question.id.in_(question_ids))).all())
        open_ = Counter(db.session.scalars(select(Escalation.question_id).where(
            Escalation.question_id.in_(question_ids), Escalation.status != "resolved")))
        for thread in self.threads:
            assert accepted[thread.question_id] == thread.accepted
            assert open_[thread.question_id] == int(thread.escalated)  # and never two

    def _vote_points_agree(self, thread, kind, post_id, live):
        """Live vote points match the votes: none left on a removed post, none for a vote taken back."""
        mine = {(v, value) for (v, k, p), value in self.votes.items() if (k, p) == (kind, post_id)}
        up, down = {v for v, value in mine if value == 1}, {v for v, value in mine if value == -1}
        paid = live.get((f"{kind}_upvoted", kind, post_id), set())
        charged = live.get(("answer_downvoted", kind, post_id), set())
        if thread.gone(kind, post_id):
            assert not paid and not charged, (kind, post_id, paid, charged)
            return
        unpaid = {v for (v, k, p) in self.unpaid if (k, p) == (kind, post_id)}
        assert paid == up - unpaid, (kind, post_id, paid, up, unpaid)
        assert charged == (down if kind == "answer" else set()), (kind, post_id, charged, down)


@pytest.mark.slow
def test_random_community_histories_keep_every_invariant(app, make):
    figures = {"examples": 0, "steps": 0, "violations": 0, "serial_votes_reversed": 0}
    CommunityMachine.make = make
    CommunityMachine.figures = figures
    try:
        run_state_machine_as_test(CommunityMachine, settings=settings(
            max_examples=scale(15, 100), stateful_step_count=20, deadline=None, derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much], database=None,
        ))
    finally:
        record("state_machine", "community histories", **figures)
