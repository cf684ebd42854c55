"""The scale-out backend: PostgreSQL full-text search over the search.documents table."""

from sqlalchemy import bindparam, text

from support.database import write_transaction
from support.extensions import db

from . import pg_schema
from .documents import Hit, Results
from .text import content_positions, light_stem, light_text, marked_html, plain_snippet

CONFIGS = {"it": "italian", "en": "english"}
UPSERT = text("""
INSERT INTO search.documents (question_id, answer_id, language_config, title, body, answer, tags, light,
                              votes, solved, verified, accepted_at, stamp)
VALUES (:question_id, :answer_id, CAST(:language_config AS regconfig), :title, :body, :answer, :tags, :light,
        :votes, :solved, :verified, :accepted_at, :stamp)
ON CONFLICT (question_id) DO UPDATE SET answer_id = EXCLUDED.answer_id,
    language_config = EXCLUDED.language_config, title = EXCLUDED.title, body = EXCLUDED.body,
    answer = EXCLUDED.answer, tags = EXCLUDED.tags, light = EXCLUDED.light, votes = EXCLUDED.votes,
    solved = EXCLUDED.solved, verified = EXCLUDED.verified, accepted_at = EXCLUDED.accepted_at,
    stamp = EXCLUDED.stamp
""")
# The inner query ranks every match but carries only ids and ranks through the sort; the
# page's rows (one more than asked, to know whether a next page exists) are then joined
# back for their text, and only they get a ts_headline. Nothing counts every match.
SEARCH = """
WITH q AS (SELECT {it} AS it, {en} AS en),
page AS (
  SELECT d.question_id, d.solved,
         ts_rank_cd(d.document, CASE WHEN d.language_config = 'italian'::regconfig THEN q.it ELSE q.en END)
           * (1 + 0.2 * ln(1 + greatest(d.votes, 0))) * (CASE WHEN d.verified THEN 1.5 ELSE 1 END) AS rank
  FROM search.documents d, q
  WHERE ((d.language_config = 'italian'::regconfig AND d.document @@ q.it)
         OR (d.language_config = 'english'::regconfig AND d.document @@ q.en))
    {filters}
  ORDER BY d.solved DESC, rank DESC, d.question_id DESC
  LIMIT :limit OFFSET :offset
)
SELECT d.question_id, d.answer_id, d.title, d.tags, d.votes, d.solved, d.answer, d.body, page.rank,
       ts_headline(d.language_config, CASE WHEN d.answer <> '' THEN d.answer ELSE d.body END,
         CASE WHEN d.language_config = 'italian'::regconfig THEN q.it ELSE q.en END,
         'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=35, MinWords=12, MaxFragments=2')
         AS headline
FROM page JOIN search.documents d USING (question_id), q
ORDER BY page.solved DESC, page.rank DESC, page.question_id DESC
"""
COLUMNS = ("question_id", "answer_id", "language_config", "title", "body", "answer", "tags", "light", "votes",
           "solved", "verified", "accepted_at", "stamp")
COPY = f"COPY search.documents ({', '.join(COLUMNS)}) FROM STDIN"
COPY_BATCH = 2000


def _tsquery(config, positions, any_term, prefix):
    """Return SQL for a tsquery: each term at `positions` in the language (or its light stem), all or any."""
    joiner = " || " if any_term else " && "
    parts = [
        f"(websearch_to_tsquery('{config}', search.fold(:{prefix}{i})) || "
        f"plainto_tsquery('simple', :{prefix}l{i}))"
        for i in positions
    ]
    return "(" + joiner.join(parts) + ")"


