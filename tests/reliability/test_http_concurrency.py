"""Races through real HTTP: parallel requests against gunicorn (2 workers x 8 threads), as
members' double clicks, crowds and scripts send them, on the suite's database (SQLite or
PostgreSQL). Every scenario checks the rows afterwards and ends with `flask doctor`.

The server keeps the rate limits on (the new-account scenario is about them); the members
are established accounts made through tests/factories.py, so the new-account limits leave
them be. The tests share the module's server and make fresh threads and people each.
"""

import itertools
import random
from types import SimpleNamespace

import pytest

from tests.figures import record, scale

from .live import burst, doctor_violations, status_counts

pytestmark = pytest.mark.slow

VOTERS = 50
_titles = itertools.count(1)


class Pool:
    """Established members made once per server; each test takes the authors it needs."""

    def __init__(self, members):
        self._free = list(members)

    def take(self, count: int = 1):
        taken, self._free = self._free[:count], self._free[count:]
        assert len(taken) == count, "the module's pool of members ran out: make it bigger"
        return taken


@pytest.fixture(scope="module")
def crowd(live_app):
    """50 voters, a pool of askers and answerers, and a staff member, in one setup run."""
    names = [f"voter{n}" for n in range(VOTERS)] + [f"person{n}" for n in range(12)] + ["agent"]
    *members, staff = live_app.accounts(*names, roles={"agent": "staff"})
    return SimpleNamespace(voters=members[:VOTERS], people=Pool(members[VOTERS:]), staff=staff)


def _thread(http, asker, answerers):
    """A question by `asker` and one answer by each of `answerers`: (question id, [answer ids])."""
    n = next(_titles)
    question = http.ask(asker, f"How do I move my number to the new SIM, case {n}?",
                        "I bought a new SIM card and want to keep my old number. What are the steps?")
    answers = [http.answer(who, question["id"], f"Request the transfer code from your old operator ({n}.{i}).")
               for i, who in enumerate(answerers)]
    return question["id"], [a["id"] for a in answers]


def _live_rows(live_app, reason, source_type, source_id):
    """Ledger rows of a reason for a post that are not reversals and not reversed."""
    rows = live_app.sql(
        "SELECT id, user_id, actor_id, reverses_id FROM points_ledger"
        " WHERE reason = :reason AND source_type = :kind AND source_id = :id",
        reason=reason, kind=source_type, id=source_id,
    )
    undone = {row.reverses_id for row in rows if row.reverses_id is not None}
    return [row for row in rows if row.reverses_id is None and row.id not in undone]


def _vote_rows(live_app, answer_id):
    return live_app.sql("SELECT voter_id, value FROM votes WHERE answer_id = :id", id=answer_id)


def _score(live_app, table, post_id):
    return live_app.sql(f"SELECT score FROM {table} WHERE id = :id", id=post_id)[0].score


def _conclude(live_app, scenario, responses, problems, writes_lost=0, **figures):
    """Record what the scenario did, then assert: no 5xx, no broken rule, doctor clean."""
    ok, report = live_app.doctor()
    statuses = status_counts(responses)
    record("concurrency", scenario, requests=len(responses), statuses=statuses,
           violations=len(problems) + max(doctor_violations(report), 0), writes_lost=writes_lost, **figures)
    broken = [f"{r.status_code} {r.text[:300]}" if hasattr(r, "status_code") else repr(r)
              for r in responses if getattr(r, "status_code", 500) >= 500]
    assert not broken, (statuses, broken[:3])
    assert not problems, problems
    assert ok, report


def test_fifty_parallel_upvotes_of_one_member_make_one_vote_and_one_award(live_app, http, crowd):
    asker, author = crowd.people.take(2)
    voter = crowd.voters[0]
    _question, (answer,) = _thread(http, asker, [author])

    responses = burst([lambda: http.vote(voter, "answer", answer, 1)] * 50, threads=50)

    problems = []
    votes = _vote_rows(live_app, answer)
    if [tuple(v) for v in votes] != [(voter.id, 1)]:
        problems.append(f"vote rows {votes}, expected one +1 from the voter")
    if _score(live_app, "answers", answer) != 1:
        problems.append(f"score {_score(live_app, 'answers', answer)}, expected 1")
    awards = live_app.sql("SELECT user_id, reverses_id FROM points_ledger WHERE reason = 'answer_upvoted'"
                          " AND source_id = :id", id=answer)
    if [tuple(a) for a in awards] != [(author.id, None)]:
        problems.append(f"ledger rows {awards}, expected one award to the author and no reversal")
    shown = {(r.json()["score"], r.json()["my_vote"]) for r in responses if getattr(r, "status_code", None) == 200}
    if shown != {(1, 1)}:
        problems.append(f"the responses showed (score, my vote) {sorted(shown)}, not the one vote")
    _conclude(live_app, "one member, 50 parallel upvotes", responses, problems)
    assert status_counts(responses)["2xx"] == 50  # a repeated vote is a harmless 200


