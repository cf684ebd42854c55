"""Question pages: ask, list (filters, sorts, pages), read, edit with history, delete."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from support.extensions import db
from support.models import Question

from .helpers import elements, field_error, flashes, listed_questions, location, shown_answers, text

GOOD = {
    "title": "My SIM stopped working abroad",
    "body": "Since I landed in Spain my phone shows **no service**.\n\n- restarted\n- toggled roaming",
    "tags": "roaming sim",
}


def question_count():
    return db.session.scalar(select(func.count()).select_from(Question))


# --- ask ---------------------------------------------------------------------------------

def test_asking_needs_login(client):
    assert location(client.get("/questions/ask")) == "/login?next=%2Fquestions%2Fask"
    assert location(client.post("/questions/ask", GOOD)).startswith("/login")
    assert question_count() == 0


def test_ask_publishes_and_shows_the_rendered_markdown(client, make):
    client.login_as(make.user())
    response = client.post("/questions/ask", GOOD, csrf_from="/questions/ask")
    question = db.session.scalar(select(Question))
    assert location(response) == f"/questions/{question.id}"

    page = client.get(f"/questions/{question.id}")
    assert "Your question is live." in " ".join(flashes(page))
    body = page.get_data(as_text=True)
    assert "<h1 lang=\"en\">My SIM stopped working abroad</h1>" in body
    assert "<strong>no service</strong>" in body
    assert "<li>restarted</li>" in body
    assert [t.name for t in question.tags] == ["roaming", "sim"]
    assert "Open" in text(page)


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"title": "SIM?"}, "title", "between 10 and 200 characters"),
        ({"title": ""}, "title", "This field is required."),
        ({"title": "x" * 201}, "title", "between 10 and 200 characters"),
        ({"body": ""}, "body", "This field is required."),
        ({"body": "too short"}, "body", "between 20 and 30000 characters"),
        ({"tags": ""}, "tags", "This field is required."),
        ({"tags": " , ,"}, "tags", "Add at least one tag."),
        ({"tags": "a b c d e f"}, "tags", "Use at most 5 tags."),
        ({"tags": "sim wi/fi"}, "tags", "“wi/fi” is not a valid tag"),
        ({"tags": "x" * 40}, "tags", "is not a valid tag"),
    ],
    ids=["short-title", "no-title", "long-title", "empty-body", "short-body", "no-tags", "blank-tags",
         "six-tags", "bad-tag", "long-tag"],
)
def test_ask_shows_each_problem_next_to_its_field(client, make, change, field, message):
    client.login_as(make.user())
    response = client.post("/questions/ask", {**GOOD, **change})
    assert response.status_code == 200
    assert message in (field_error(response, field) or "")
    assert question_count() == 0
    # What was typed is kept, so nothing has to be typed again.
    kept = {a.get("name"): a.get("value") for tag, a in elements(response).tags if tag == "input"}
    if field != "title":
        assert kept["title"] == GOOD["title"]


def test_five_tags_are_fine(client, make):
    client.login_as(make.user())
    response = client.post("/questions/ask", {**GOOD, "tags": "a b c d e, #E"})
    assert response.status_code == 302
    assert [t.name for t in db.session.scalar(select(Question)).tags] == ["a", "b", "c", "d", "e"]


# --- the list ----------------------------------------------------------------------------

@pytest.fixture
def community(make):
    """Four questions at known moments: open, answered, solved, and one with votes."""
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    asker, helper = make.user(), make.user(points=200)
    with time_machine.travel(start, tick=False):
        answered = make.question(author=asker, tags=("roaming",))
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        voted = make.question(author=asker, tags=("sim",))
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        solved = make.question(author=asker, tags=("sim", "esim"))
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        fresh = make.question(author=asker, tags=("bills",))
    with time_machine.travel(start + timedelta(hours=4), tick=False):
        answer = make.answer(solved, author=helper)
        make.accept(asker, answer)
    with time_machine.travel(start + timedelta(hours=5), tick=False):
        make.answer(answered, author=helper)
        make.vote(helper, voted, 1)
    return {"answered": answered.id, "voted": voted.id, "solved": solved.id, "fresh": fresh.id}


LIST_CASES = [
    ("", ["answered", "solved", "fresh", "voted"]),
    ("?sort=active", ["answered", "solved", "fresh", "voted"]),
    ("?sort=newest", ["fresh", "solved", "voted", "answered"]),
    ("?sort=votes", ["voted", "fresh", "solved", "answered"]),
    ("?sort=unanswered", ["fresh", "voted"]),
    ("?status=open", ["fresh", "voted"]),
    ("?status=answered", ["answered"]),
    ("?status=solved", ["solved"]),
    ("?status=escalated", []),
    ("?tag=sim", ["solved", "voted"]),
    ("?tag=SIM&sort=newest", ["solved", "voted"]),
    ("?tag=sim&status=open", ["voted"]),
    ("?tag=nothing-here", []),
    ("?status=bogus&sort=bogus", ["answered", "solved", "fresh", "voted"]),
]


def test_list_filters_and_sorts(client, community, subtests):
    for query, expected in LIST_CASES:
        with subtests.test(query=query):
            response = client.get(f"/questions{query}")
            assert response.status_code == 200
            assert listed_questions(response) == [community[name] for name in expected]


def test_empty_list_invites_to_ask(client):
    assert "No questions here yet." in text(client.get("/questions?status=solved"))


def test_list_shows_status_count_and_tags(client, community):
    response = client.get("/questions?status=solved")
    assert "1 question" in text(response)
    assert "✓ Solved" in text(response)
    assert 'href="/questions?tag=esim"' in response.get_data(as_text=True)


@pytest.fixture
def many(make):
    author = make.user()
    start = datetime(2026, 3, 1, tzinfo=UTC)
    ids = []
    for n in range(5):
        with time_machine.travel(start + timedelta(minutes=n), tick=False):
            ids.append(make.question(author=author, title=f"Question number {n} about my bill").id)
    return ids[::-1]  # newest first


def test_page_two_shows_the_next_questions(client, many):
    first = client.get("/questions?sort=newest&per_page=2")
    second = client.get("/questions?sort=newest&per_page=2&page=2")
    last = client.get("/questions?sort=newest&per_page=2&page=3")
    assert listed_questions(first) == many[:2]
    assert listed_questions(second) == many[2:4]
    assert listed_questions(last) == many[4:]
    assert "Page 2 of 3" in text(second)


def test_pagination_links_keep_the_filters(client, many):
    page = elements(client.get("/questions?sort=newest&per_page=2&page=2"))
    links = {a.get("rel"): a["href"] for tag, a in page.tags if tag == "a" and a.get("rel") in ("prev", "next")}
    assert links == {"prev": "/questions?sort=newest&per_page=2&page=1",
                     "next": "/questions?sort=newest&per_page=2&page=3"}


NONSENSE_PAGES = [
    "page=0", "page=-1", "page=abc", "page=1e9", "page=99999999999999999999", "page=100000",
    "per_page=0", "per_page=-5", "per_page=abc", "per_page=100000", "page=&per_page=",
    "page=2&per_page=2&endpoint=x", "per_page=2&_scheme=javascript", "per_page=2&_external=1",
    "per_page=2&_anchor=x", "per_page=2&page=2&page=3", "per_page=1&page=3&_method=DELETE",
]


def test_nonsense_page_values_still_show_a_list(client, many, subtests):
    for query in NONSENSE_PAGES:
        with subtests.test(query=query):
            response = client.get(f"/questions?{query}")
            assert response.status_code == 200
            body = response.get_data(as_text=True)
            assert "javascript:" not in body
            assert 'href="//' not in body and 'href="http' not in body


def test_a_page_past_the_end_is_empty_not_an_error(client, many):
    response = client.get("/questions?page=50")
    assert response.status_code == 200
    assert listed_questions(response) == []


# --- reading -----------------------------------------------------------------------------

def test_question_page_shows_the_accepted_answer_first_then_by_score(client, make):
    asker = make.user()
    question = make.question(author=asker)
    low, high, accepted, middle = (make.answer(question) for _ in range(4))
    voters = [make.user() for _ in range(3)]
    for voter in voters:
        make.vote(voter, high, 1)
    for voter in voters[:2]:
        make.vote(voter, middle, 1)
    make.accept(asker, accepted)
    response = client.get(f"/questions/{question.id}")
    assert shown_answers(response) == [accepted.id, high.id, middle.id, low.id]
    assert "4 answers" in text(response)
    assert "✓ Solved the problem" in text(response)


@pytest.mark.parametrize("path", ["/questions/0", "/questions/424242", "/questions/-1", "/questions/abc"])
def test_a_missing_question_is_a_friendly_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in text(response)


def test_a_deleted_question_is_gone(client, make):
    staff = make.staff()
    question = make.question()
    from support.services.posts import delete_question

    delete_question(staff, question.id)
    assert client.get(f"/questions/{question.id}").status_code == 404
    assert listed_questions(client.get("/questions")) == []


# --- editing -----------------------------------------------------------------------------

def edit(client, question_id, **change):
    data = {"title": "Roaming does not work in Spain", "body": "Phone shows no service since I landed in Madrid.",
            "tags": "roaming", "summary": "clearer title"}
    data.update(change)
    return client.post(f"/questions/{question_id}/edit", data)


def test_author_edits_and_the_history_keeps_every_version(client, make):
    author = make.user()
    question = make.question(author=author, title="Original title of my question")
    client.login_as(author)
    form = elements(client.get(f"/questions/{question.id}/edit"))
    values = {a.get("name"): a.get("value") for tag, a in form.tags if tag == "input"}
    assert values["title"] == "Original title of my question" and values["tags"] == "sim"

    response = edit(client, question.id)
    assert location(response) == f"/questions/{question.id}"
    page = client.get(f"/questions/{question.id}")
    assert "Roaming does not work in Spain" in text(page)
    assert "previous version is kept" in " ".join(flashes(page))
    assert f'href="/questions/{question.id}/revisions">edited' in page.get_data(as_text=True)

    history = client.get(f"/questions/{question.id}/revisions")
    assert history.status_code == 200
    words = text(history)
    assert "Version 2" in words and "Version 1" in words
    assert words.index("Roaming does not work in Spain") < words.index("Original title of my question")
    assert "clearer title" in words


def test_edit_errors_are_shown_and_nothing_changes(client, make):
    author = make.user()
    question = make.question(author=author, title="Original title of my question")
    client.login_as(author)
    response = edit(client, question.id, title="short", tags="a b c d e f")
    assert response.status_code == 200
    assert "between 10 and 200" in field_error(response, "title")
    db.session.refresh(question)
    assert question.title == "Original title of my question"


@pytest.mark.parametrize("who, allowed", [("other", False), ("contributor", False), ("helper", True), ("staff", True)])
def test_who_may_edit_someone_elses_question(client, make, who, allowed):
    question = make.question(title="Original title of my question")
    editor = {"other": lambda: make.user(), "contributor": lambda: make.user(points=499),
              "helper": lambda: make.user(points=500), "staff": lambda: make.staff()}[who]()
    client.login_as(editor)
    page = client.get(f"/questions/{question.id}")
    assert (f'href="/questions/{question.id}/edit"' in page.get_data(as_text=True)) is allowed
    assert client.get(f"/questions/{question.id}/edit").status_code == (200 if allowed else 403)
    response = edit(client, question.id)
    assert response.status_code == (302 if allowed else 403)
    db.session.refresh(question)
    assert (question.title == "Roaming does not work in Spain") is allowed


def test_forbidden_edit_page_says_so(client, make):
    question = make.question()
    client.login_as(make.user())
    response = client.get(f"/questions/{question.id}/edit")
    assert response.status_code == 403
    assert "You cannot do this" in text(response)
    assert "You do not have permission to do this." in text(response)


def test_editing_needs_login(client, make):
    question = make.question()
    assert location(client.get(f"/questions/{question.id}/edit")).startswith("/login?next=")


# --- deleting ----------------------------------------------------------------------------

def delete(client, question_id):
    return client.post(f"/questions/{question_id}/delete", csrf_from=f"/questions/{question_id}")


def test_author_deletes_an_unanswered_question(client, make):
    author = make.user()
    question = make.question(author=author)
    client.login_as(author)
    response = delete(client, question.id)
    assert location(response) == "/questions"
    assert "The question was removed." in flashes(client.get("/questions"))
    assert client.get(f"/questions/{question.id}").status_code == 404


def test_author_cannot_delete_once_answered_and_is_told_why(client, make):
    author = make.user()
    question = make.question(author=author)
    make.answer(question)
    client.login_as(author)
    question_part = client.get(f"/questions/{question.id}").get_data(as_text=True).split("answers-title")[0]
    assert "Delete</button>" not in question_part
    response = delete(client, question.id)
    assert location(response) == f"/questions/{question.id}"
    page = client.get(f"/questions/{question.id}")
    assert page.status_code == 200
    assert "A question that has answers cannot be deleted by its author; ask staff." in flashes(page)


def test_others_cannot_delete(client, make):
    question = make.question()
    client.login_as(make.user(points=5000))
    assert delete(client, question.id).status_code == 403
    assert client.get(f"/questions/{question.id}").status_code == 200


def test_staff_delete_an_answered_question(client, make, doctor):
    question = make.question()
    make.answer(question)
    client.login_as(make.staff())
    assert location(delete(client, question.id)) == "/questions"
    assert client.get(f"/questions/{question.id}").status_code == 404
    doctor()


def test_deleting_a_missing_question_is_404(client, make):
    client.login_as(make.staff())
    assert client.post("/questions/424242/delete").status_code == 404


# --- Markdown on the page ----------------------------------------------------------------

def test_html_in_a_question_is_shown_as_text_never_run(client, make):
    author = make.user()
    client.login_as(author)
    client.post("/questions/ask", {
        "title": "Why <script>alert(1)</script> here?",
        "body": "<script>alert(1)</script> and <img src=x onerror=alert(2)> [x](javascript:alert(3))",
        "tags": "sim",
    })
    question = db.session.scalar(select(Question))
    body = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img src=x" not in body and "onerror=alert" not in body.replace("onerror=alert(2)&gt;", "")
    assert 'href="javascript:' not in body
    listing = client.get("/questions").get_data(as_text=True)
    assert "<script>alert" not in listing
