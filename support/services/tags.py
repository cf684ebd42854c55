"""Tags, created on first use."""

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Tag


def get_or_create_tags(names: list[str]) -> list[Tag]:
    """Return Tag rows for the names, creating missing ones (safe under races)."""
    if not names:
        return []
    found = {t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(names)))}
    for name in names:
        if name in found:
            continue
        try:
            with db.session.begin_nested():
                tag = Tag(name=name)
                db.session.add(tag)
        except IntegrityError:  # created by a parallel request a moment ago
            tag = db.session.scalar(select(Tag).where(Tag.name == name))
        found[name] = tag
    return [found[name] for name in names]


def count_questions(tag_ids, delta: int) -> None:
    """Add `delta` to the visible-question count of each tag (atomic, never read-modify-write).

    One UPDATE per tag in id order: two transactions touching the same tags lock them in
    the same order, so they wait for each other instead of deadlocking.
    """
    ids = sorted(set(tag_ids))
    if not ids:
        return
    db.session.execute(
        update(Tag.__table__).where(Tag.__table__.c.id == bindparam("tag"))
        .values(question_count=Tag.__table__.c.question_count + delta),
        [{"tag": tag_id} for tag_id in ids],
    )
