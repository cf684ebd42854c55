"""The embedded backend: a Whoosh index in SEARCH_INDEX_DIR (the only whoosh import)."""

import math
import os
import shutil
import threading
import time
from multiprocessing import cpu_count

from whoosh import collectors, highlight, index, qparser, scoring
from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    Filter,
    IDTokenizer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.query import And, AndMaybe, ConstantScoreQuery, NullQuery, Or, Term
from whoosh.support.charset import accent_map

from .documents import Hit, Results
from .text import MARK_END, MARK_START, content_positions, light_stem, marked_html, plain_snippet

LANGUAGES = ("it", "en")
# The parts of a match_<lang> field's value (see MatchAnalyzer).
MATCH_SEP = "\x1f"
# How the tokens of the scored fields are spelled in a match_<lang> field: prefixes keep them apart.
MATCH_PREFIX = {"tags": "#", "light_it": "~"}


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


class MatchAnalyzer(Analyzer):
    """Analyse a match_<lang> value: every token a query in that language can match, in one field.

    The value is "text \x1f light text \x1f tags": the text gets the language's tokens
    (as title_/body_/answer_ do), the light text the light Italian stems (as light_it,
    prefixed "~") and each tag its own token (as tags, prefixed "#").
    """

    def __init__(self, lang):
        self.lang = lang
        self.words = analyzer(lang)
        self.light = analyzer("it", light=True)

    def __eq__(self, other):
        return isinstance(other, MatchAnalyzer) and other.lang == self.lang

    def __call__(self, value, **kwargs):
        text, light, tags = value.split(MATCH_SEP)
        yield from self.words(text, **kwargs)
        for token in self.light(light, **kwargs):
            token.text = "~" + token.text
            yield token
        for tag in tags.split(","):
            if tag.strip():
                yield from IDTokenizer()("#" + tag.strip().lower(), **kwargs)


def schema() -> Schema:
    """Return the schema: one set of title/body/answer fields per language.

    Text fields keep no positions (phrase=False): queries never hold phrases (the parser's
    phrase plugin is removed) and snippets re-read the stored text, so positions would only
    make the index bigger and slower to write and read. "solved" is also a column, so
    ranking can put solved questions first without reading stored fields.
    """
    fields = {
        "id": ID(unique=True, stored=True), "language": ID(stored=True), "tags": KEYWORD(commas=True, lowercase=True,
        stored=True), "solved": BOOLEAN(stored=True), "votes": NUMERIC(stored=True, signed=True, sortable=True),
        "verified": NUMERIC(stored=True, sortable=True), "solved_rank": NUMERIC(sortable=True),
        "stamp": STORED, "title": STORED, "answer": STORED, "answer_id": STORED, "body": STORED, "answer_lang": STORED,
        "light_it": TEXT(analyzer=analyzer("it", light=True), phrase=False),
    }
    for lang in LANGUAGES:
        fields[f"title_{lang}"] = TEXT(analyzer=analyzer(lang), field_boost=3.0, phrase=False)
        fields[f"body_{lang}"] = TEXT(analyzer=analyzer(lang), phrase=False)
        fields[f"answer_{lang}"] = TEXT(analyzer=analyzer(lang), field_boost=1.5, phrase=False)
        fields[f"match_{lang}"] = TEXT(analyzer=MatchAnalyzer(lang), phrase=False)
    return Schema(**fields)


# Same factor as the PostgreSQL backend's.
VERIFIED_BOOST = 1.5
# Added to a solved question's score so that one plain top-N pass ranks every solved match
# above every unsolved one (a BM25F score times the boosts stays far below it); taken off
# again before a score is shown.
SOLVED_LIFT = 1_000_000.0


def _column(searcher, name):
    """Return a column reader of the searcher, opened once per searcher (None if absent)."""
    cache = searcher.__dict__.setdefault("_columns", {})
    if name not in cache:
        cache[name] = searcher.reader().column_reader(name) if name in searcher.schema else None
    return cache[name]


