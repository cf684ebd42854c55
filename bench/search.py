"""Search speed on a synthetic corpus: Whoosh, PostgreSQL full-text and SQLite FTS5.

    python -m bench.search [--docs 100000] [--queries 300] [--pg-url URL]

Builds N solved questions (half Italian, half English) from word lists (a few topic
words per question plus made-up rare words), indexes them
with each engine and prints indexing docs/s and p50/p95/p99 of queries of two to
four words. Whoosh and PostgreSQL run through the app's own code: the backend's
rebuild (the one `flask search reindex` runs, minus the database reads) and
search.service.search with the search page's page size, so the persistent searcher,
highlighting and ranking are all measured. SQLite FTS5 (unicode61, no stemming) is the
practical limit: each engine's ratio to it is printed. PostgreSQL runs when --pg-url or
TEST_DATABASE_URL is set; it uses its own database, "<name>_bench".
"""

import argparse
import os
import random
import sqlite3
import statistics
import tempfile
import time

from search.documents import SearchDocument

WORDS = {
    "it": ("sim ricarica roaming fattura offerta telefono modem fibra rete segnale codice puk pin attivare "
           "bloccare rimborso addebito credito numero portabilità contratto disdetta tariffa estero chiamate "
           "messaggi internet giga velocità router assistenza negozio app password accesso pagamento carta "
           "bolletta scadenza promozione cliente linea guasto tecnico installazione consegna reso "
           "attività aggiornamento dispositivo batteria schermo").split(),
    "en": ("sim top-up roaming bill plan phone modem fibre network signal code puk pin activate block refund "
           "charge credit number transfer contract cancel tariff abroad calls messages internet data speed "
           "router support store app password login payment card invoice deadline promotion customer line "
           "outage engineer installation delivery return activity update device battery screen").split(),
}
FILLER = {"it": "il la non ho mi come per che di un una sul della".split(),
          "en": "the a my i how to for is on of it was".split()}


SYLLABLES = "ba ce di fo gu la me ni po ru sa te vi zo ka".split()


def rare_word(rng):
    """Return a made-up word: the long tail of a real vocabulary (names, models, places)."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def sentence(rng, lang, n, topic):
    """Return n words: the document's topic words, filler and a few rare words."""
    words = []
    for _ in range(n):
        roll = rng.random()
        words.append(rng.choice(topic) if roll < 0.25 else rare_word(rng) if roll < 0.4 else rng.choice(FILLER[lang]))
    return " ".join(words)


def corpus(n, seed=7):
    """Yield n solved-question documents, half Italian, half English, each about 3-6 topic words."""
    rng = random.Random(seed)
    for i in range(1, n + 1):
        lang = "it" if i % 2 else "en"
        topic = rng.sample(WORDS[lang], rng.randint(3, 6))
        yield SearchDocument(
            question_id=i, title=sentence(rng, lang, 8, topic), body=sentence(rng, lang, 30, topic), language=lang,
            tags=[topic[0]], score=rng.randint(0, 20), answer_id=i, answer=sentence(rng, lang, 50, topic),
            answer_language=lang, answer_score=rng.randint(0, 30), stamp=str(i))


def queries(count, seed=11):
    """Return queries of 2-4 words: topic words of one subject, sometimes with a rare word."""
    rng = random.Random(seed)
    result = []
    for k in range(count):
        words = rng.sample(WORDS["it" if k % 2 else "en"], rng.randint(2, 4))
        if rng.random() < 0.3:
            words[-1] = rare_word(rng)
        result.append(words)
    return result


def percentiles(samples):
    """Return p50, p95, p99 in milliseconds."""
    cuts = statistics.quantiles(samples, n=100)
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


def timed_queries(run, qs):
    """Time each query, after a warm-up with other queries: a serving process is warm
    (caches, the persistent searcher, pages in memory), and so is FTS5's."""
    for words in queries(50, seed=13):
        run(words)
    samples = []
    for words in qs:
        started = time.perf_counter()
        run(words)
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def bench_fts5(n, qs):
    path = os.path.join(tempfile.mkdtemp(prefix="fts5-"), "bench.db")
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, answer, tags, "
                 "tokenize='unicode61 remove_diacritics 2')")
    started = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO docs(rowid, title, body, answer, tags) VALUES (?, ?, ?, ?, ?)",
                         ((d.question_id, d.title, d.body, d.answer, " ".join(d.tags)) for d in corpus(n)))
    rate = n / (time.perf_counter() - started)

    def run(words):
        match = " AND ".join(f'"{w}"' for w in words)
        conn.execute("SELECT rowid, snippet(docs, 2, '<mark>', '</mark>', '…', 20) FROM docs WHERE docs MATCH ? "
                     "ORDER BY bm25(docs, 3.0, 1.0, 1.5, 0.5) LIMIT 10", (match,)).fetchall()

    return rate, timed_queries(run, qs)


def bench_app_backend(n, qs, config):
    from search import service
    from search.views import PER_PAGE
    from support import create_app

    app = create_app(config)
    with app.app_context():
        started = time.perf_counter()
        service.backend().rebuild(corpus(n))
        rate = n / (time.perf_counter() - started)
        return rate, timed_queries(lambda words: service.search(" ".join(words), per_page=PER_PAGE), qs)


def pg_bench_url(url):
    from sqlalchemy import create_engine, make_url, text

    url = make_url(url)
    name = f"{url.database}_bench"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--pg-url", default=os.environ.get("TEST_DATABASE_URL"))
    args = parser.parse_args()
    qs = queries(args.queries)
    tmp = tempfile.mkdtemp(prefix="bench-search-")
    base = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/app.db", "INSTANCE_PATH": tmp, "SECRET_KEY": "bench"}
    results = {"sqlite-fts5": bench_fts5(args.docs, qs)}
    results["whoosh"] = bench_app_backend(args.docs, qs, {**base, "SEARCH_INDEX_DIR": f"{tmp}/index"})
    if args.pg_url:
        pg = {**base, "SQLALCHEMY_DATABASE_URI": pg_bench_url(args.pg_url), "SEARCH_BACKEND": "postgres"}
        results["postgres"] = bench_app_backend(args.docs, qs, pg)
    ref_rate, (ref_p50, ref_p95, _) = results["sqlite-fts5"]
    print(f"{args.docs} documents, {len(qs)} queries of 2-4 words, top 10 with snippets")
    print(f"{'engine':<12} {'docs/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'index x':>8} {'p50 x':>7} "
          f"{'p95 x':>7}")
    for name, (rate, (p50, p95, p99)) in results.items():
        print(f"{name:<12} {rate:>9.0f} {p50:>8.2f} {p95:>8.2f} {p99:>8.2f} {ref_rate / rate:>8.1f} "
              f"{p50 / ref_p50:>7.1f} {p95 / ref_p95:>7.1f}")
    print("index x: times slower to index than FTS5; p50 x, p95 x: times slower to query than FTS5")


if __name__ == "__main__":
    main()
