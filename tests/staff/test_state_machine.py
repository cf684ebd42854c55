"""The escalation state machine: every transition allowed or refused exactly as TRANSITIONS says."""

import pytest
from hypothesis import HealthCheck, Phase, settings
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

from support import outbox
from support.doctor import run_checks
from support.errors import Conflict
from support.extensions import db
from support.models import Escalation, EscalationEvent, Question, StaffNote
from support.services import escalations
from support.services.escalations import TRANSITIONS

from .service_helpers import count, snapshot

STATES = ("open", "assigned", "resolved")
# A PATCH body: a status, only an assignee (means "assigned to them"), or only a note.
CHANGES = {
    "status=open": {"status": "open"},
    "status=assigned": {"status": "assigned"},
    "status=resolved": {"status": "resolved"},
    "assignee only": {"assignee": True},
    "note only": {"note": "Ho chiamato il cliente, richiamo domani."},
}


def _target(change):
    if "status" in change:
        return change["status"]
    if "assignee" in change:
        return "assigned"
    return None  # a note is not a transition


def _escalation_in(make, state, staff):
    question = make.question()
    escalation = escalations.escalate(question.author, question.id, "Ancora bloccato")
    if state in ("assigned", "resolved"):
        escalations.take(staff, escalation.id)
    if state == "resolved":
        escalations.resolve(staff, escalation.id, "outside")
    return escalation.id


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("change_name", list(CHANGES))
def test_every_change_from_every_state_is_allowed_or_refused_as_the_table_says(app, make, doctor, state, change_name):
    staff, colleague = make.staff(), make.staff()
    escalation_id = _escalation_in(make, state, staff)
    change = CHANGES[change_name]
    kwargs = {"note": change.get("note"), "status": change.get("status")}
    if change.get("assignee"):
        kwargs["assignee_id"] = colleague.id
    to_status = _target(change)
    allowed = to_status is None or (state, to_status) in TRANSITIONS
    before = snapshot(escalation_id)

    if allowed:
        result = escalations.update_escalation(staff, escalation_id, **kwargs)
        assert result.status == (to_status or state)
        after = snapshot(escalation_id)
        if to_status is None:
            assert after[5] == before[5] + 1  # the note is there
        elif to_status in ("assigned", "resolved"):
            assert after[1] is not None  # someone owns it
        if change.get("assignee"):
            assert after[1] == colleague.id
    else:
        with pytest.raises(Conflict) as refused:
            escalations.update_escalation(staff, escalation_id, **kwargs)
        assert refused.value.code == "illegal_transition"
        assert snapshot(escalation_id) == before
    doctor()


def test_a_refused_change_drops_the_note_sent_with_it(app, make):
    staff = make.staff()
    escalation_id = _escalation_in(make, "resolved", staff)
    before = snapshot(escalation_id)
    with pytest.raises(Conflict):
        escalations.update_escalation(staff, escalation_id, status="assigned", note="Lo riapro io")
    assert snapshot(escalation_id) == before


