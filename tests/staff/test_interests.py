"""Learned interests: asking weighs 3, answering 2, reading 1, per tag (an upsert on either database)."""

from sqlalchemy import select

from support.extensions import db
from support.models import Tag, TagInterest
from support.services import interests
from support.services.posts import delete_question


def weights(user_id) -> dict:
    db.session.rollback()
    rows = db.session.execute(
        select(Tag.name, TagInterest.weight, TagInterest.asks, TagInterest.answers, TagInterest.reads)
        .join(Tag, Tag.id == TagInterest.tag_id).where(TagInterest.user_id == user_id)
    ).all()
    return {name: (weight, asks, answers, reads) for name, weight, asks, answers, reads in rows}


def test_asking_answering_and_reading_add_three_two_and_one_per_tag(app, make):
    member = make.user()
    make.question(author=member, tags=("sim", "roaming"))
    assert weights(member.id) == {"sim": (3.0, 1, 0, 0), "roaming": (3.0, 1, 0, 0)}

    make.answer(make.question(tags=("sim", "esim")), author=member)
    assert weights(member.id) == {"sim": (5.0, 1, 1, 0), "roaming": (3.0, 1, 0, 0), "esim": (2.0, 0, 1, 0)}

    read = make.question(tags=("roaming",))
    assert interests.record_read(member, read.id) is True
    assert interests.record_read(member, read.id) is True
    assert weights(member.id)["roaming"] == (5.0, 1, 0, 2)


def test_learned_tags_come_heaviest_first_and_leave_out_what_is_excluded(app, make):
    member = make.user()
    make.question(author=member, tags=("sim",))  # sim 3
    make.answer(make.question(tags=("esim",)), author=member)  # esim 2
    make.answer(make.question(tags=("bolletta",)), author=member)  # bolletta 2 (ties by name)
    interests.record_read(member, make.question(tags=("roaming",)).id)  # roaming 1

    assert interests.learned_tags(member.id) == [("sim", 3.0), ("bolletta", 2.0), ("esim", 2.0), ("roaming", 1.0)]
    assert interests.learned_tags(member.id, limit=2) == [("sim", 3.0), ("bolletta", 2.0)]
    assert interests.learned_tags(member.id, limit=2, exclude=("sim", "bolletta")) == [("esim", 2.0), ("roaming", 1.0)]
    assert interests.learned_tags(make.user().id) == []


def test_what_one_member_does_teaches_nothing_about_another(app, make):
    asker, reader = make.user(), make.user()
    question = make.question(author=asker, tags=("sim",))
    interests.record_read(reader, question.id)
    assert weights(asker.id) == {"sim": (3.0, 1, 0, 0)}
    assert weights(reader.id) == {"sim": (1.0, 0, 0, 1)}


def test_reading_a_missing_or_removed_question_learns_nothing(app, make):
    member = make.user()
    question = make.question(tags=("sim",))
    delete_question(question.author, question.id)
    assert interests.record_read(member, question.id) is False
    assert interests.record_read(member, 999999) is False
    assert interests.record_read(member, str(question.id)) is False
    assert weights(member.id) == {}
