"""The administrator's points settings page: only admins, validated, applied at once."""

from support.extensions import db
from support.models import User
from support.services import votes


def _form(**overrides):
    data = {f"points_{reason}": value for reason, value in {
        "answer_upvoted": 10, "question_upvoted": 5, "answer_accepted": 15, "accepted_answer": 2,
        "answer_verified": 10, "answer_downvoted": -2, "downvoted_answer": -1, "post_removed": -100,
        "idea_delivered": 50,
    }.items()}
    data.update(daily_cap=200, serial_threshold=10, serial_window=60)
    data.update(overrides)
    return data


def test_only_admins_reach_the_settings(make, client):
    client.login_as(make.staff())
    assert client.get("/admin/gamification").status_code == 403
    client.login_as(make.user(role="admin"))
    page = client.get("/admin/gamification").get_data(as_text=True)
    assert 'name="points_answer_upvoted"' in page and 'value="10"' in page


def test_saved_points_apply_to_the_next_vote(make, client):
    client.login_as(make.user(role="admin"))
    response = client.post("/admin/gamification", _form(points_answer_upvoted=3), csrf_from="/admin/gamification")
    assert response.status_code == 302
    author = make.user()
    answer = make.answer(make.question(), author=author)
    votes.cast_vote(make.user(), "answer", answer.id, 1)
    assert db.session.get(User, author.id).points == 4


def test_bad_values_are_shown_and_nothing_is_saved(make, client):
    client.login_as(make.user(role="admin"))
    response = client.post("/admin/gamification", _form(daily_cap=-5, points_answer_upvoted="tanti"),
                           csrf_from="/admin/gamification")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page
    author = make.user()
    answer = make.answer(make.question(), author=author)
    votes.cast_vote(make.user(), "answer", answer.id, 1)
    assert db.session.get(User, author.id).points == 11
