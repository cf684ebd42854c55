"""Ask, answer, edit, delete and comment through the services: rules, revisions, counters."""

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from support.errors import Conflict, Forbidden, Invalid, NotFound
from support.extensions import db
from support.models import Answer, Comment, Question, Revision
from support.services import posts


def revisions(question=None, answer=None):
    column = Revision.question_id if question else Revision.answer_id
    target = question or answer
    return db.session.scalars(select(Revision).where(column == target.id).order_by(Revision.number)).all()


# --- ask ---------------------------------------------------------------------------------

def test_ask_stores_the_question_its_tags_and_the_first_revision(make):
    author = make.user(locale="en")
    question = posts.ask_question(author, "  How do I activate my eSIM?  ",
                                  "I scanned the **QR code** but nothing happens.", "eSIM, #activation  esim")
    assert question.title == "How do I activate my eSIM?"
    assert [t.name for t in question.tags] == ["activation", "esim"]
    assert "<strong>QR code</strong>" in question.body_html
    assert question.language == "en" and question.status == "open"
    (first,) = revisions(question=question)
    assert (first.number, first.title, first.tags, first.editor_id) == (1, question.title, "esim activation", author.id)


@pytest.mark.parametrize(
    "title, body, tags, field",
    [
        ("Too short", "A body that is long enough to pass.", "sim", "title"),
        ("x" * 201, "A body that is long enough to pass.", "sim", "title"),
        ("A perfectly fine title", "short", "sim", "body"),
        ("A perfectly fine title", "b" * 30_001, "sim", "body"),
        ("A perfectly fine title", "A body that is long enough to pass.", "", "tags"),
        ("A perfectly fine title", "A body that is long enough to pass.", "a b c d e f", "tags"),
        ("A perfectly fine title", "A body that is long enough to pass.", ["ok", "not ok"], "tags"),
        ("A perfectly fine title", "A body that is long enough to pass.", 42, "tags"),
        (None, "A body that is long enough to pass.", "sim", "title"),
    ],
)
def test_ask_refuses_bad_values_naming_the_field_and_stores_nothing(make, title, body, tags, field):
    author = make.user()
    with pytest.raises(Invalid) as caught:
        posts.ask_question(author, title, body, tags)
    assert field in caught.value.fields
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0
    assert db.session.scalar(select(func.count()).select_from(Revision)) == 0


def test_ask_strips_control_characters_before_checking_length(make):
    with pytest.raises(Invalid):
        posts.ask_question(make.user(), "\x00" * 20, "A body that is long enough to pass.", "sim")
    question = posts.ask_question(make.user(), "Title\x00 with a NUL\x07", "Body\x00 long enough to be stored.", "sim")
    assert question.title == "Title with a NUL" and "\x00" not in question.body


@pytest.mark.parametrize("who", ["anonymous", "suspended"])
def test_only_active_members_ask(make, who):
    person = AnonymousUserMixin() if who == "anonymous" else make.user(is_active_account=False)
    with pytest.raises(Forbidden):
        posts.ask_question(person, "A perfectly fine title", "A body that is long enough to pass.", "sim")


# --- answer ------------------------------------------------------------------------------

def test_answer_counts_and_keeps_a_revision(make):
    question = make.question()
    answer = posts.post_answer(make.user(), question.id, "Restart the phone and wait.")
    db.session.refresh(question)
    assert question.answer_count == 1 and question.status == "answered"
    assert answer.is_official is False
    assert [r.number for r in revisions(answer=answer)] == [1]


def test_staff_answers_are_official(make):
    answer = posts.post_answer(make.staff(), make.question().id, "Our team reset your line; try now.")
    assert answer.is_official is True


def test_answer_on_a_missing_question(make, subtests):
    make.question()  # id 1 exists: "1", True and 1.0 must not reach it
    author = make.user()
    for question_id in [0, -1, 424242, 2**31, 2**63, 10**30, True, "1", None, 1.0]:
        with subtests.test(question_id=question_id), pytest.raises(NotFound):
            posts.post_answer(author, question_id, "Restart the phone and wait.")


def test_answer_on_a_deleted_question(make):
    question = make.question()
    posts.delete_question(make.staff(), question.id)
    with pytest.raises(NotFound):
        posts.post_answer(make.user(), question.id, "Restart the phone and wait.")


def test_a_too_short_answer_changes_no_counter(make, doctor):
    question = make.question()
    with pytest.raises(Invalid):
        posts.post_answer(make.user(), question.id, "short")
    db.session.refresh(question)
    assert question.answer_count == 0
    doctor()


# --- edit --------------------------------------------------------------------------------

def test_edit_question_keeps_every_version(make):
    author = make.user()
    question = make.question(author=author, title="The first title of it", tags=("sim",))
    posts.edit_question(author, question.id, title="A better second title", tags="sim roaming", summary="clearer")
    posts.edit_question(author, question.id, body="A new body that explains more of the problem.")
    versions = revisions(question=question)
    assert [(r.number, r.title, sorted(r.tags.split())) for r in versions] == [
        (1, "The first title of it", ["sim"]),
        (2, "A better second title", ["roaming", "sim"]),
        (3, "A better second title", ["roaming", "sim"]),
    ]
    assert versions[1].summary == "clearer"
    assert db.session.get(Question, question.id).edited_at is not None