def test_a_crowd_voting_up_down_and_back_in_parallel_keeps_score_votes_and_points_agreeing(live_app, http, crowd):
    asker, author = crowd.people.take(2)
    _question, (answer,) = _thread(http, asker, [author])
    per_voter = 4
    rng = random.Random(10)
    sent = {voter.id: [rng.choice((1, 1, -1, 0)) for _ in range(per_voter)] for voter in crowd.voters}
    # Round by round, so each member's requests are spread over the whole burst.
    calls = [(lambda v=voter, value=sent[voter.id][r]: http.vote(v, "answer", answer, value))
             for r in range(per_voter) for voter in crowd.voters]

    responses = burst(calls, threads=VOTERS)

    problems, lost = [], 0
    final = {row.voter_id: row.value for row in _vote_rows(live_app, answer)}
    if len(final) != len(_vote_rows(live_app, answer)):
        problems.append("a member has two vote rows on the answer")
    for voter_id, values in sent.items():
        if voter_id in final and final[voter_id] not in values:
            problems.append(f"member {voter_id} has a vote of {final[voter_id]} but sent {values}")
        if voter_id not in final and 0 not in values:
            lost += 1  # never retracted, yet no vote: a write was lost
    score = _score(live_app, "answers", answer)
    if score != sum(final.values()):
        problems.append(f"score {score} but the votes sum to {sum(final.values())}")
    up = {v for v, value in final.items() if value == 1}
    down = {v for v, value in final.items() if value == -1}
    paid = {row.actor_id for row in _live_rows(live_app, "answer_upvoted", "answer", answer)}
    if not paid <= up:
        problems.append(f"members {sorted(paid - up)} no longer upvote, yet the author keeps their points")
    if paid != up:  # upvotes past the daily cap earn nothing: then the author must be at the cap
        capped = live_app.sql("SELECT points FROM daily_vote_points WHERE user_id = :id", id=author.id)
        if not capped or capped[0].points != 200:
            problems.append(f"upvotes of {sorted(up - paid)} earned nothing below the cap ({capped})")
    taken = {row.actor_id for row in _live_rows(live_app, "answer_downvoted", "answer", answer)}
    charged = {row.user_id for row in _live_rows(live_app, "downvoted_answer", "answer", answer)}
    if taken != down or charged != down:
        problems.append(f"downvoters {sorted(down)}, author charged for {sorted(taken)}, "
                        f"voters charged {sorted(charged)}")
    _conclude(live_app, "50 members, 200 parallel up/down/retract votes", responses, problems, writes_lost=lost)
    assert lost == 0


def test_racing_acceptances_of_two_answers_leave_one_accepted_and_one_live_award(live_app, http, crowd):
    asker, first, second = crowd.people.take(3)
    question, answers = _thread(http, asker, [first, second])
    rounds = 20
    responses, problems = [], []
    for n in range(rounds):
        # Both answers accepted at the same moment.
        calls = [lambda a=a: http.call("POST", f"/api/v1/answers/{a}/accept", member=asker) for a in answers]
        responses += burst(calls)
        accepted = [row.id for row in live_app.sql(
            "SELECT id FROM answers WHERE question_id = :q AND accepted_at IS NOT NULL", q=question)]
        marked = live_app.sql("SELECT accepted_answer_id FROM questions WHERE id = :q", q=question)[0][0]
        awards = [(row.user_id, answer) for answer in answers
                  for row in _live_rows(live_app, "answer_accepted", "answer", answer)]
        thanks = [row.user_id for answer in answers
                  for row in _live_rows(live_app, "accepted_answer", "answer", answer)]
        if len(accepted) != 1 or accepted[0] != marked:
            problems.append(f"round {n}: accepted answers {accepted}, the question says {marked}")
        elif awards != [({answers[0]: first.id, answers[1]: second.id}[marked], marked)] or thanks != [asker.id]:
            problems.append(f"round {n}: live acceptance awards {awards}, asker's {thanks}")
        if n < rounds - 1 and marked:
            responses.append(http.call("DELETE", f"/api/v1/answers/{marked}/accept", member=asker))
    reversals = live_app.sql("SELECT count(*) FROM points_ledger WHERE reason = 'answer_accepted'"
                             " AND reverses_id IS NOT NULL AND source_id IN (:a, :b)", a=answers[0], b=answers[1])[0][0]
    awarded = live_app.sql("SELECT count(*) FROM points_ledger WHERE reason = 'answer_accepted'"
                           " AND reverses_id IS NULL AND source_id IN (:a, :b)", a=answers[0], b=answers[1])[0][0]
    if awarded - reversals != 1:
        problems.append(f"{awarded} acceptance awards but {reversals} reversals")
    _conclude(live_app, "asker accepts two answers in parallel", responses, problems, rounds=rounds)
    assert status_counts(responses)["2xx"] == len(responses)