class PostgresBackend:
    name = "postgres"

    def __init__(self):
        self._ready = False

    def ensure_schema(self) -> None:
        """Create the search table when the migration has not (tests build with create_all).

        Only when it is missing: with migrations applied this is one cheap look-up per
        process, and the app's database role needs no right to create extensions.
        """
        if not self._ready:
            with db.engine.connect() as conn:  # its own connection: the caller's transaction is untouched
                exists = conn.scalar(text("SELECT to_regclass('search.documents') IS NOT NULL"))
            if not exists:
                with write_transaction() as session:
                    pg_schema.create(session.connection())
            self._ready = True

    def index(self, docs) -> None:
        """Insert or replace documents by question id."""
        self.ensure_schema()
        with write_transaction() as session:
            self._upsert(session, docs)

    @staticmethod
    def _row(d) -> dict:
        """Return the table row of a document (the tsvector is a generated column)."""
        return {
            "question_id": d.question_id, "answer_id": d.answer_id, "language_config": CONFIGS[d.language],
            "title": d.title, "body": d.body, "answer": d.answer, "tags": ",".join(d.tags),
            "light": light_text(" ".join([d.title, d.body, d.answer])) if "it" in (d.language, d.answer_language)
            else "", "votes": d.answer_score if d.solved else d.score, "solved": d.solved,
            "verified": d.verified, "accepted_at": d.accepted_at, "stamp": d.stamp,
        }

    @classmethod
    def _upsert(cls, session, docs) -> None:
        rows = [cls._row(d) for d in docs]
        if rows:
            session.execute(UPSERT, rows)

    @classmethod
    def _copy(cls, session, docs) -> None:
        """Append documents with COPY: far fewer round trips and parses than INSERTs."""
        if not docs:
            return
        raw = session.connection().connection.driver_connection  # psycopg's own connection
        with raw.cursor() as cursor, cursor.copy(COPY) as copy:
            for doc in docs:
                row = cls._row(doc)
                copy.write_row([row[c] for c in COLUMNS])

    def remove(self, question_ids) -> None:
        """Delete documents by question id."""
        self.ensure_schema()
        with write_transaction() as session:
            session.execute(text("DELETE FROM search.documents WHERE question_id IN :ids")
                            .bindparams(bindparam("ids", expanding=True)), {"ids": list(question_ids)})

    def stamps(self) -> dict[int, str]:
        """Return every indexed question id with its stamp."""
        self.ensure_schema()
        return dict(db.session.execute(text("SELECT question_id, stamp FROM search.documents")).all())

    def rebuild(self, docs, progress=None) -> int:
        """Replace every document in one transaction: readers see the old set until commit.

        Documents go in by COPY in batches (between batches the session may read the next
        ones). Then VACUUM (ANALYZE), which cannot run in a transaction: it clears the old
        rows and the GIN index's pending list and sets the pages' hint bits, so the first
        searches do not pay for that, and gives the planner the new table's statistics.
        """
        self.ensure_schema()
        count, batch = 0, []
        with write_transaction() as session:
            session.execute(text("DELETE FROM search.documents"))
            for doc in docs:
                batch.append(doc)
                count += 1
                if progress:
                    progress(1)
                if len(batch) >= COPY_BATCH:
                    self._copy(session, batch)
                    batch = []
            self._copy(session, batch)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE) search.documents"))
        return count

    def search(self, terms, *, tag=None, solved_only=False, page=1, per_page=10, any_term=False) -> Results:
        """Return one page of matches: solved first, then by rank weighted by votes."""
        if not terms:
            return Results([], 0)
        self.ensure_schema()
        params = {"limit": per_page + 1, "offset": (page - 1) * per_page}
        for i, term in enumerate(terms):
            params[f"t{i}"] = term
            params[f"tl{i}"] = light_stem(term)
        filters = ""
        if tag:
            filters += " AND position(',' || :tag || ',' in ',' || d.tags || ',') > 0"
            params["tag"] = tag.lower()
        if solved_only:
            filters += " AND d.solved"
        sql = SEARCH.format(it=_tsquery("italian", content_positions(terms, "it"), any_term, "t"),
                            en=_tsquery("english", content_positions(terms, "en"), any_term, "t"),
                            filters=filters)
        rows = db.session.execute(text(sql), params).mappings().all()
        hits = [Hit(question_id=r["question_id"], answer_id=r["answer_id"], title=r["title"],
                    snippet_html=str(marked_html(r["headline"] or plain_snippet(r["answer"] or r["body"]))),
                    score=round(float(r["rank"]), 4), tags=[t for t in r["tags"].split(",") if t],
                    votes=r["votes"], solved=r["solved"]) for r in rows[:per_page]]
        more = len(rows) > per_page
        if not hits:  # no match at all (page 1), or a page past the end: how many is unknown
            return Results([], 0, exact=page == 1)
        # Exact only on the last page: then every match up to it has been seen.
        return Results(hits, params["offset"] + len(hits), more=more, exact=not more)