def test_a_bad_edit_changes_nothing(make):
    author = make.user()
    question = make.question(author=author, title="The first title of it")
    with pytest.raises(Invalid):
        posts.edit_question(author, question.id, title="A better second title", tags="a b c d e f")
    db.session.expire_all()
    assert db.session.get(Question, question.id).title == "The first title of it"
    assert len(revisions(question=question)) == 1


@pytest.mark.parametrize("who, allowed", [("other", False), ("contributor", False), ("helper", True),
                                          ("staff", True), ("admin", True)])
def test_who_edits_posts_of_others(make, who, allowed):
    question = make.question()
    answer = make.answer(question)
    editor = {"other": lambda: make.user(), "contributor": lambda: make.user(points=499),
              "helper": lambda: make.user(points=500), "staff": make.staff,
              "admin": lambda: make.user(role="admin")}[who]()
    for edit in (lambda: posts.edit_question(editor, question.id, title="An edited title here"),
                 lambda: posts.edit_answer(editor, answer.id, "An edited answer body.")):
        if allowed:
            edit()
        else:
            with pytest.raises(Forbidden, match="Only the author, Helpers and staff"):
                edit()


def test_edit_answer_keeps_versions_with_the_editor(make):
    author, helper = make.user(), make.user(points=500)
    answer = make.answer(make.question(), author=author, body="First answer text here.")
    posts.edit_answer(helper, answer.id, "Second answer text here.", summary="typo")
    versions = revisions(answer=answer)
    assert [(r.number, r.body, r.editor_id, r.summary) for r in versions] == [
        (1, "First answer text here.", author.id, None),
        (2, "Second answer text here.", helper.id, "typo"),
    ]


# --- delete ------------------------------------------------------------------------------

def test_author_deletes_an_unanswered_question(make):
    author = make.user()
    question = make.question(author=author)
    posts.delete_question(author, question.id)
    with pytest.raises(NotFound):
        posts.get_question(question.id)


def test_author_cannot_delete_an_answered_question_but_staff_can(make):
    author = make.user()
    question = make.question(author=author)
    make.answer(question)
    with pytest.raises(Conflict, match="ask staff"):
        posts.delete_question(author, question.id)
    posts.delete_question(make.staff(), question.id)
    assert db.session.get(Question, question.id).deleted_at is not None


def test_others_cannot_delete(make):
    question = make.question()
    answer = make.answer(question)
    intruder = make.user(points=10_000)
    with pytest.raises(Forbidden):
        posts.delete_question(intruder, question.id)
    with pytest.raises(Forbidden):
        posts.delete_answer(intruder, answer.id)


def test_delete_answer_updates_the_count_and_hides_it(make, doctor):
    author = make.user()
    question = make.question()
    answer = make.answer(question, author=author)
    posts.delete_answer(author, answer.id)
    assert db.session.get(Question, question.id).answer_count == 0
    with pytest.raises(NotFound):
        posts.get_answer(answer.id)
    with pytest.raises(NotFound):
        posts.delete_answer(author, answer.id)
    doctor()


def test_answers_of_a_deleted_question_are_not_found(make):
    question = make.question()
    answer = make.answer(question)
    posts.delete_question(make.staff(), question.id)
    with pytest.raises(NotFound):
        posts.get_answer(answer.id)


# --- comments ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "commenter, target, allowed",
    [
        ("asker", "question", True),
        ("asker", "answer", True),
        ("answerer", "own answer", True),
        ("answerer", "question", False),
        ("newcomer", "question", False),
        ("newcomer", "answer", False),
        ("member", "question", True),
        ("member", "answer", True),
        ("staff", "answer", True),
    ],
)
def test_who_may_comment_where(make, commenter, target, allowed):
    asker = make.user(points=1)
    answerer = make.user(points=1)
    question = make.question(author=asker)
    answer = make.answer(question, author=answerer)
    person = {"asker": asker, "answerer": answerer, "newcomer": make.user(points=1),
              "member": make.user(points=15), "staff": make.staff()}[commenter]
    where = {"question_id": question.id} if target == "question" else {"answer_id": answer.id}
    if allowed:
        comment = posts.post_comment(person, "A short useful comment.", **where)
        assert comment.body_html == "<p>A short useful comment.</p>\n"
    else:
        with pytest.raises(Forbidden, match="Member rank"):
            posts.post_comment(person, "A short useful comment.", **where)
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


@pytest.mark.parametrize("body", ["", "x", "y" * 601, "\x00\x00\x00", None])
def test_bad_comments_are_refused(make, body):
    asker = make.user()
    question = make.question(author=asker)
    with pytest.raises(Invalid):
        posts.post_comment(asker, body, question_id=question.id)


def test_comment_on_a_missing_answer(make):
    with pytest.raises(NotFound):
        posts.post_comment(make.staff(), "A short useful comment.", answer_id=424242)


def test_comment_bumps_the_question_activity(make):
    asker = make.user()
    question = make.question(author=asker)
    before = question.last_activity_at
    posts.post_comment(asker, "A short useful comment.", question_id=question.id)
    assert db.session.get(Question, question.id).last_activity_at >= before


def test_answer_rows_keep_their_question(make):
    question = make.question()
    answer = make.answer(question)
    assert db.session.get(Answer, answer.id).question_id == question.id