class VotesBM25F(scoring.BM25F):
    """BM25F lifted by the indexed votes and staff verification, solved questions first."""

    use_final = True

    def final(self, searcher, docnum, score):
        score *= 1 + 0.2 * math.log1p(max(_column(searcher, "votes")[docnum], 0))
        verified = _column(searcher, "verified")  # None in an index built before the field
        if verified is not None and verified[docnum]:
            score *= VERIFIED_BOOST
        solved = _column(searcher, "solved_rank")
        if solved is None:  # an index built before the column: `search reindex` adds it
            solved = searcher.stored_fields(docnum)["solved"]
        else:
            solved = solved[docnum]
        return score + SOLVED_LIFT if solved else score


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

    def __init__(self, directory, writer_timeout=30.0, procs=None):
        self.directory = directory
        self.writer_timeout = writer_timeout
        # Rebuilds analyse in worker processes: analysis is pure Python, so one core is the limit.
        self.procs = procs if procs is not None else min(cpu_count(), 4)
        self._lock = threading.Lock()
        self._ix = None
        self._searcher = None
        self._parsers = {}

    # Index ---------------------------------------------------------------------------

    def _index(self):
        if self._ix is None:
            os.makedirs(self.directory, exist_ok=True)
            if index.exists_in(self.directory):
                self._ix = index.open_dir(self.directory)
            else:
                self._ix = index.create_in(self.directory, schema())
        return self._ix

    @staticmethod
    def _fields(doc, names) -> dict:
        """Return the fields of a document for an index whose schema has these field names."""
        lang = doc.language
        fields = {"id": str(doc.question_id), "language": lang, "tags": ",".join(doc.tags), "solved": doc.solved,
                  "votes": doc.answer_score if doc.solved else doc.score, "stamp": doc.stamp, "title": doc.title,
                  "answer": doc.answer, "answer_id": doc.answer_id, "body": doc.body,
                  "answer_lang": doc.answer_language,
                  f"title_{lang}": doc.title, f"body_{lang}": doc.body}
        if "verified" in names:
            fields["verified"] = int(doc.verified)
        if "solved_rank" in names:
            fields["solved_rank"] = int(doc.solved)
        if doc.answer:
            fields[f"answer_{doc.answer_language}"] = doc.answer
        if "it" in (lang, doc.answer_language):
            fields["light_it"] = " ".join([doc.title, doc.body, doc.answer])
        if f"match_{lang}" in names:
            text = " ".join([doc.title, doc.body] + ([doc.answer] if doc.answer_language == lang else []))
            fields[f"match_{lang}"] = MATCH_SEP.join([text, fields.get("light_it", "") if lang == "it" else "",
                                                      ",".join(doc.tags)])
        return fields

    def index(self, docs) -> None:
        """Add or replace documents (by question id): a replay changes nothing."""
        ix = self._index()
        names = set(ix.schema.names())
        writer = ix.writer(timeout=self.writer_timeout)
        try:
            for doc in docs:
                writer.update_document(**self._fields(doc, names))
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
        """Build a fresh index from docs in a new directory, then swap it in by renaming.

        With several cores, worker processes analyse batches of documents and each writes
        its own segment (multisegment: no final merge, which would cost as much again);
        later updates merge segments as usual.
        """
        fresh = f"{self.directory.rstrip('/')}.new-{int(time.time() * 1000)}"
        os.makedirs(fresh)
        try:
            count = self._write_fresh(fresh, docs, progress)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        old = f"{self.directory.rstrip('/')}.old-{int(time.time() * 1000)}"
        with self._lock:
            if os.path.exists(self.directory):
                os.rename(self.directory, old)
            os.rename(fresh, self.directory)
            self._ix, self._searcher = None, None
        shutil.rmtree(old, ignore_errors=True)
        return count

    def _write_fresh(self, directory, docs, progress) -> int:
        ix = index.create_in(directory, schema())
        names = set(ix.schema.names())
        if self.procs > 1:
            writer = ix.writer(procs=self.procs, multisegment=True, batchsize=500, limitmb=256)
        else:
            writer = ix.writer(limitmb=256)
        count = 0
        try:
            for doc in docs:
                writer.add_document(**self._fields(doc, names))
                count += 1
                if progress:
                    progress(1)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        indexed = index.open_dir(directory).doc_count()
        if indexed != count:  # a worker lost its segment: never swap in an incomplete index
            raise RuntimeError(f"search rebuild wrote {indexed} of {count} documents")
        return count

    # Queries -------------------------------------------------------------------------

    def _current_searcher(self):
        """Return the shared searcher, reopened only when a writer committed a new generation.

        Opening a searcher reads every segment's metadata; reusing it keeps its caches
        (columns, term info) warm. Searcher.refresh() reuses segment readers and can miss
        deletions made by update_document, so a changed generation opens a whole new one.
        """
        with self._lock:
            ix = self._index()
            if self._searcher is None or ix.latest_generation() != self._searcher.reader().generation():
                self._searcher = ix.searcher(weighting=VotesBM25F())
            return self._searcher

    def _parser(self, schema, lang, any_term):
        """Return the query parser of a language for a schema, made once: building one is not free."""
        key = (lang, any_term)
        parsers = self._parsers.get(id(schema))
        if parsers is None:  # a new index (rebuilt): the old parsers go
            parsers = {}
            self._parsers = {id(schema): parsers}
        if key not in parsers:
            group = qparser.OrGroup.factory(0.9) if any_term else qparser.AndGroup
            names = [f"title_{lang}", f"body_{lang}", f"answer_{lang}", "tags"] + (["light_it"] if lang == "it" else [])
            parser = qparser.MultifieldParser(names, schema, group=group)
            for plugin in (qparser.WildcardPlugin, qparser.PhrasePlugin, qparser.RangePlugin, qparser.FieldsPlugin,
                           qparser.BoostPlugin, qparser.GroupPlugin, qparser.OperatorsPlugin):
                parser.remove_plugin_class(plugin)
            parsers[key] = parser
        return parsers[key]

    def _query(self, schema, terms, any_term):
        branches = []
        for lang in LANGUAGES:
            words = " ".join(terms[i] for i in content_positions(terms, lang))
            parsed = self._parser(schema, lang, any_term).parse(words)
            if parsed is NullQuery:
                continue
            if any_term or f"match_{lang}" not in schema:
                branches.append(And([Term("language", lang), parsed]))
            else:
                branches.append(self._fast_branch(lang, parsed))
        return Or(branches)

    @staticmethod
    def _fast_branch(lang, parsed):
        """Return a query that matches and scores like parsed (an And of each word's Or of
        fields) but finds its documents in the single match_<lang> field.

        Intersecting each word's union of five posting lists costs most of a query; here
        the words' few match_<lang> tokens are intersected instead (scoring nothing: a
        boost of 0 would be simpler, but Whoosh then loses matches in unions), and
        the fields' terms are only scored on the documents found, as before.
        """
        words = parsed.subqueries if isinstance(parsed, And) else [parsed]
        required = []
        for word in words:
            tokens = {MATCH_PREFIX.get(leaf.fieldname, "") + leaf.text for leaf in word.leaves()}
            required.append(Or([Term(f"match_{lang}", t) for t in sorted(tokens)]))
        scored = Or([leaf for word in words for leaf in word.leaves()])
        return AndMaybe(ConstantScoreQuery(And(required), 0.0), scored)

    def search(self, terms, *, tag=None, solved_only=False, page=1, per_page=10, any_term=False) -> Results:
        """Return one page of matches: solved first, then by relevance weighted by votes.

        One top-N pass: VotesBM25F lifts solved questions above the others, so no sort of
        every match is needed. Every match is scored anyway (the votes boost rules out
        Whoosh's block skipping), so the exact count comes free.
        """
        if not terms:
            return Results([], 0)
        searcher = self._current_searcher()
        query = self._query(searcher.schema, terms, any_term)
        filters = [Term("tags", tag.lower())] if tag else []
        if solved_only:
            filters.append(Term("solved", True))
        shown = page * per_page
        # replace=0: Whoosh would otherwise prune matchers by the heap's lowest score, which
        # VotesBM25F.final has lifted above what the matchers know of, and drop matches.
        collector = collectors.TopCollector(limit=shown, usequality=False, replace=0)
        if filters:
            collector = collectors.FilterCollector(collector, And(filters))
        searcher.search_with_collector(query, collector)
        found = collector.results()
        found.fragmenter = highlight.ContextFragmenter(maxchars=220, surround=60)
        found.formatter = _Marker()
        hits = [self._hit(h) for h in found[(page - 1) * per_page:shown]]
        total = len(found)
        return Results(hits, total, more=total > shown)

    def _hit(self, hit) -> Hit:
        answer = hit.get("answer")
        text = answer or hit.get("body", "")
        field = f"answer_{hit.get('answer_lang', 'it')}" if answer else f"body_{hit['language']}"
        marked = hit.highlights(field, text=text, top=2) or plain_snippet(text)
        score = hit.score - SOLVED_LIFT if hit.score >= SOLVED_LIFT else hit.score
        return Hit(question_id=int(hit["id"]), answer_id=hit.get("answer_id"), title=hit["title"],
                   snippet_html=str(marked_html(marked)), score=round(score, 4),
                   tags=[t for t in hit.get("tags", "").split(",") if t], votes=hit["votes"], solved=hit["solved"])
