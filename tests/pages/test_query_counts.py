"""The busiest pages run a small, fixed number of SQL statements (no N+1 queries).

Each page is built twice, small (a couple of answers, members, questions) and large (tens
of answers with comments and votes by many members, forty questions, sixty members on a
board), and read by an anonymous visitor and by a signed-in member. The statements of the
request alone are counted (the data is built first): the count must be the same for both
sizes and stay under a ceiling measured on SQLite and PostgreSQL, with a little headroom.
"""

import pytest

from gamification import ledger
from support.extensions import db
from support.services import posts

from .helpers import counted_queries, listed_questions, shown_answers

# The ceilings are the counts measured (visitor / member; SQLite counts its BEGIN as a
# statement, PostgreSQL does not), plus a little headroom for one or two more reads.
# Question page: 8 / 12 on SQLite, 7 / 11 on PostgreSQL.
QUESTION_PAGE_CEILING = 14
# Question list (/ and /questions): 5 / 11 on SQLite, 4 / 10 on PostgreSQL (a member also
# reads their topics and the new questions in them).
QUESTION_LIST_CEILING = 13
# Leaderboard (week, month, all): 3 / 7 on SQLite, 2 / 6 on PostgreSQL; one more per tag board.
LEADERBOARD_CEILING = 10
# API thread GET /api/v1/questions/{id}: 5 / 8 on SQLite, 4 / 7 on PostgreSQL.
API_QUESTION_CEILING = 10

VOTER_POINTS = 1000  # enough to vote and comment everywhere


def _count(get, path):
    with counted_queries() as statements:
        response = get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(statements)


def _thread(make, answers, members):
    """A question with `answers` answers, each commented on and voted on by the members."""
    people = [make.user(points=VOTER_POINTS) for _ in range(members)]
    asker = make.user(points=VOTER_POINTS)
    question = make.question(author=asker, tags=("sim", "rete"))
    posts.post_comment(people[0], "Quale modello di telefono usi?", question_id=question.id)
    make.vote(people[0], question)
    made = []
    for i in range(answers):
        author = people[i % members]
        answer = make.answer(question, author=author, body=f"Prova a riavviare il telefono, passo {i}.")
        made.append(answer)
        commenter = people[(i + 1) % members]
        posts.post_comment(commenter, f"Grazie, ha funzionato anche a me ({i}).", answer_id=answer.id)
        for voter in people[i % 3::3][:3]:
            if voter.id != author.id:
                make.vote(voter, answer)
    make.accept(asker, made[-1])
    return question, people[1]


def _questions(make, count):
    """`count` questions in several tags, half of them answered."""
    people = [make.user(points=VOTER_POINTS) for _ in range(min(count, 10))]
    for i in range(count):
        question = make.question(author=people[i % len(people)], tags=(f"tema{i % 7}", "sim"))
        if i % 2:
            make.answer(question, author=people[(i + 1) % len(people)])
    return people[0]


def _board(make, members):
    """`members` members with points this week, overall and in the tag "sim"."""
    question = make.question(tags=("sim",))
    people = [make.user() for _ in range(members)]
    for n, person in enumerate(people):
        ledger.award(person.id, "adjustment", delta=5 + n, source_type="question", source_id=question.id,
                     key=f"board:{person.id}")
    db.session.commit()
    return people[0]


def _counts(browser, viewer, paths):
    """Count each path for an anonymous visitor and for the viewer, signed in."""
    visitor = browser()
    member = browser().login_as(viewer)
    for path in paths:  # warm up: first-request caches (settings, translations) are not the page's
        visitor.get(path)
        member.get(path)
    return {path: (_count(visitor.get, path), _count(member.get, path)) for path in paths}


def _assert_fixed(small, large, ceiling):
    for path in small:
        assert small[path] == large[path], f"{path}: {small[path]} queries when small, {large[path]} when large"
        assert max(large[path]) <= ceiling, f"{path}: {large[path]} queries, ceiling {ceiling}"


def test_question_page_runs_a_fixed_number_of_queries(browser, make):
    small_q, small_viewer = _thread(make, answers=2, members=2)
    (small,) = _counts(browser, small_viewer, [f"/questions/{small_q.id}"]).values()
    large_q, large_viewer = _thread(make, answers=30, members=20)
    (large,) = _counts(browser, large_viewer, [f"/questions/{large_q.id}"]).values()
    assert len(shown_answers(browser().get(f"/questions/{large_q.id}"))) == 30  # the large case is large
    _assert_fixed({"thread": small}, {"thread": large}, QUESTION_PAGE_CEILING)


def test_question_lists_run_a_fixed_number_of_queries(browser, make):
    viewer = _questions(make, 2)
    small = _counts(browser, viewer, ["/", "/questions"])
    # The large case: 38 more questions (40 in all, more than a page), same viewer.
    _questions(make, 38)
    large = _counts(browser, viewer, ["/", "/questions"])
    assert len(listed_questions(browser().get("/questions"))) >= 20  # a full page of questions
    _assert_fixed(small, large, QUESTION_LIST_CEILING)


@pytest.mark.parametrize("query", ["period=week", "period=month", "period=all", "period=week&tag=sim",
                                   "period=all&tag=sim"])
def test_leaderboard_runs_a_fixed_number_of_queries(browser, make, query):
    path = f"/leaderboard?{query}"
    viewer = _board(make, 2)
    small = _counts(browser, viewer, [path])
    _board(make, 58)
    large = _counts(browser, viewer, [path])
    assert browser().get(path).get_data(as_text=True).count("<tr data-user-id=") == 50  # a full board
    _assert_fixed(small, large, LEADERBOARD_CEILING)


def test_api_question_runs_a_fixed_number_of_queries(api, make):
    def counts(question, viewer):
        path = f"/api/v1/questions/{question.id}"
        api.anonymous().get(path)
        anonymous = _count(api.anonymous().get, path)
        api.as_user(viewer).get(path)
        member = _count(api.as_user(viewer).get, path)
        return anonymous, member

    small = counts(*_thread(make, answers=2, members=2))
    large_q, large_viewer = _thread(make, answers=30, members=20)
    large = counts(large_q, large_viewer)
    assert len(api.anonymous().get(f"/api/v1/questions/{large_q.id}").get_json()["answers"]) == 30
    _assert_fixed({"api thread": small}, {"api thread": large}, API_QUESTION_CEILING)
