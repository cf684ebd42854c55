"""The support side of the demo community, replayed after the community's own history.

Every step goes through the real services at the moment it happened (clock_at), so the
escalations, their timelines, notes, notifications, CSAT responses and verification
points look as they would on a live site: members with contact preferences and followed
tags, staff who verified good answers, escalations in every state (open within and past
their SLA, assigned to each staff member, resolved in each way) and three months of CSAT.

The ladder's rungs are settled too: a question the seed treats as history has passed
them, so the first sla-tick after seeding offers or escalates only what is really due.
"""

import random
from datetime import timedelta

from sqlalchemy import select, update

from ..errors import ServiceError
from ..extensions import db
from ..ladder import escalate_to_staff, offer_to_experts
from ..models import LadderStep, Notification, Question
from ..models.base import clock_at
from ..services import accounts, csat, escalations, official
from ..sla import escalate_after, expert_after, ladder_settings
from . import people as data
from .text_support import CSAT_COMMENTS, NOTES, REASONS

HOUR, DAY = 3600.0, 86_400.0
MIN_AGO = 120.0  # nothing is replayed in the last two minutes before "now"
# Threads whose T2 passed less than this long ago are left for the live ladder's first tick.
LEFT_FOR_THE_LADDER = 6 * HOUR
SCORES = {"high": ((5, 4, 3, 2, 1), (46, 34, 12, 5, 3)), "low": ((5, 4, 3, 2, 1), (22, 30, 26, 13, 9))}

# (username, contact channel, phone, followed tags) for demo accounts people log in as.
PREFERENCES = [
    (data.MEMBER, "email", None, "sim esim roaming"),
    (data.MEMBER_EN, "email", None, "esim roaming iban"),
    (data.TOP, "sms", "+39 347 555 0142", "rete 5g internet"),
    (data.TOP2, "in_app", None, "esim sim portabilita"),
    (data.TOP_EN, "email", None, "expat spid"),
]
TOPIC_TAGS = {
    "it": ["sim", "roaming", "bonifico", "carta", "app", "ricarica", "fatturazione", "internet", "esim", "spid"],
    "en": ["esim", "roaming", "iban", "expat", "card", "top-up", "internet", "billing"],
}


def seed_support(plan, now, users, ids, seed) -> None:
    """Replay the support desk's part of the demo history (inside the seed's transaction)."""
    Desk(plan, now, users, ids, seed).run()