class EscalationMachine(RuleBasedStateMachine):
    """Random sequences of what askers and staff do to one thread; the invariants hold after each."""

    make = None  # set by the test before the machine runs, with the people it uses
    asker = None
    staff = ()

    @initialize()
    def setup(self):
        make = self.make
        self.question = make.question(author=self.asker)
        self.answers = [make.answer(self.question), make.answer(self.question)]
        self.question_id = self.question.id

    # -- helpers -------------------------------------------------------------------

    def current(self):
        db.session.rollback()
        return escalations.open_escalation(self.question_id)

    def solved(self) -> bool:
        db.session.rollback()
        return db.session.get(Question, self.question_id).accepted_answer_id is not None

    def latest(self):
        db.session.rollback()
        return db.session.scalar(
            select(Escalation).where(Escalation.question_id == self.question_id).order_by(Escalation.id.desc()).limit(1)
        )

    def attempt(self, fn, *args, **kwargs):
        """Run a service; when it refuses with Conflict, prove nothing changed."""
        latest = self.latest()
        before = snapshot(latest.id) if latest else None
        try:
            fn(*args, **kwargs)
        except Conflict:
            latest_after = self.latest()
            assert (latest_after.id if latest_after else None) == (latest.id if latest else None)
            if latest is not None:
                assert snapshot(latest.id) == before
            return False
        return True

    # -- rules ---------------------------------------------------------------------

    @rule(by_staff=st.booleans())
    def escalate(self, by_staff):
        already = self.current() is not None
        actor = self.staff[0] if by_staff else self.asker
        done = self.attempt(escalations.escalate, actor, self.question_id, "Serve aiuto")
        # Refused exactly when one is open, or when the asker already marked it solved.
        assert done is not (already or (not by_staff and self.solved()))

    @rule(who=st.integers(0, 1))
    def take(self, who):
        escalation = self.latest()
        if escalation is None:
            return
        status, owner = escalation.status, escalation.assignee_id
        done = self.attempt(escalations.take, self.staff[who], escalation.id)
        assert done is (status != "resolved" and owner in (None, self.staff[who].id))
        if done:
            assert db.session.get(Escalation, escalation.id).assignee_id == self.staff[who].id

    @rule(frm=st.integers(0, 1))
    def hand_over(self, frm):
        escalation = self.latest()
        if escalation is None:
            return
        to, status = self.staff[1 - frm], escalation.status
        done = self.attempt(escalations.update_escalation, self.staff[frm], escalation.id, assignee_id=to.id)
        assert done is (status != "resolved")
        if done:
            assert db.session.get(Escalation, escalation.id).assignee_id == to.id

    @rule(who=st.integers(0, 1), resolution=st.sampled_from(["community_answer", "staff_answer", "outside", None]))
    def resolve(self, who, resolution):
        escalation = self.latest()
        if escalation is None:
            return
        status = escalation.status
        done = self.attempt(escalations.update_escalation, self.staff[who], escalation.id, status="resolved",
                            resolution=resolution)
        assert done is (status != "resolved")
        if done:
            resolved = db.session.get(Escalation, escalation.id)
            assert resolved.resolved_at is not None and resolved.resolved_by_id == self.staff[who].id
            assert resolved.assignee_id is not None

    @rule(who=st.integers(0, 1))
    def note(self, who):
        escalation = self.latest()
        if escalation is None:
            return
        notes = count(StaffNote, StaffNote.question_id == self.question_id)
        assert self.attempt(escalations.update_escalation, self.staff[who], escalation.id, note="Nota privata")
        assert count(StaffNote, StaffNote.question_id == self.question_id) == notes + 1

    @rule(which=st.integers(0, 1))
    def accept(self, which):
        self.make.accept(self.asker, self.answers[which])

    @precondition(lambda self: getattr(self, "latest_status", None) == "resolved")
    @rule()
    def escalate_again_after_resolution(self):
        solved = self.solved()
        assert self.attempt(escalations.escalate, self.asker, self.question_id, "Il problema è tornato") is not solved
        assert (self.current() is not None) is not solved

    # -- invariants ----------------------------------------------------------------

    @invariant()
    def the_thread_is_consistent(self):
        if not hasattr(self, "question_id"):
            return
        db.session.rollback()
        unresolved = db.session.scalars(
            select(Escalation).where(Escalation.question_id == self.question_id, Escalation.status != "resolved")
        ).all()
        assert len(unresolved) <= 1
        latest = self.latest()
        self.latest_status = latest.status if latest else None  # read by the preconditions
        assert db.session.get(Question, self.question_id).is_escalated == bool(unresolved)
        for escalation in db.session.scalars(select(Escalation).where(Escalation.question_id == self.question_id)):
            assert (escalation.assignee_id is None) == (escalation.status == "open")
            events = db.session.scalars(
                select(EscalationEvent.kind).where(EscalationEvent.escalation_id == escalation.id)
                .order_by(EscalationEvent.id)
            ).all()
            assert events[0] == "opened"
        assert {name: p for name, p in run_checks() if p} == {}  # the doctor agrees


def test_escalation_state_machine(app, make, monkeypatch):
    # The app (with its fresh database) is built once for the whole run; each example
    # starts a new thread of its own, so examples do not interfere with each other.
    # Search is not under test here, and Hypothesis reseeds the global `random` for
    # every example, which makes Whoosh reuse segment names: index nothing.
    monkeypatch.setitem(outbox._handlers, "search.refresh", lambda payload: None)
    EscalationMachine.make, EscalationMachine.asker = make, make.user()
    EscalationMachine.staff = [make.staff(), make.staff()]
    run_state_machine_as_test(EscalationMachine, settings=settings(
        max_examples=25, stateful_step_count=15, deadline=None, database=None,
        # No shrinking: a failure prints its steps at once instead of searching for minutes.
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]))


def test_members_cannot_work_an_escalation_not_even_their_own(app, make):
    from support.errors import Forbidden

    staff = make.staff()
    escalation_id = _escalation_in(make, "open", staff)
    asker = db.session.get(Escalation, escalation_id).question.author
    before = snapshot(escalation_id)
    for member in (asker, make.user(points=5000)):
        with pytest.raises(Forbidden):
            escalations.take(member, escalation_id)
        with pytest.raises(Forbidden):
            escalations.update_escalation(member, escalation_id, status="resolved")
        with pytest.raises(Forbidden):
            escalations.add_note(member, db.session.get(Escalation, escalation_id).question_id, "Posso scrivere qui?")
    assert snapshot(escalation_id) == before
