"""The embedded backend: a Whoosh index in SEARCH_INDEX_DIR (the only whoosh import)."""

import math
import os
import shutil
import threading
import time

from whoosh import highlight, index, qparser, scoring, sorting
from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.query import And, Or, Term
from whoosh.support.charset import accent_map

from .documents import Hit, Results
from .text import MARK_END, MARK_START, light_stem, marked_html, plain_snippet

LANGUAGES = ("it", "en")


class LightStemFilter(Filter):
    """Reduce Italian words to a light stem that the Snowball stemmer sometimes over-cuts."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = light_stem(token.text)
            yield token


def analyzer(lang, light=False):
    """Return the analyzer of one language: folded accents, stop words, a stemmer."""
    chain = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
    chain = chain | StopFilter(stoplist=stopwords_for_language(lang), minsize=2)
    return chain | (LightStemFilter() if light else StemFilter(stemmer_for_language(lang), lang=lang))


def schema() -> Schema:
    """Return the schema: one set of title/body/answer fields per language."""
    fields = {
        "id": ID(unique=True, stored=True), "language": ID(stored=True), "tags": KEYWORD(commas=True, lowercase=True,
        stored=True), "solved": BOOLEAN(stored=True), "votes": NUMERIC(stored=True, signed=True, sortable=True),
        "verified": NUMERIC(stored=True, sortable=True), "stamp": STORED, "title": STORED, "answer": STORED, "answer_id": STORED, "body": STORED, "answer_lang": STORED,
        "light_it": TEXT(analyzer=analyzer("it", light=True)),
    }
    for lang in LANGUAGES:
        fields[f"title_{lang}"] = TEXT(analyzer=analyzer(lang), field_boost=3.0)
        fields[f"body_{lang}"] = TEXT(analyzer=analyzer(lang))
        fields[f"answer_{lang}"] = TEXT(analyzer=analyzer(lang), field_boost=1.5)
    return Schema(**fields)


# Same factor as the PostgreSQL backend's.
VERIFIED_BOOST = 1.5


class VotesBM25F(scoring.BM25F):
    """BM25F lifted by the indexed votes and staff verification: those answers rank higher."""

    use_final = True

    def final(self, searcher, docnum, score):
        votes = searcher.__dict__.setdefault("_votes_column", searcher.reader().column_reader("votes"))
        score *= 1 + 0.2 * math.log1p(max(votes[docnum], 0))
        if "verified" in searcher.schema:  # an index built before the field: `search reindex` adds it
            verified = searcher.__dict__.setdefault("_verified_column", searcher.reader().column_reader("verified"))
            score *= VERIFIED_BOOST if verified[docnum] else 1.0
        return score


class _Marker(highlight.Formatter):
    """Wrap matches in marker characters; text.marked_html escapes and turns them into <mark>."""

    def format_token(self, text, token, replace=False):
        return MARK_START + highlight.get_text(text, token, replace) + MARK_END

    def format_fragment(self, fragment, replace=False):
        output, index_ = [], fragment.startchar
        for token in fragment.matches:
            output.append(fragment.text[index_:token.startchar])
            output.append(self.format_token(fragment.text, token, replace))
            index_ = token.endchar
        output.append(fragment.text[index_:fragment.endchar])
        return "".join(output)


class WhooshBackend:
    name = "whoosh"

    def __init__(self, directory, writer_timeout=30.0):
        self.directory = directory
        self.writer_timeout = writer_timeout
        self._lock = threading.Lock()
        self._ix = None
        self._searcher = None

    # Index ---------------------------------------------------------------------------

    def _index(self):
        if self._ix is None:
            os.makedirs(self.directory, exist_ok=True)
            if index.exists_in(self.directory):
                self._ix = index.open_dir(self.directory)
            else:
                self._ix = index.create_in(self.directory, schema())
        return self._ix

    def _fields(self, doc) -> dict:
        lang = doc.language
        fields = {"id": str(doc.question_id), "language": lang, "tags": ",".join(doc.tags), "solved": doc.solved,
                  "votes": doc.answer_score if doc.solved else doc.score, "stamp": doc.stamp, "title": doc.title,
                  "answer": doc.answer, "answer_id": doc.answer_id, "body": doc.body,
                  "answer_lang": doc.answer_language,
                  f"title_{lang}": doc.title, f"body_{lang}": doc.body}
        if "verified" in self._index().schema:
            fields["verified"] = int(doc.verified)
        if doc.answer:
            fields[f"answer_{doc.answer_language}"] = doc.answer
        if "it" in (lang, doc.answer_language):
            fields["light_it"] = " ".join([doc.title, doc.body, doc.answer])
        return fields

    def index(self, docs) -> None:
        """Add or replace documents (by question id): a replay changes nothing."""
        writer = self._index().writer(timeout=self.writer_timeout)
        try:
            for doc in docs:
                writer.update_document(**self._fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def remove(self, question_ids) -> None:
        """Remove documents by question id (missing ones are ignored)."""
        writer = self._index().writer(timeout=self.writer_timeout)
        for question_id in question_ids:
            writer.delete_by_term("id", str(question_id))
        writer.commit()

    def stamps(self) -> dict[int, str]:
        """Return every indexed question id with the stamp of its indexed version."""
        with self._index().searcher() as searcher:
            return {int(f["id"]): f["stamp"] for f in searcher.all_stored_fields()}

    def rebuild(self, docs, progress=None) -> int:
        """Build a fresh index from docs in a new directory, then swap it in by renaming."""
        fresh = f"{self.directory.rstrip('/')}.new-{int(time.time() * 1000)}"
        os.makedirs(fresh)
        ix = index.create_in(fresh, schema())
        writer, count = ix.writer(limitmb=128), 0
        for doc in docs:
            writer.add_document(**self._fields(doc))
            count += 1
            if progress:
                progress(1)
        writer.commit()
        old = f"{self.directory.rstrip('/')}.old-{int(time.time() * 1000)}"
        with self._lock:
            if os.path.exists(self.directory):
                os.rename(self.directory, old)
            os.rename(fresh, self.directory)
            self._ix, self._searcher = None, None
        shutil.rmtree(old, ignore_errors=True)
        return count

    # Queries -------------------------------------------------------------------------

    def _current_searcher(self):
        with self._lock:
            ix = self._index()
            # Searcher.refresh() reuses segment readers and can miss deletions made by
            # update_document, so a changed generation opens a whole new searcher.
            if self._searcher is None or ix.latest_generation() != self._searcher.reader().generation():
                self._searcher = ix.searcher(weighting=VotesBM25F())
            return self._searcher

    def _query(self, terms, any_term):
        group = qparser.OrGroup.factory(0.9) if any_term else qparser.AndGroup
        text = " ".join(terms)
        per_language = []
        for lang in LANGUAGES:
            names = [f"title_{lang}", f"body_{lang}", f"answer_{lang}", "tags"] + (["light_it"] if lang == "it" else [])
            parser = qparser.MultifieldParser(names, self._index().schema, group=group)
            for plugin in (qparser.WildcardPlugin, qparser.PhrasePlugin, qparser.RangePlugin, qparser.FieldsPlugin,
                           qparser.BoostPlugin, qparser.GroupPlugin, qparser.OperatorsPlugin):
                parser.remove_plugin_class(plugin)
            parsed = parser.parse(text)
            per_language.append(And([Term("language", lang), parsed]))
        return Or(per_language)

    def search(self, terms, *, tag=None, solved_only=False, page=1, per_page=10, any_term=False) -> Results:
        """Return one page of matches: solved first, then by relevance weighted by votes."""
        if not terms:
            return Results([], 0)
        query = self._query(terms, any_term)
        filters = [Term("tags", tag.lower())] if tag else []
        if solved_only:
            filters.append(Term("solved", True))
        searcher = self._current_searcher()
        sort = sorting.MultiFacet([sorting.FieldFacet("solved", reverse=True), sorting.ScoreFacet()])
        found = searcher.search(query, limit=page * per_page, sortedby=sort, filter=And(filters) if filters else None)
        found.fragmenter = highlight.ContextFragmenter(maxchars=220, surround=60)
        found.formatter = _Marker()
        hits = [self._hit(h) for h in found[(page - 1) * per_page:page * per_page]]
        return Results(hits, len(found))

    def _hit(self, hit) -> Hit:
        answer = hit.get("answer")
        text = answer or hit.get("body", "")
        field = f"answer_{hit.get('answer_lang', 'it')}" if answer else f"body_{hit['language']}"
        marked = hit.highlights(field, text=text, top=2) or plain_snippet(text)
        return Hit(question_id=int(hit["id"]), answer_id=hit.get("answer_id"), title=hit["title"],
                   snippet_html=str(marked_html(marked)), score=round(abs(hit.score[-1]) if isinstance(hit.score, tuple) else hit.score, 4),
                   tags=[t for t in hit.get("tags", "").split(",") if t], votes=hit["votes"], solved=hit["solved"])