class Desk:
    def __init__(self, plan, now, users, ids, seed):
        self.rng = random.Random(seed * 7919 + 5)
        self.plan, self.now, self.users, self.ids = plan, now, users, ids
        self.accepted = {step.ref: step.ago for step in plan.steps if step.kind == "accept"}
        self.used: set = set()  # threads that have an escalation
        self.resolved: list = []  # (thread, resolution, moment) of each resolved escalation
        self.window = ladder_settings()["window_days"] * DAY
        self.t1, self.t2 = expert_after().total_seconds(), escalate_after().total_seconds()

    # --- helpers ------------------------------------------------------------------------

    def at(self, ago):
        return clock_at(self.now - timedelta(seconds=max(ago, MIN_AGO)))

    def qid(self, thread) -> int:
        return self.ids[("q", thread.index)]

    def staff_for(self, thread):
        return self.users[data.STAFF if thread.lang == "it" else data.STAFF_EN]

    def asker(self, thread):
        return self.users[thread.asker.username]

    def note(self, thread, moment):
        return self.rng.choice(NOTES[thread.lang][moment])

    def accepted_ago(self, thread):
        return next((self.accepted[("a", a.index)] for a in thread.answers if ("a", a.index) in self.accepted), None)

    def pick(self, pool, k):
        pool = [t for t in pool if t.index not in self.used]
        chosen = self.rng.sample(pool, min(k, len(pool)))
        self.used.update(t.index for t in chosen)
        return chosen

    # --- the replay ---------------------------------------------------------------------

    def run(self):
        before = dict(db.session.execute(select(Question.id, Question.last_activity_at)).all())
        self.preferences()
        self.verifications()
        self.expert_rung()
        self.history()
        self.current()
        self.staff_rung()
        self.satisfaction()
        self.settle_notifications()
        # Escalating an old thread must not make it look freshly active.
        after = dict(db.session.execute(select(Question.id, Question.last_activity_at)).all())
        moved = [{"id": qid, "last_activity_at": old} for qid, old in before.items() if after[qid] < old]
        if moved:
            db.session.execute(update(Question), moved)

    def preferences(self):
        for username, channel, phone, tags in PREFERENCES:
            accounts.update_preferences(self.users[username].id, contact_channel=channel, phone=phone,
                                        followed_tags=tags)
        fixed = {m[0] for m in data.FIXED_MEMBERS}
        generated = sorted((u for u in self.users.values() if u.username not in fixed), key=lambda u: u.username)
        for i, user in enumerate(self.rng.sample(generated, min(9, len(generated)))):
            channel = "email" if i < 5 else "sms"
            phone = f"+39 3{self.rng.randrange(20, 50)} {self.rng.randrange(100, 999)} {self.rng.randrange(1000, 9999)}"
            lang = "en" if user.locale == "en" else "it"
            tags = " ".join(self.rng.sample(TOPIC_TAGS[lang], self.rng.randint(1, 3)))
            accounts.update_preferences(user.id, contact_channel=channel, phone=phone if channel == "sms" else None,
                                        followed_tags=tags)

    def verifications(self):
        """Staff check good member answers now and then, the accepted ones more often."""
        for thread in self.plan.threads:
            for answer in thread.answers:
                if answer.author.is_staff or answer.kind != "good":
                    continue
                if self.rng.random() < (0.3 if ("a", answer.index) in self.accepted else 0.04):
                    ago = max(answer.ago - self.rng.uniform(1, 30) * HOUR, answer.ago * 0.5)
                    with self.at(ago):
                        official.verify_answer(self.staff_for(thread), self.ids[("a", answer.index)])

    def expert_rung(self):
        """The ladder's first rung for every recent thread, at T1 (experts hear of the unanswered ones)."""
        for thread in self.plan.threads:
            if self.t1 + MIN_AGO < thread.ago <= self.window:
                with self.at(thread.ago - self.t1):
                    offer_to_experts(self.qid(thread))

    def escalate(self, thread, ago, source):
        """Open an escalation: by the ladder at T2, the asker ("I still need help") or staff."""
        with self.at(ago):
            if source == "sla":
                if not escalate_to_staff(self.qid(thread)):
                    return None
                return escalations.open_escalation(self.qid(thread))
            if source == "asker":
                return escalations.escalate(self.asker(thread), self.qid(thread), self.rng.choice(REASONS[thread.lang]))
            return escalations.escalate(self.staff_for(thread), self.qid(thread), "")

    def work(self, escalation, thread, owner, taken_ago, resolve_ago=None, resolution=None, working=True):
        """Take an escalation, note progress, and resolve it (each at its moment)."""
        with self.at(taken_ago):
            escalations.update_escalation(owner, escalation.id, status="assigned", note=self.note(thread, "taken"))
        if resolve_ago is None:
            if working:
                with self.at(taken_ago - self.rng.uniform(0.2, 0.8) * (taken_ago - MIN_AGO)):
                    escalations.add_note(owner, self.qid(thread), self.note(thread, "working"))
            return
        if working:
            with self.at(self.rng.uniform(resolve_ago, taken_ago)):
                escalations.add_note(owner, self.qid(thread), self.note(thread, "working"))
        with self.at(resolve_ago):
            escalations.update_escalation(owner, escalation.id, status="resolved", resolution=resolution,
                                          note=self.note(thread, "resolved") if self.rng.random() < 0.6 else None)
        self.resolved.append((thread, resolution, resolve_ago))

    def history(self):
        """Resolved escalations over the three months, each resolved in one of the three ways."""
        rng, n = self.rng, len(self.plan.threads)
        old = [t for t in self.plan.threads if t.ago > 2 * DAY]
        with_staff = [t for t in old if t.status == "answered" and any(a.kind == "staff" for a in t.answers)
                      and t.ago - [a for a in t.answers if a.kind == "staff"][-1].ago > 1.5 * HOUR]
        for thread in self.pick(with_staff, max(1, n // 40)):
            staff_answer = [a for a in thread.answers if a.kind == "staff"][-1]
            owner = self.users[staff_answer.author.username]
            done = staff_answer.ago
            ladder = thread.ago - self.t2 > done + HOUR and thread.ago - self.t2 <= self.window
            ago = thread.ago - self.t2 if ladder else max(done + 0.3 * HOUR, min(thread.ago - 0.2 * HOUR,
                                                                              done + rng.uniform(1, 6) * HOUR))
            escalation = self.escalate(thread, ago, "sla" if ladder else "asker")
            if escalation is not None:
                taken = ago - (ago - done) * rng.uniform(0.1, 0.4)
                self.work(escalation, thread, owner, taken, max(MIN_AGO, done - rng.uniform(5, 45) * 60), "staff_answer")
        # Solved by the community while with staff: accepted more than a day after it was asked.
        late = [t for t in old if t.status == "solved" and (acc := self.accepted_ago(t)) is not None
                and acc < t.ago - self.t2 - HOUR]
        for thread in self.pick(late, max(1, n // 50)):
            accepted = self.accepted_ago(thread)
            ago = thread.ago - self.t2
            with self.at(ago):
                escalation = escalations.escalate(None, self.qid(thread), "")
                db.session.add(LadderStep(question_id=self.qid(thread), step="staff"))
            taken = ago - (ago - accepted) * rng.uniform(0.1, 0.4)
            self.work(escalation, thread, self.staff_for(thread), taken,
                      max(MIN_AGO, accepted - rng.uniform(10, 90) * 60), "community_answer", working=rng.random() < 0.5)
        unsolved = [t for t in old if t.status == "answered" and not any(a.kind == "staff" for a in t.answers)]
        for thread in self.pick(unsolved, max(1, n // 40)):
            ladder = thread.ago - self.t2 > 4 * HOUR and rng.random() < 0.5
            ago = thread.ago - self.t2 if ladder else thread.ago - rng.uniform(2, 30) * HOUR
            escalation = self.escalate(thread, ago, "sla" if ladder else "asker")
            if escalation is not None:
                taken = ago - rng.uniform(10, 120) * 60
                self.work(escalation, thread, self.staff_for(thread), taken,
                          max(MIN_AGO, ago - rng.uniform(2, 14) * HOUR), "outside")

    def current(self):
        """What is on the staff queue now: open (past and within the SLA) and assigned escalations."""
        rng = self.rng
        waiting = [t for t in self.plan.threads if t.status in ("open", "answered") and 3 * HOUR < t.ago < 12 * DAY]
        # Open and past its SLA: nobody has taken it yet.
        for thread in self.pick([t for t in waiting if t.ago > 11 * HOUR], 2):
            if self.t2 + 10 * HOUR <= thread.ago <= self.t2 + 40 * HOUR:
                self.escalate(thread, thread.ago - self.t2, "sla")
            else:
                self.escalate(thread, rng.uniform(9.5 * HOUR, min(30 * HOUR, thread.ago - 0.5 * HOUR)), "asker")
        # Open and still within its SLA.
        for i, thread in enumerate(self.pick(waiting, 2)):
            self.escalate(thread, rng.uniform(0.5 * HOUR, min(6 * HOUR, thread.ago - 0.3 * HOUR)),
                          "asker" if i == 0 else "staff")
        # Assigned to each staff member, with notes; one handed over by the admin.
        for lang, owner, k in (("it", data.STAFF, 2), ("en", data.STAFF_EN, 2)):
            for i, thread in enumerate(self.pick([t for t in waiting if t.lang == lang], k)):
                ago = rng.uniform(1.5 * HOUR, min(60 * HOUR, thread.ago - 0.3 * HOUR))
                escalation = self.escalate(thread, ago, "asker")
                if escalation is None:
                    continue
                taken = ago - rng.uniform(0.1, 0.6) * (ago - MIN_AGO)
                if lang == "it" and i == 1:
                    with self.at(taken):
                        escalations.take(self.users[data.ADMIN], escalation.id)
                    with self.at(taken - 0.3 * (taken - MIN_AGO)):
                        escalations.update_escalation(self.users[data.ADMIN], escalation.id,
                                                      assignee_id=self.users[owner].id, note=self.note(thread, "taken"))
                else:
                    self.work(escalation, thread, self.users[owner], taken)

    def staff_rung(self):
        """The second rung: threads past T2 the seed treats as history have passed it."""
        done = set(db.session.scalars(select(LadderStep.question_id).where(LadderStep.step == "staff")))
        for thread in self.plan.threads:
            qid = self.qid(thread)
            if self.t2 + LEFT_FOR_THE_LADDER < thread.ago <= self.window and qid not in done:
                with self.at(thread.ago - self.t2):
                    db.session.add(LadderStep(question_id=qid, step="staff"))
        db.session.flush()

    def satisfaction(self):
        """Askers answer "How satisfied are you?" after a resolution, now and then, mostly happy."""
        rng = self.rng
        for thread, resolution, ago in self.resolved:
            if rng.random() < 0.75:
                band = "low" if resolution == "outside" else "high"
                self.rate(thread, max(MIN_AGO, ago - rng.uniform(0.2, 20) * HOUR), band)
        for thread in self.plan.threads:
            accepted = self.accepted_ago(thread)
            if accepted is None or thread.index in self.used or rng.random() >= 0.45:
                continue
            self.rate(thread, max(MIN_AGO, accepted - rng.uniform(0.1, 36) * HOUR), "high")

    def rate(self, thread, ago, band):
        scores, weights = SCORES[band]
        score = self.rng.choices(scores, weights)[0]
        comment = None
        if self.rng.random() < 0.35:
            mood = "high" if score >= 4 else "mid" if score == 3 else "low"
            comment = self.rng.choice(CSAT_COMMENTS[thread.lang][mood])
        try:
            with self.at(ago):
                csat.record(self.asker(thread), self.qid(thread), score, comment)
        except ServiceError:
            pass  # nothing to rate (a case the plan did not foresee): skip it, as the page would

    def settle_notifications(self):
        """Seeded notifications went out back then; the older ones have been read."""
        for note in db.session.scalars(select(Notification)):
            note.sent_at = note.created_at
            age = (self.now - note.created_at).total_seconds()
            if age > 3 * DAY or (age > HOUR and self.rng.random() < 0.5):
                note.read_at = note.created_at + timedelta(seconds=self.rng.uniform(0.05, 0.9) * age)
