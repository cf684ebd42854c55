"""Tags, created on first use."""

from sqlalchemy import select
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