def test_parallel_upvotes_at_190_points_of_the_daily_cap_never_pass_200(live_app, http, crowd):
    asker, author = crowd.people.take(2)
    own_question = http.ask(author, f"Why is my roaming bundle not active, case {next(_titles)}?",
                            "I am abroad and the roaming bundle I bought this morning does not work.")["id"]
    _question, (answer,) = _thread(http, asker, [author])
    first, rest = crowd.voters[:19], crowd.voters[19:]
    arranged = burst([lambda v=v: http.vote(v, "answer", answer, 1) for v in first])  # 19 x 10 points
    assert status_counts(arranged)["2xx"] == 19

    def today():
        rows = live_app.sql("SELECT points FROM daily_vote_points WHERE user_id = :id", id=author.id)
        return rows[0].points if rows else 0

    assert today() == 190
    # Answer upvotes (+10) and question upvotes (+5) together, far more than the 10 points left.
    calls = [lambda v=v, i=i: http.vote(v, *(("answer", answer) if i % 2 else ("question", own_question)), 1)
             for i, v in enumerate(rest)]
    responses = burst(calls)

    problems = []
    earned = live_app.sql(
        "SELECT coalesce(sum(delta), 0) FROM points_ledger WHERE user_id = :id AND reverses_id IS NULL"
        " AND reason IN ('answer_upvoted', 'question_upvoted') AND cap_day IS NOT NULL", id=author.id)[0][0]
    if earned != 200 or today() != 200:
        problems.append(f"the author earned {earned} points from votes today (daily total {today()}), cap 200")
    expected_answer_votes = 19 + sum(1 for i in range(len(rest)) if i % 2)
    if _score(live_app, "answers", answer) != expected_answer_votes:
        problems.append(f"answer score {_score(live_app, 'answers', answer)}, expected {expected_answer_votes}")
    if _score(live_app, "questions", own_question) != len(rest) - (expected_answer_votes - 19):
        problems.append("a vote past the cap was not counted in the question's score")
    _conclude(live_app, "parallel upvotes at 190 of the 200 daily cap", responses, problems, earned=earned)
    assert status_counts(responses)["2xx"] == len(rest)


def test_a_new_account_posting_100_answers_at_once_gets_one_through_and_429_with_retry_after(live_app, http, crowd):
    asker, = crowd.people.take(1)
    question, _answers = _thread(http, asker, [])
    newcomer = http.register(f"newcomer{next(_titles)}")
    count = 100
    calls = [lambda n=n: http.call("POST", f"/api/v1/questions/{question}/answers",
                                   {"body": f"Try turning the phone off and on again, attempt {n}."}, newcomer)
             for n in range(count)]

    responses = burst(calls, threads=50)

    problems = []
    statuses = status_counts(responses)
    refused = [r for r in responses if getattr(r, "status_code", None) == 429]
    if statuses["2xx"] + statuses["429"] != count:
        problems.append(f"answers got {statuses}, expected only 201 and 429")
    without_retry = [r for r in refused if not r.headers.get("Retry-After", "").isdigit()
                     or int(r.headers["Retry-After"]) < 1]
    if without_retry:
        problems.append(f"{len(without_retry)} answers refused with 429 but no Retry-After of a second or more")
    stored = live_app.sql("SELECT count(*) FROM answers WHERE author_id = :id", id=newcomer.id)[0][0]
    if stored != statuses["2xx"]:
        problems.append(f"{statuses['2xx']} answers accepted but {stored} stored")
    _conclude(live_app, "new account posts 100 answers at once", responses, problems, accepted=statuses["2xx"])
    # New accounts wait 30 s between posts (support/limits.py): one gets through, at once.
    assert statuses["2xx"] == 1, statuses


def test_parallel_escalations_by_asker_and_staff_open_exactly_one(live_app, http, crowd):
    asker, = crowd.people.take(1)
    question, _answers = _thread(http, asker, [])
    count = scale(20, 40)
    calls = [lambda who=who: http.call("POST", f"/api/v1/questions/{question}/escalate",
                                       {"reason": "Still no signal after the steps"}, who)
             for who in [asker, crowd.staff] * (count // 2)]

    responses = burst(calls)

    problems = []
    statuses = status_counts(responses)
    open_ = live_app.sql("SELECT count(*) FROM escalations WHERE question_id = :q AND status != 'resolved'",
                         q=question)[0][0]
    if open_ != 1:
        problems.append(f"{open_} open escalations on one thread")
    if statuses["2xx"] != 1 or statuses["409"] != count - 1:
        problems.append(f"escalations answered {statuses}, expected one 201 and the rest 409")
    _conclude(live_app, "asker and staff escalate one thread in parallel", responses, problems)
