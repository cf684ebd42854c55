"""What members are told of activity on their threads, and their achievements (the bell)."""

from sqlalchemy import delete, select

from gamification.recompute import recompute
from support import notify
from support.activity import mentioned_usernames
from support.extensions import db
from support.models import Notification
from support.services import posts


ACTIVITY = ("answer_received", "comment_received", "mentioned", "answer_accepted")


def kinds(user, among=ACTIVITY) -> list[str]:
    """The kinds of the member's notifications, oldest first (activity only, unless asked)."""
    return list(db.session.scalars(
        select(Notification.kind).where(Notification.user_id == user.id, Notification.kind.in_(among))
        .order_by(Notification.id)
    ))


def texts(user) -> list[str]:
    notes = db.session.scalars(select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))
    return [notify.render(n, "en") for n in notes]


def quiet(*users):
    """Forget what the setup told them (first-question badges and the like)."""
    db.session.execute(delete(Notification).where(Notification.user_id.in_([u.id for u in users])))
    db.session.commit()


def test_the_asker_hears_of_each_answer_but_not_of_their_own(make):
    asker, helper = make.user(locale="en"), make.user(display_name="Giulia", locale="en")
    question = make.question(author=asker, title="Roaming in Svizzera non funziona")
    quiet(asker, helper)

    answer = make.answer(question, author=helper)
    make.answer(question, author=asker, body="Ho risolto da solo riavviando il telefono due volte.")

    assert kinds(asker) == ["answer_received"]
    assert "Giulia answered your question “Roaming in Svizzera non funziona”." in texts(asker)
    note = db.session.scalar(select(Notification).where(Notification.user_id == asker.id))
    assert note.url == f"/questions/{question.id}#answer-{answer.id}"


def test_a_comment_tells_the_author_of_the_post_it_is_on(make):
    asker, helper, third = make.user(), make.user(), make.user(display_name="Piero", locale="en", points=20)
    question = make.question(author=asker)
    answer = make.answer(question, author=helper)
    quiet(asker, helper, third)

    comment = posts.post_comment(third, "Funziona anche con la eSIM?", answer_id=answer.id)
    posts.post_comment(third, "Quale modello di telefono hai?", question_id=question.id)
    posts.post_comment(helper, "Sì, anche con la eSIM.", answer_id=answer.id)  # their own answer: nothing

    assert kinds(helper) == ["comment_received"]
    assert kinds(asker) == ["comment_received"]
    assert db.session.scalar(select(Notification.url).where(Notification.user_id == helper.id)) == \
        f"/questions/{question.id}#comment-{comment.id}"


def test_mentions_reach_each_named_member_once_and_never_the_author(make):
    asker, writer = make.user(), make.user(display_name="Sara", locale="en")
    marco, lucia = make.user(username="marco.ferri"), make.user(username="lucia_b")
    question = make.question(author=asker)
    quiet(asker, writer, marco, lucia)

    make.answer(question, author=writer, body=(
        "Come dice @Marco.Ferri, e anche @lucia_b. Grazie @marco.ferri! Scrivete a help@marco.ferri o @nessuno. "
        "Io sono @" + writer.username + ". Nel codice `@lucia_b` non conta."
    ))

    assert kinds(marco) == ["mentioned"]
    assert kinds(lucia) == ["mentioned"]
    assert kinds(writer, among=("mentioned",)) == []
    assert kinds(asker) == ["answer_received"]  # named or not, the asker hears once
    assert texts(marco)[0].startswith("Sara mentioned you in")


def test_the_mention_parser():
    assert mentioned_usernames("Ciao @Anna.B, vedi @anna.b e @bob.") == ["anna.b", "bob"]
    assert mentioned_usernames("scrivi a mario@example.com o a @ab") == []  # an address; too short a name
    assert mentioned_usernames("```\n@inside_code\n``` fuori @outside") == ["outside"]
    assert len(mentioned_usernames(" ".join(f"@user{i:03d}" for i in range(40)))) == 10


def test_the_answerer_hears_of_acceptance_and_of_a_badge_in_the_app_only(make):
    asker, helper = make.user(), make.user(locale="en", contact_channel="email")
    question = make.question(author=asker)
    answer = make.answer(question, author=helper)
    quiet(asker, helper)

    make.accept(asker, answer)

    assert "answer_accepted" in kinds(helper)
    accepted = db.session.scalar(select(Notification).where(Notification.user_id == helper.id,
                                                            Notification.kind == "answer_accepted"))
    assert accepted.channel == "email"
    badges = db.session.scalars(select(Notification).where(Notification.user_id == helper.id,
                                                           Notification.kind == "badge_earned")).all()
    assert badges and {b.channel for b in badges} == {"in_app"}
    assert any(t.startswith("You earned the badge “") for t in texts(helper))


def test_a_new_rank_is_announced_once_and_a_fall_is_not(make):
    member = make.user(points=10, locale="en")
    quiet(member)
    question = make.question()
    answer = make.answer(question, author=member)

    for _ in range(3):  # +10 each: 10 -> 40 points, across "Member" (15)
        make.vote(make.user(points=20), answer)

    assert kinds(member, among=("rank_up",)) == ["rank_up"]
    assert "You reached the rank of Member. Thank you for helping!" in texts(member)


def test_rebuilding_points_and_badges_notifies_nobody(make):
    asker = make.user()
    question = make.question(author=asker)
    make.answer(question)
    db.session.execute(delete(Notification))
    from gamification.models import BadgeAward

    db.session.execute(delete(BadgeAward))
    db.session.commit()

    report = recompute()
    db.session.commit()

    assert report["badges granted"] >= 1
    assert db.session.scalar(select(db.func.count()).select_from(Notification)) == 0
