"""The one interface the app uses: index, remove, search, similar, check and rebuild."""

from flask import current_app

from . import documents
from .text import query_terms

SIMILAR_LIMIT = 5


def backend():
    """Return the configured backend of this app (made once per app)."""
    return current_app.extensions["search"]


def refresh(*question_ids: int) -> None:
    """Bring questions' documents up to date with the database (idempotent), in one index write."""
    docs = documents.load_many(question_ids)
    gone = [question_id for question_id, doc in docs.items() if doc is None]
    if gone:
        backend().remove(gone)
    found = [doc for doc in docs.values() if doc is not None]
    if found:
        backend().index(found)


def search(raw_query, *, tag=None, solved_only=False, page=1, per_page=10) -> documents.Results:
    """Return one page of results for what a user typed (any text is safe)."""
    return backend().search(query_terms(raw_query), tag=tag, solved_only=solved_only, page=page,
                            per_page=per_page)


def similar(title) -> list[documents.Hit]:
    """Return up to five solved questions that look like a draft title."""
    terms = query_terms(title)
    if not terms:
        return []
    return backend().search(terms, solved_only=True, per_page=SIMILAR_LIMIT, any_term=True).hits


def check(fix=False) -> dict:
    """Compare the index with the database; with fix, repair what differs."""
    indexed = backend().stamps()
    missing, stale, seen = [], [], set()
    for doc in documents.iter_all():
        seen.add(doc.question_id)
        stamp = indexed.get(doc.question_id)
        if stamp is None:
            missing.append(doc)
        elif stamp != doc.stamp:
            stale.append(doc)
    extra = sorted(set(indexed) - seen)
    if fix:
        if missing or stale:
            backend().index(missing + stale)
        if extra:
            backend().remove(extra)
    return {"missing": [d.question_id for d in missing], "stale": [d.question_id for d in stale], "extra": extra}


def rebuild(progress=None) -> int:
    """Rebuild the whole index from the database; return how many documents it holds."""
    return backend().rebuild(documents.iter_all(), progress=progress)
