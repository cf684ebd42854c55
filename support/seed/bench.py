"""A benchmark-sized synthetic community, written by bulk inserts (`flask seed-bench`).

The demo seed (this package's __init__) replays a few hundred threads through the real
services; that takes minutes per thousand threads, far too slow for a community of
hundreds of thousands of members. This module plans the same kind of community in
memory (members, questions, answers, votes, acceptances, comments, escalations, reading
history) and writes it with bulk inserts: executemany on SQLite, COPY on PostgreSQL,
into an empty database, in one transaction (a failed run leaves the database empty).

What the services and the gamification receivers would have written is derived here
with the same rules, so `flask doctor` passes on the result:

- scores are the sums of the votes, answer counts the live answers (I2); one vote per
  voter and post, never on one's own post (I1); at most one accepted answer per question,
  `accepted_answer_id` and `accepted_at` agree (I5); at most one unresolved escalation per
  question, and `is_escalated` says so (I5);
- the points ledger holds one row per award exactly as `gamification.ledger.award` writes
  it (reasons, deltas from the points table in force, award keys of one-shot awards, the
  daily vote cap with `cap_day`, the floor of 1), applied in time order; each member's
  `points` is their ledger sum (I3), `daily_vote_points` the capped sums (I4);
- the leaderboards (week, month, all time; overall and per tag) are aggregated from the
  ledger in SQL, as `gamification recompute` would rebuild them; the count-based badges are
  granted in SQL from the facts.

Each post gets its first revision (the original text), as the services keep it. Not
generated: edits, notifications, tag interests, staff notes, CSAT,
ideas, webhooks. The search index is rebuilt by the command afterwards (or later with
`flask search reindex`).
"""

import html
import json
import math
import random
import time
import unicodedata
from bisect import bisect_right
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import click
from sqlalchemy import func, inspect, select
from sqlalchemy.schema import CreateIndex, DropIndex
from tqdm import tqdm
from werkzeug.security import generate_password_hash

from ..extensions import db
from ..models import Question, User
from ..text import render_markdown
from . import people as data
from . import text_en, text_it
from .text_support import REASONS

DEFAULTS = {"members": 2000, "questions": 3000, "answers": 10000}
TEXTS = {"it": text_it, "en": text_en}
LANGS = ("it", "en")
DAY = 86_400
SPAN = 730 * DAY  # two years of history
EN_SHARE = 0.3
CHUNK = 10_000
# The Whoosh index builds at about 300 documents a second: beyond this many questions the
# command leaves the rebuild to `flask search reindex` unless --search asks for it.
AUTO_REINDEX_QUESTIONS = 50_000
# Tables whose secondary (non-unique) indexes are dropped during the load and rebuilt after.
INDEXED_LATER = ("questions", "answers", "revisions", "votes", "comments", "points_ledger", "leaderboard",
                 "badge_awards", "thread_views")
_EPOCH = datetime(1970, 1, 1)

# How concentrated each activity is on the members who joined early (1 = uniform over the
# members who had joined by then; higher = a few regulars do most of it).
ASK_SKEW, ANSWER_SKEW, VOTE_SKEW, DOWNVOTE_SKEW, COMMENT_SKEW = 1.2, 2.6, 1.8, 6.0, 1.6

REFUSAL = ("Not seeded: the database already has {n:,} members. seed-bench writes only into an empty "
           "database: point DATABASE_URL (or INSTANCE_PATH) at a new one and run `flask db upgrade` first.")


class Refused(Exception):
    """The database is not empty (or has no schema): nothing was written."""


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out = "".join(ch if ch.isalnum() else "-" for ch in text)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")[:32]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------------
# Writing: executemany on SQLite, COPY on PostgreSQL, on one raw connection.


class Writer:
    """Bulk rows into tables on one DBAPI connection, inside one transaction."""

    def __init__(self, engine):
        self.dialect = engine.dialect.name
        self.raw = engine.raw_connection()
        if self.dialect == "sqlite":
            cur = self.raw.cursor()
            for pragma in ("cache_size=-400000", "temp_store=MEMORY", "synchronous=OFF"):
                cur.execute(f"PRAGMA {pragma}")
            cur.execute("BEGIN IMMEDIATE")
            cur.close()
        else:
            self.pg = self.raw.driver_connection
            with self.pg.cursor() as cur:  # for this transaction only: big sorts, big index builds
                cur.execute("SET LOCAL work_mem = '256MB'")
                cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
        self.sql_dialect = engine.dialect
        self.dropped: list = []

    def drop_indexes(self, tables) -> None:
        """Drop the tables' non-unique indexes: built once at the end, they cost far less."""
        for name in tables:
            for index in sorted(db.metadata.tables[name].indexes, key=lambda i: i.name):
                if not index.unique:
                    self.execute(str(DropIndex(index, if_exists=True).compile(dialect=self.sql_dialect)))
                    self.dropped.append(index)

    def restore_indexes(self) -> None:
        for index in self.dropped:
            self.execute(str(CreateIndex(index, if_not_exists=True).compile(dialect=self.sql_dialect)))
        self.dropped = []

    # Values in the form each database takes them without SQLAlchemy in between.
    def dt(self, seconds: int):
        moment = _EPOCH + timedelta(seconds=seconds)
        return moment.isoformat(" ", "microseconds") if self.dialect == "sqlite" else moment

    def day(self, seconds: int):
        moment = date(1970, 1, 1) + timedelta(days=seconds // DAY)
        return moment.isoformat() if self.dialect == "sqlite" else moment

    def write(self, table: str, columns: tuple, rows, bar=None) -> int:
        """Insert an iterable of tuples (in `columns` order); return how many."""
        count = 0
        if self.dialect == "sqlite":
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            cur = self.raw.cursor()
            chunk = []
            for row in rows:
                chunk.append(row)
                if len(chunk) >= CHUNK:
                    cur.executemany(sql, chunk)
                    count += len(chunk)
                    if bar is not None:
                        bar.update(len(chunk))
                    chunk = []
            if chunk:
                cur.executemany(sql, chunk)
                count += len(chunk)
                if bar is not None:
                    bar.update(len(chunk))
            cur.close()
            return count
        with self.pg.cursor() as cur:
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
                    if bar is not None and count % CHUNK == 0:
                        bar.update(CHUNK)
        if bar is not None:
            bar.update(count % CHUNK)
        return count

    def execute(self, sql: str, params=()) -> int:
        cur = self.raw.cursor()
        if self.dialect != "sqlite":
            sql = sql.replace("?", "%s")
        cur.execute(sql, params)
        n = cur.rowcount
        cur.close()
        return n

    def scalar(self, sql: str):
        cur = self.raw.cursor()
        cur.execute(sql)
        value = cur.fetchone()[0]
        cur.close()
        return value

    def fix_sequences(self, tables) -> None:
        """Explicit ids do not move PostgreSQL's sequences: move them past the largest id."""
        if self.dialect != "postgresql":
            return
        for table in tables:
            self.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)")

    def _end(self, verb: str) -> None:
        """COMMIT or ROLLBACK the load, and give SQLite back its usual durability."""
        if self.dialect == "sqlite":
            cur = self.raw.cursor()
            cur.execute(verb)
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()
        else:
            getattr(self.raw, verb.lower())()

    def commit(self) -> None:
        self._end("COMMIT")

    def rollback(self) -> None:
        try:
            self._end("ROLLBACK")
        except Exception:  # noqa: BLE001  (nothing to roll back)
            pass

    def close(self) -> None:
        self.raw.close()


# ---------------------------------------------------------------------------------------
# Text: the demo seed's templates, filled with random slots; HTML rendered once per template.


class Texts:
    """Titles, bodies and comments from the demo seed's material, in Italian and English."""

    SLOT_POOL = 3000

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._html: dict = {}
        self.slots = {}
        self.slots_html = {}
        for lang in LANGS:
            names = [f for f in data.FIRST_NAMES[lang]]
            pool, pool_html = [], []
            for _ in range(self.SLOT_POOL):
                slots = {k: rng.choice(v) for k, v in {**data.COMMON_SLOTS, **data.SLOTS[lang]}.items()}
                slots.update(last4=f"{rng.randrange(10_000):04d}", asker=rng.choice(names),
                             answerer=rng.choice(names), staff=rng.choice(names))
                pool.append(slots)
                pool_html.append({k: html.escape(v, quote=False) for k, v in slots.items()})
            self.slots[lang], self.slots_html[lang] = pool, pool_html
        # (language, topic index, case index) of every case, and topic popularity (Zipf).
        self.cases = {lang: [(t, c) for t, topic in enumerate(TEXTS[lang].TOPICS) for c in range(len(topic["cases"]))]
                      for lang in LANGS}
        self.topic_weights = {}
        for lang in LANGS:
            order = list(range(len(TEXTS[lang].TOPICS)))
            rng.shuffle(order)
            weights = [0.0] * len(order)
            for rank, t in enumerate(order):
                weights[t] = 1 / (rank + 1) ** 0.9
            self.topic_weights[lang] = weights

    def html_of(self, template: str) -> str:
        """Render a template's Markdown once, keeping its {slots} for the values."""
        out = self._html.get(template)
        if out is None:
            out = self._html[template] = render_markdown(template)
        return out

    def compose(self, parts, lang, slot_index) -> tuple[str, str]:
        """Return (markdown, html) of paragraphs given as templates."""
        slots, slots_html = self.slots[lang][slot_index], self.slots_html[lang][slot_index]
        body = "\n\n".join(_cap(p.format_map(slots)) for p in parts)
        body_html = "".join(self.html_of(p).format_map(slots_html) for p in parts)
        return body, body_html

    def question(self, lang, topic, case, slot_index, rng):
        texts = TEXTS[lang]
        spec = texts.TOPICS[topic]["cases"][case]
        kind = texts.TOPICS[topic]["kind"]
        slots = self.slots[lang][slot_index]
        title = _cap(rng.choice(spec["titles"]).format_map(slots))
        if rng.random() < 0.15:
            title = _cap(rng.choice(texts.TITLE_VARIANTS).format_map({**slots, "title": title}))
        main = rng.choice(spec["bodies"])
        if rng.random() < 0.45:
            main = main + " " + rng.choice(texts.EXTRAS[kind])
        parts = [p for p in (rng.choice(texts.OPENERS), main, rng.choice(texts.CLOSERS)) if p]
        body, body_html = self.compose(parts, lang, slot_index)
        return title[:200], body, body_html

    def answer(self, lang, topic, case, slot_index, kind, rng):
        texts = TEXTS[lang]
        spec = texts.TOPICS[topic]["cases"][case]
        topic_kind = texts.TOPICS[topic]["kind"]
        if kind == "staff":
            parts = [rng.choice(texts.STAFF_INTRO), rng.choice(spec["answers"]), rng.choice(texts.STAFF_OUTRO)]
        else:
            if kind == "good":
                main = rng.choice(spec["answers"])
            elif kind == "wrong":
                main = rng.choice(texts.WRONG_ANSWERS[topic_kind])[0]
            else:
                main = rng.choice(texts.SHORT_ANSWERS[topic_kind])
            parts = [rng.choice(texts.ANSWER_OPENERS), main, rng.choice(texts.ANSWER_CLOSERS)]
        return self.compose([p for p in parts if p], lang, slot_index)

    def comment(self, lang, topic, slot_index, group, rng):
        texts = TEXTS[lang]
        pool = texts.COMMENTS[group]
        if isinstance(pool, dict):
            pool = pool[texts.TOPICS[topic]["kind"]]
        return self.compose([rng.choice(pool)], lang, slot_index)


def tag_vocabulary() -> list[str]:
    """Return every tag name: the topics' tags first, then a long tail (phones, banks, places...)."""
    names: list[str] = []
    for lang in LANGS:
        for topic in TEXTS[lang].TOPICS:
            for tag in topic["tags"]:
                if tag not in names:
                    names.append(tag)
    tail = (data.PHONES + data.OPERATORS + data.BANKS + data.APPS + data.PLANS + data.SYSTEMS
            + data.SLOTS["it"]["city"] + data.SLOTS["en"]["country"])
    for raw in tail:
        tag = _slug(raw)
        if tag and tag not in names:
            names.append(tag)
    return names


# ---------------------------------------------------------------------------------------
# The plan and the writing, phase by phase.


class BenchSeeder:
    def __init__(self, members, questions, answers, seed, progress, echo):
        self.n_members, self.n_questions, self.n_answers = members, questions, answers
        self.rng = random.Random(seed)
        self.seed = seed
        self.progress = progress
        self.echo = echo
        self.timings: dict[str, float] = {}
        self.counts: Counter = Counter()

    def bar(self, desc, total):
        return tqdm(total=total, desc=desc, unit="row", disable=not self.progress, leave=False,
                    mininterval=0.5, unit_scale=True)

    def timed(self, name, started):
        self.timings[name] = time.perf_counter() - started

    # -- members ------------------------------------------------------------------------
    def plan_members(self):
        rng = self.rng
        m = self.n_members
        self.staff_count = max(2, m // 5000)
        first = 1 + self.staff_count  # ids 1..first: admin and staff; then the community
        self.first_member = first + 1
        self.community = m - first
        now = self.now
        start = now - SPAN
        # The community joins over the two years (faster lately); a few founders before.
        self.join = [0] * self.community
        for i in range(self.community):
            f = i / max(1, self.community)
            self.join[i] = int(start - 60 * DAY * (1 - f / 0.01)) if f < 0.01 else int(start + 0.97 * SPAN * f ** 0.8)
        self.staff_join = [int(start - rng.uniform(30, 400) * DAY) for _ in range(first)]
        self.member_lang = bytearray(1 if rng.random() < EN_SHARE else 0 for _ in range(m + 1))
        self.points = [0] * (m + 1)
        self.last_seen = [0] * (m + 1)

    def joined_at(self, uid):
        if uid < self.first_member:
            return self.staff_join[uid - 1]
        return self.join[uid - self.first_member]

    def pick(self, t, skew):
        """A community member who had joined by `t`: early joiners are the regulars."""
        k = bisect_right(self.join, t)
        if k <= 0:
            k = 1
        return self.first_member + int(k * self.rng.random() ** skew)

    def pick_staff(self):
        return self.rng.randint(2, 1 + self.staff_count)

    def after(self, t, median_minutes, sigma=1.4):
        """A moment a lognormal delay after `t`, never later than a minute ago."""
        moment = t + int(self.rng.lognormvariate(math.log(median_minutes * 60), sigma)) + 1
        limit = self.now - 60
        if moment <= limit:
            return moment
        return t + int((limit - t) * self.rng.random()) if limit > t else t

    # -- questions and answers ----------------------------------------------------------
    def plan_posts(self):
        rng, texts = self.rng, self.texts
        q, now = self.n_questions, self.now
        start = now - SPAN
        times = sorted(int(start + SPAN * rng.random() ** 0.75) for _ in range(q))
        self.q_time = times
        self.q_lang = bytearray(q)
        self.q_topic = [0] * q
        self.q_case = [0] * q
        self.q_slot = [0] * q
        self.q_author = [0] * q
        self.q_tags: list = [None] * q
        tag_ids = {name: i + 1 for i, name in enumerate(self.tag_names)}
        tail = list(range(len(self.tag_names)))
        rng.shuffle(tail)
        tail_weights = []
        total = 0.0
        for rank in range(len(tail)):
            total += 1 / (rank + 1) ** 1.1
            tail_weights.append(total)
        weights_cum = {}
        for lang_i, lang in enumerate(LANGS):
            acc, cum = 0.0, []
            for w in texts.topic_weights[lang]:
                acc += w
                cum.append(acc)
            weights_cum[lang_i] = cum
        topics = {lang_i: TEXTS[lang].TOPICS for lang_i, lang in enumerate(LANGS)}
        for i in range(q):
            t = times[i]
            author = self.pick(t, ASK_SKEW)
            lang_i = self.member_lang[author] if rng.random() < 0.9 else (1 if rng.random() < EN_SHARE else 0)
            topic = rng.choices(range(len(topics[lang_i])), cum_weights=weights_cum[lang_i])[0]
            spec = topics[lang_i][topic]
            tags = [tag_ids[spec["tags"][0]]]
            tags += [tag_ids[x] for x in spec["tags"][1:] if rng.random() < 0.6]
            if rng.random() < 0.35:
                extra = tail[rng.choices(range(len(tail)), cum_weights=tail_weights)[0]] + 1
                if extra not in tags:
                    tags.append(extra)
            self.q_lang[i] = lang_i
            self.q_topic[i] = topic
            self.q_case[i] = rng.randrange(len(spec["cases"]))
            self.q_slot[i] = rng.randrange(texts.SLOT_POOL)
            self.q_author[i] = author
            self.q_tags[i] = tags
            self.touch(author, t)

        # Answers: spread over the questions by popularity; some (mostly recent) stay open.
        cum, acc = [], 0.0
        for i in range(q):
            age_days = (now - times[i]) / DAY
            p_open = 0.08 + (0.5 if age_days < 3 else 0.0)
            acc += 0.0 if rng.random() < p_open else rng.lognormvariate(0, 0.9)
            cum.append(acc)
        if acc == 0 and q:
            cum = [float(i + 1) for i in range(q)]
        per_question = Counter(rng.choices(range(q), cum_weights=cum, k=self.n_answers)) if q else Counter()
        answers = []  # (time, question index, author, kind)
        for qi in range(q):
            n = per_question.get(qi, 0)
            if not n:
                continue
            asker, t_q = self.q_author[qi], times[qi]
            seen = {asker}
            for k in range(n):
                t = self.after(t_q, 40 if k == 0 else 240, 1.6)
                if rng.random() < 0.03:
                    author, kind = self.pick_staff(), "staff"
                else:
                    author = self.pick(t, ANSWER_SKEW)
                    for _ in range(3):
                        if author not in seen:
                            break
                        author = self.pick(t, ANSWER_SKEW)
                    kind = rng.choices(("good", "short", "wrong"), (60, 28, 12))[0]
                seen.add(author)
                answers.append((t, qi, author, kind))
        answers.sort()
        self.a_time = [a[0] for a in answers]
        self.a_question = [a[1] for a in answers]
        self.a_author = [a[2] for a in answers]
        self.a_kind = [a[3] for a in answers]
        for t, _qi, author, _kind in answers:
            self.touch(author, t)
        self.q_answers = [[] for _ in range(q)]
        for ai, qi in enumerate(self.a_question):
            self.q_answers[qi].append(ai)

    def touch(self, uid, t):
        if t > self.last_seen[uid]:
            self.last_seen[uid] = t

    # -- acceptances, votes, the ledger ----------------------------------------------------
    def plan_reactions(self):
        rng = self.rng
        q, a = self.n_questions, len(self.a_time)
        self.q_accepted = [-1] * q  # answer index
        self.a_accepted_at = [0] * a
        events = []  # (time, seq, user, delta, reason, source_type, source_id(index), actor, key)
        table = self.points_table
        seq = 0
        for qi in range(q):
            answers = self.q_answers[qi]
            if not answers or rng.random() > 0.58:
                continue
            good = [ai for ai in answers if self.a_kind[ai] != "wrong"] or answers
            ai = good[0] if rng.random() < 0.55 else rng.choice(good)
            at = self.after(self.a_time[ai], 180)
            self.q_accepted[qi] = ai
            self.a_accepted_at[ai] = at
            asker, answerer = self.q_author[qi], self.a_author[ai]
            self.touch(asker, at)
            if answerer != asker:
                aid = ai + 1
                events.append((at, seq, answerer, table["answer_accepted"], "answer_accepted", "answer", aid, asker,
                               f"answer_accepted:answer:{aid}:{asker}:{answerer}:1"))
                events.append((at, seq + 1, asker, table["accepted_answer"], "accepted_answer", "answer", aid, asker,
                               f"accepted_answer:answer:{aid}:{asker}:{asker}:1"))
                seq += 2

        # Votes: one per voter and post, never on one's own post.
        self.q_score = [0] * q
        self.a_score = [0] * a
        votes = []  # (voter, question id or None, answer id or None, value, time)
        for qi in range(q):
            n = min(int(rng.expovariate(1 / 0.7)), 60)
            if not n:
                continue
            author, t_q = self.q_author[qi], self.q_time[qi]
            voters = set()
            for _ in range(n):
                t = self.after(t_q, 600, 1.8)
                voter = self.pick(t, VOTE_SKEW)
                if voter == author or voter in voters:
                    continue
                voters.add(voter)
                votes.append((voter, qi + 1, None, 1, t))
                self.q_score[qi] += 1
                self.touch(voter, t)
                events.append((t, seq, author, table["question_upvoted"], "question_upvoted", "question", qi + 1,
                               voter, None))
                seq += 1
        for ai in range(a):
            kind = self.a_kind[ai]
            mean = {"good": 1.3, "staff": 1.5, "short": 0.5, "wrong": 0.4}[kind]
            n = min(int(rng.expovariate(1 / mean)) + (rng.randint(1, 3) if self.a_accepted_at[ai] else 0), 80)
            down = rng.randint(1, 2) if kind == "wrong" and rng.random() < 0.5 else 0
            if not n and not down:
                continue
            author, t_a = self.a_author[ai], self.a_time[ai]
            voters = set()
            aid = ai + 1
            for j in range(n + down):
                value = -1 if j >= n else 1
                t = self.after(t_a, 480, 1.8)
                voter = self.pick(t, DOWNVOTE_SKEW if value < 0 else VOTE_SKEW)
                if voter == author or voter in voters:
                    continue
                voters.add(voter)
                votes.append((voter, None, aid, value, t))
                self.a_score[ai] += value
                self.touch(voter, t)
                if value > 0:
                    events.append((t, seq, author, table["answer_upvoted"], "answer_upvoted", "answer", aid, voter, None))
                    seq += 1
                else:
                    events.append((t, seq, author, table["answer_downvoted"], "answer_downvoted", "answer", aid, voter,
                                   None))
                    events.append((t, seq + 1, voter, table["downvoted_answer"], "downvoted_answer", "answer", aid,
                                   voter, None))
                    seq += 2
        self.votes = votes
        # Everyone got the "joined" point first.
        for uid in range(1, self.n_members + 1):
            events.append((self.joined_at(uid), -1, uid, table["joined"], "joined", "user", uid, None, f"joined:{uid}"))
        events.sort(key=lambda e: (e[0], e[1]))
        self.ledger = self.apply_rules(events)

    def apply_rules(self, events):
        """Apply the daily vote cap and the floor of 1 in time order, as ledger.award does."""
        cap = self.daily_cap
        used: dict = {}
        points = self.points
        ledger = []
        for t, _seq, user, delta, reason, source_type, source_id, actor, key in events:
            cap_day = None
            if reason in ("answer_upvoted", "question_upvoted") and delta > 0:
                day = t // DAY
                spent = used.get((user, day), 0)
                delta = min(delta, cap - spent)
                if delta <= 0:
                    continue
                used[(user, day)] = spent + delta
                cap_day = t
            if delta < 0:
                delta = max(delta, 1 - points[user])
            if not delta:
                continue
            points[user] += delta
            ledger.append((user, delta, reason, source_type, source_id, actor, t, cap_day, key))
        return ledger

    # -- the writing ----------------------------------------------------------------------
    def write_all(self, w: Writer):
        rng = self.rng
        texts = self.texts
        m = self.n_members

        w.drop_indexes(INDEXED_LATER)
        started = time.perf_counter()
        password = generate_password_hash(data.DEMO_PASSWORD)
        domains = data.EMAIL_DOMAINS

        def members():
            for uid in range(1, m + 1):
                lang = LANGS[self.member_lang[uid]]
                if uid == 1:
                    username, display, role = "bench.admin", "Bench Admin", "admin"
                elif uid < self.first_member:
                    username, display, role = f"bench.staff{uid - 1}", f"Staff {uid - 1}", "staff"
                else:
                    first, last = rng.choice(data.FIRST_NAMES[lang]), rng.choice(data.LAST_NAMES[lang])
                    username = f"{_ascii(first)[:10]}.{_ascii(last)[:10]}{uid}"
                    display = rng.choice((f"{first} {last.replace('_', ' ')}", first, None))
                    role = "member"
                joined = self.joined_at(uid)
                seen = max(self.last_seen[uid], joined)
                yield (uid, username, username.lower(), f"{username.lower()}@{domains[uid % len(domains)]}", password,
                       role, display, None, rng.choice((lang, lang, lang, None)), "in_app", None, self.points[uid], 1,
                       True, w.dt(joined), w.dt(seen))

        with self.bar("members", m) as bar:
            self.counts["members"] = w.write(
                "users", ("id", "username", "username_key", "email", "password_hash", "role", "display_name", "bio",
                          "locale", "contact_channel", "phone", "points", "session_version", "is_active_account",
                          "created_at", "last_seen_at"), members(), bar)
        # Each tag's cached question count, from the plan (no generated question is deleted).
        used = Counter(tag for tags in self.q_tags for tag in tags)
        self.counts["tags"] = w.write("tags", ("id", "name", "question_count"),
                                      ((i + 1, n, used[i + 1]) for i, n in enumerate(self.tag_names)))
        self.timed("members", started)

        started = time.perf_counter()
        q = self.n_questions
        escalated = self.escalated

        def questions():
            for qi in range(q):
                lang = LANGS[self.q_lang[qi]]
                title, body, body_html = texts.question(lang, self.q_topic[qi], self.q_case[qi], self.q_slot[qi], rng)
                answers = self.q_answers[qi]
                last = max([self.q_time[qi]] + [self.a_time[ai] for ai in answers[-1:]]
                           + ([self.a_accepted_at[self.q_accepted[qi]]] if self.q_accepted[qi] >= 0 else []))
                yield (qi + 1, self.q_author[qi], title, body, body_html, lang, self.q_score[qi], len(answers), None,
                       qi in escalated, w.dt(self.q_time[qi]), w.dt(last))

        with self.bar("questions", q) as bar:
            self.counts["questions"] = w.write(
                "questions", ("id", "author_id", "title", "body", "body_html", "language", "score", "answer_count",
                              "accepted_answer_id", "is_escalated", "created_at", "last_activity_at"), questions(), bar)
        self.counts["question tags"] = w.write(
            "question_tags", ("question_id", "tag_id"),
            ((qi + 1, tag) for qi in range(q) for tag in self.q_tags[qi]))
        self.timed("questions", started)

        started = time.perf_counter()

        def answers():
            for ai in range(len(self.a_time)):
                qi = self.a_question[ai]
                lang = LANGS[self.q_lang[qi]]
                kind = self.a_kind[ai]
                body, body_html = texts.answer(lang, self.q_topic[qi], self.q_case[qi], self.q_slot[qi], kind, rng)
                accepted = self.a_accepted_at[ai]
                yield (ai + 1, qi + 1, self.a_author[ai], body, body_html, lang, self.a_score[ai], kind == "staff",
                       w.dt(accepted) if accepted else None, w.dt(self.a_time[ai]))

        with self.bar("answers", len(self.a_time)) as bar:
            self.counts["answers"] = w.write(
                "answers", ("id", "question_id", "author_id", "body", "body_html", "language", "score", "is_official",
                            "accepted_at", "created_at"), answers(), bar)
        # The acceptances, now that the answers exist (the column is a foreign key).
        w.execute("CREATE TEMPORARY TABLE bench_accepted (question_id INTEGER PRIMARY KEY, answer_id INTEGER)")
        w.write("bench_accepted", ("question_id", "answer_id"),
                ((qi + 1, ai + 1) for qi, ai in enumerate(self.q_accepted) if ai >= 0))
        self.counts["accepted"] = w.execute(
            "UPDATE questions SET accepted_answer_id = bench_accepted.answer_id FROM bench_accepted "
            "WHERE questions.id = bench_accepted.question_id")
        w.execute("DROP TABLE bench_accepted")
        self.timed("answers", started)

        started = time.perf_counter()
        self.write_revisions(w)
        self.timed("revisions", started)

        started = time.perf_counter()
        with self.bar("votes", len(self.votes)) as bar:
            self.counts["votes"] = w.write(
                "votes", ("id", "voter_id", "question_id", "answer_id", "value", "created_at"),
                ((i + 1, v, qid, aid, value, w.dt(t)) for i, (v, qid, aid, value, t) in enumerate(self.votes)), bar)
        self.votes = None
        self.timed("votes", started)

        started = time.perf_counter()
        with self.bar("comments", self.n_comments_planned) as bar:
            self.counts["comments"] = w.write(
                "comments", ("id", "question_id", "answer_id", "author_id", "body", "body_html", "created_at"),
                self.comments(w), bar)
        self.timed("comments", started)

        started = time.perf_counter()
        with self.bar("points ledger", len(self.ledger)) as bar:
            self.counts["ledger rows"] = w.write(
                "points_ledger", ("id", "user_id", "delta", "reason", "source_type", "source_id", "actor_id",
                                  "created_at", "cap_day", "award_key"),
                ((i + 1, user, delta, reason, stype, sid, actor, w.dt(t), w.day(cap) if cap is not None else None, key)
                 for i, (user, delta, reason, stype, sid, actor, t, cap, key) in enumerate(self.ledger)), bar)
        self.ledger = None
        self.timed("ledger", started)

        started = time.perf_counter()
        with self.bar("leaderboards and badges", 7) as bar:
            self.derive(w, bar)
        self.timed("leaderboards, caps, badges", started)

        started = time.perf_counter()
        self.write_desk(w)
        self.timed("escalations", started)

        started = time.perf_counter()
        self.write_reading(w)
        self.timed("views and feedback", started)

        started = time.perf_counter()
        w.restore_indexes()
        self.timed("indexes", started)

        w.fix_sequences(("users", "tags", "questions", "answers", "votes", "comments", "points_ledger", "badge_awards",
                         "escalations", "escalation_events", "thread_views", "solved_feedback", "contact_feedback",
                         "ask_flows"))

    def write_revisions(self, w):
        """Every post's first revision (the original), as the services keep it for the history page."""
        concat = "group_concat(t.name, ' ')" if w.dialect == "sqlite" else "string_agg(t.name, ' ')"
        n = w.execute(
            "INSERT INTO revisions (question_id, answer_id, editor_id, number, title, tags, body, created_at) "
            "SELECT q.id, NULL, q.author_id, 1, q.title, "
            f"(SELECT {concat} FROM question_tags qt JOIN tags t ON t.id = qt.tag_id WHERE qt.question_id = q.id), "
            "q.body, q.created_at FROM questions q")
        n += w.execute(
            "INSERT INTO revisions (question_id, answer_id, editor_id, number, title, tags, body, created_at) "
            "SELECT NULL, a.id, a.author_id, 1, NULL, NULL, a.body, a.created_at FROM answers a")
        self.counts["revisions"] = n

    def comments(self, w):
        rng, texts = self.rng, self.texts
        cid = 0
        q = self.n_questions
        for qi in range(q):
            lang = LANGS[self.q_lang[qi]]
            topic, slot, asker = self.q_topic[qi], self.q_slot[qi], self.q_author[qi]
            if rng.random() < 0.12:
                t = self.after(self.q_time[qi], 30)
                if self.q_answers[qi] or rng.random() < 0.7:
                    author, group = asker, "asker_question"
                else:
                    author, group = self.pick_staff(), "staff"
                body, body_html = texts.comment(lang, topic, slot, group, rng)
                cid += 1
                yield (cid, qi + 1, None, author, body, body_html, w.dt(t))
            for ai in self.q_answers[qi]:
                if rng.random() >= 0.14:
                    continue
                accepted = self.a_accepted_at[ai]
                if accepted and rng.random() < 0.6:
                    author, group, t = asker, "asker_thanks", self.after(accepted, 2)
                elif rng.random() < 0.4:
                    author, group, t = asker, "asker_reply", self.after(self.a_time[ai], 90)
                else:
                    t = self.after(self.a_time[ai], 600)
                    author, group = self.pick(t, COMMENT_SKEW), "peer"
                body, body_html = texts.comment(lang, topic, slot, group, rng)
                cid += 1
                yield (cid, None, ai + 1, author, body, body_html, w.dt(t))

    def derive(self, w: Writer, bar):
        """Leaderboards, daily vote totals and count-based badges, aggregated in SQL."""
        if w.dialect == "sqlite":
            starts = {"week": "date(l.created_at, '-6 days', 'weekday 1')", "month": "strftime('%Y-%m-01', l.created_at)",
                      "all": "'1970-01-01'"}
        else:
            starts = {"week": "CAST(date_trunc('week', l.created_at) AS date)",
                      "month": "CAST(date_trunc('month', l.created_at) AS date)", "all": "DATE '1970-01-01'"}
        # The thread of each ledger row (for the tag boards), once.
        w.execute("CREATE TEMPORARY TABLE bench_ledger_tags (ledger_id INTEGER, tag_id INTEGER)")
        w.execute(
            "INSERT INTO bench_ledger_tags (ledger_id, tag_id) "
            "SELECT l.id, qt.tag_id FROM points_ledger l JOIN answers a ON a.id = l.source_id "
            "JOIN question_tags qt ON qt.question_id = a.question_id WHERE l.source_type = 'answer' "
            "UNION ALL SELECT l.id, qt.tag_id FROM points_ledger l "
            "JOIN question_tags qt ON qt.question_id = l.source_id WHERE l.source_type = 'question'")
        w.execute("CREATE INDEX bench_ledger_tags_id ON bench_ledger_tags (ledger_id)")
        bar.update()
        rows = 0
        for period, start in starts.items():
            rows += w.execute(
                "INSERT INTO leaderboard (period, period_start, tag_key, user_id, points, reached_at) "
                f"SELECT '{period}', {start}, 0, l.user_id, SUM(l.delta), MAX(l.created_at) "
                "FROM points_ledger l GROUP BY 2, 4")
            rows += w.execute(
                "INSERT INTO leaderboard (period, period_start, tag_key, user_id, points, reached_at) "
                f"SELECT '{period}', {start}, t.tag_id, l.user_id, SUM(l.delta), MAX(l.created_at) "
                "FROM points_ledger l JOIN bench_ledger_tags t ON t.ledger_id = l.id GROUP BY 2, 3, 4")
            bar.update()
        w.execute("DROP TABLE bench_ledger_tags")
        self.counts["leaderboard rows"] = rows
        self.counts["daily vote totals"] = w.execute(
            "INSERT INTO daily_vote_points (user_id, day, points) SELECT user_id, cap_day, SUM(delta) "
            "FROM points_ledger WHERE reason IN ('answer_upvoted', 'question_upvoted') AND cap_day IS NOT NULL "
            "AND reverses_id IS NULL GROUP BY user_id, cap_day")
        bar.update()
        grant = ("INSERT INTO badge_awards (user_id, badge, tag_key, tag_name, source_type, source_id, awarded_at) ")
        badges = [
            ("curious", "SELECT author_id, '{b}', 0, NULL, 'question', MIN(id), MIN(created_at) FROM questions "
                        "GROUP BY author_id"),
            ("first-answer", "SELECT author_id, '{b}', 0, NULL, 'answer', MIN(id), MIN(created_at) FROM answers "
                             "GROUP BY author_id"),
            ("supporter", "SELECT voter_id, '{b}', 0, NULL, NULL, NULL, MIN(created_at) FROM votes WHERE value = 1 "
                          "GROUP BY voter_id"),
            ("scholar", "SELECT q.author_id, '{b}', 0, NULL, 'answer', MIN(a.id), MIN(a.accepted_at) FROM questions q "
                        "JOIN answers a ON a.id = q.accepted_answer_id WHERE a.author_id <> q.author_id "
                        "GROUP BY q.author_id"),
        ]
        for slug, n in (("solver", 1), ("problem-solver", 10), ("expert-solver", 50), ("guru", 150)):
            badges.append((slug, "SELECT author_id, '{b}', 0, NULL, NULL, NULL, MAX(accepted_at) FROM answers "
                                 f"WHERE accepted_at IS NOT NULL GROUP BY author_id HAVING COUNT(*) >= {n}"))
        for slug, n in (("voter", 10), ("civic-duty", 300)):
            badges.append((slug, "SELECT voter_id, '{b}', 0, NULL, NULL, NULL, MAX(created_at) FROM votes "
                                 f"GROUP BY voter_id HAVING COUNT(*) >= {n}"))
        for slug, n in (("nice-answer", 1), ("good-answer", 10), ("great-answer", 25)):
            badges.append((slug, "SELECT author_id, '{b}', 0, NULL, 'answer', MIN(id), MIN(created_at) FROM answers "
                                 f"WHERE score >= {n} GROUP BY author_id"))
        for slug, n in (("nice-question", 1), ("good-question", 10)):
            badges.append((slug, "SELECT author_id, '{b}', 0, NULL, 'question', MIN(id), MIN(created_at) "
                                 f"FROM questions WHERE score >= {n} GROUP BY author_id"))
        badges.append(("commentator", "SELECT author_id, '{b}', 0, NULL, NULL, NULL, MAX(created_at) FROM comments "
                                      "GROUP BY author_id HAVING COUNT(*) >= 10"))
        granted = 0
        for slug, sql in badges:
            granted += w.execute(grant + sql.format(b=slug))
        self.counts["badges"] = granted
        bar.update()

    def plan_desk(self):
        """Escalations in every state on unsolved threads; at most one per thread."""
        rng = self.rng
        candidates = [qi for qi in range(self.n_questions) if self.q_accepted[qi] < 0]
        n = min(len(candidates), max(4, self.n_questions // 100))
        recent_cut = self.now - 20 * DAY
        recent = [qi for qi in candidates if self.q_time[qi] > recent_cut]
        older = [qi for qi in candidates if self.q_time[qi] <= recent_cut]
        n_live = min(len(recent), max(2, n // 4))
        live = rng.sample(recent, n_live)
        resolved = rng.sample(older, min(len(older), n - n_live))
        self.escalations = []  # (question index, status)
        for k, qi in enumerate(live):
            self.escalations.append((qi, "open" if k % 2 == 0 else "assigned"))
        self.escalations += [(qi, "resolved") for qi in resolved]
        self.escalated = {qi for qi, status in self.escalations if status != "resolved"}

    def write_desk(self, w):
        rng = self.rng
        sla = int(self.sla_hours * 3600)
        rows, events = [], []
        for eid, (qi, status) in enumerate(sorted(self.escalations), start=1):
            lang = LANGS[self.q_lang[qi]]
            created = self.after(self.q_time[qi], 24 * 60, 0.6)
            source = rng.choice(("asker", "asker", "sla", "staff"))
            by = self.q_author[qi] if source == "asker" else self.pick_staff() if source == "staff" else None
            reason = rng.choice(REASONS[lang]) if source == "asker" else ""
            assignee = assigned = resolved = resolution = resolved_by = None
            events.append((eid, by, "opened", None, "open", None, created))
            if status != "open":
                assignee = self.pick_staff()
                assigned = self.after(created, 60)
                events.append((eid, assignee, "assigned", "open", "assigned", assignee, assigned))
            if status == "resolved":
                resolved = self.after(assigned, 300)
                resolution = rng.choice(("staff_answer", "outside"))
                resolved_by = assignee
                events.append((eid, assignee, "resolved", "assigned", "resolved", assignee, resolved))
            rows.append((eid, qi + 1, status, source, reason, by, assignee, w.dt(created + sla), w.dt(created),
                         w.dt(assigned) if assigned else None, w.dt(resolved) if resolved else None, resolution,
                         resolved_by))
        self.counts["escalations"] = w.write(
            "escalations", ("id", "question_id", "status", "source", "reason", "created_by_id", "assignee_id",
                            "sla_due_at", "created_at", "assigned_at", "resolved_at", "resolution", "resolved_by_id"),
            rows)
        w.write("escalation_events", ("id", "escalation_id", "actor_id", "kind", "from_status", "to_status",
                                      "assignee_id", "created_at"),
                ((i + 1, e, a, k, f, t, s, w.dt(at)) for i, (e, a, k, f, t, s, at) in enumerate(events)))

    def write_reading(self, w):
        """Thread views of the last 90 days, "did this solve it?" and "would you have called?" answers."""
        rng = self.rng
        now = self.now
        window = 90 * DAY
        q = self.n_questions
        visitors = [f"c:{rng.getrandbits(128):032x}" for _ in range(max(500, q // 3))]
        n_views = 2 * q
        solved_rows, contact_rows = {}, {}
        # Solved threads are read far more (that is what search sends people to).
        cum, acc = [], 0.0
        for qi in range(q):
            acc += (4.0 if self.q_accepted[qi] >= 0 else 1.0) * rng.choice((0.2, 0.5, 1, 1, 2, 4))
            cum.append(acc)

        picks = rng.choices(range(q), cum_weights=cum, k=n_views) if q else []

        def views():
            for vid, qi in enumerate(picks, start=1):
                start = max(self.q_time[qi], now - window)
                t = start + int((now - 60 - start) * rng.random()) if now - 60 > start else start
                member = rng.random() < 0.2
                uid = self.pick(t, 1.0) if member else None
                key = f"u:{uid}" if member else rng.choice(visitors)
                role = "author" if uid is not None and uid == self.q_author[qi] else None
                ai = self.q_accepted[qi]
                solved = ai + 1 if ai >= 0 and self.a_accepted_at[ai] <= t else None
                if solved and role is None and rng.random() < 0.09:
                    yes = rng.random() < 0.74
                    when = min(t + rng.randrange(20, 300), now)
                    solved_rows[(qi, key)] = (qi + 1, key, uid, yes, when)
                    if yes and rng.random() < 0.45:
                        answer = rng.choices(("yes", "no", "not_sure"), (0.2, 0.6, 0.2))[0]
                        contact_rows[(qi, key, "reader")] = (qi + 1, key, uid, "reader", answer, min(when + 5, now))
                yield (vid, qi + 1, key, uid, w.dt(t), solved, role, "mobile" if rng.random() < 0.62 else "browser",
                       min(600, 10 + int(rng.expovariate(1 / 70))))

        with self.bar("thread views", n_views) as bar:
            self.counts["thread views"] = w.write(
                "thread_views", ("id", "question_id", "visitor_key", "user_id", "viewed_at", "accepted_answer_id",
                                 "viewer_role", "ua_class", "dwell_seconds"), views() if q else iter(()), bar)
        for qi in range(q):
            ai = self.q_accepted[qi]
            if ai >= 0 and rng.random() < 0.45:
                asker = self.q_author[qi]
                answer = rng.choices(("yes", "no", "not_sure"), (0.35, 0.45, 0.2))[0]
                contact_rows[(qi, f"u:{asker}", "asker")] = (qi + 1, f"u:{asker}", asker, "asker", answer,
                                                             min(self.a_accepted_at[ai] + 30, now))
        self.counts["solved feedback"] = w.write(
            "solved_feedback", ("id", "question_id", "visitor_key", "user_id", "solved", "answered_at"),
            ((i + 1, qid, key, uid, yes, w.dt(at)) for i, (qid, key, uid, yes, at) in enumerate(solved_rows.values())))
        self.counts["contact feedback"] = w.write(
            "contact_feedback", ("id", "question_id", "visitor_key", "user_id", "source", "answer", "answered_at"),
            ((i + 1, qid, key, uid, src, ans, w.dt(at))
             for i, (qid, key, uid, src, ans, at) in enumerate(contact_rows.values())))
        solved = [qi + 1 for qi in range(q) if self.q_accepted[qi] >= 0]

        def flows():
            for fid in range(1, min(20_000, max(100, q // 10)) + 1):
                shown = rng.sample(solved, min(3, len(solved))) if solved else []
                holdout = rng.random() < 0.05
                roll = rng.random()
                clicked = shown[0] if shown and not holdout and roll < 0.45 else None
                yield (fid, rng.choice(visitors), None, w.dt(now - rng.randrange(90 * DAY)),
                       json.dumps([] if holdout else shown), clicked, "posted" if roll > 0.8 else None, None, holdout)

        self.counts["ask flows"] = w.write(
            "ask_flows", ("id", "visitor_key", "user_id", "started_at", "suggestions_shown", "clicked_question_id",
                          "outcome", "question_id", "holdout"), flows())

    # -- the whole run ------------------------------------------------------------------------
    def run(self) -> dict:
        from gamification.rules import daily_cap, points_table
        from support.sla import ladder_settings

        self.points_table = points_table()
        self.daily_cap = daily_cap()
        self.sla_hours = ladder_settings()["sla_hours"]
        db.session.rollback()
        self.now = int(datetime.now(UTC).timestamp())
        started = time.perf_counter()
        with tqdm(total=4, desc="planning in memory", unit="step", disable=not self.progress, leave=False) as bar:
            self.texts = Texts(self.rng)
            self.tag_names = tag_vocabulary()
            for step in (self.plan_members, self.plan_posts, self.plan_reactions, self.plan_desk):
                step()
                bar.update()
        self.n_comments_planned = int(0.12 * self.n_questions + 0.14 * len(self.a_time))
        self.timed("plan (in memory)", started)

        engine = db.engine
        w = Writer(engine)
        try:
            if w.scalar("SELECT COUNT(*) FROM users") or w.scalar("SELECT COUNT(*) FROM questions"):
                raise Refused(REFUSAL.format(n=w.scalar("SELECT COUNT(*) FROM users")))
            self.write_all(w)
            started = time.perf_counter()
            w.commit()
            self.timed("commit", started)
        except BaseException:
            w.rollback()
            raise
        finally:
            w.close()
        if w.dialect == "postgresql":
            started = time.perf_counter()
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")
            self.timed("analyze", started)
        return {"timings": self.timings, "counts": dict(self.counts)}


def check_empty() -> None:
    """Raise Refused unless the schema exists and holds no members."""
    tables = set(inspect(db.engine).get_table_names())
    if "users" not in tables or "points_ledger" not in tables:
        raise Refused("Not seeded: the database has no schema yet. Run `flask db upgrade` first.")
    members = db.session.scalar(select(func.count()).select_from(User))
    questions = db.session.scalar(select(func.count()).select_from(Question))
    db.session.rollback()
    if members or questions:
        raise Refused(REFUSAL.format(n=members))


def seed_bench(members=DEFAULTS["members"], questions=DEFAULTS["questions"], answers=DEFAULTS["answers"], seed=1,
               progress=False, echo=print) -> dict:
    """Write a synthetic community into an empty database; return timings (s) and row counts."""
    if members < 10:
        raise ValueError("at least 10 members")
    if questions < 0 or answers < 0:
        raise ValueError("counts cannot be negative")
    check_empty()
    return BenchSeeder(members, questions, answers, seed, progress, echo).run()


@click.command("seed-bench")
@click.option("--members", default=DEFAULTS["members"], show_default=True, help="How many members.")
@click.option("--questions", default=DEFAULTS["questions"], show_default=True, help="How many questions.")
@click.option("--answers", default=DEFAULTS["answers"], show_default=True, help="How many answers.")
@click.option("--seed", default=1, show_default=True, help="Random seed, for a repeatable community.")
@click.option("--search/--no-search", "reindex", default=None,
              help=f"Rebuild the search index afterwards [default: only up to {AUTO_REINDEX_QUESTIONS:,} questions; "
                   "beyond, run `flask search reindex` yourself].")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def seed_bench_command(members, questions, answers, seed, reindex, yes):
    """Write a big synthetic community into an EMPTY database by bulk inserts (benchmarks).

    \b
    Members, questions and answers in Italian and English (the demo seed's texts), tags
    with a long tail, votes, acceptances, comments, the points ledger with its caches,
    leaderboards and count-based badges, escalations in every state, thread views and
    "did this solve it?" answers, spread over two years. `flask doctor` passes on it.
    It refuses a database that already has members or questions (there is no flag to
    force it: create a fresh database and run `flask db upgrade`). Everything is written
    in one transaction: a failed run leaves the database empty. Every account's password
    is the demo password; the admin is bench.admin. Full size (200k members, 300k
    questions, 1M answers) takes about 6 minutes on SQLite, plus the search index.
    """
    url = db.engine.url.render_as_string(hide_password=True)
    try:
        check_empty()
    except Refused as exc:
        raise click.ClickException(str(exc)) from None
    if not yes:
        click.confirm(f"Write {members:,} members, {questions:,} questions and {answers:,} answers into {url}?",
                      abort=True)
    started = time.perf_counter()
    try:
        result = seed_bench(members, questions, answers, seed=seed, progress=True, echo=click.echo)
    except Refused as exc:
        raise click.ClickException(str(exc)) from None
    timings, counts = result["timings"], result["counts"]
    if reindex is None:
        reindex = questions <= AUTO_REINDEX_QUESTIONS
    click.echo("Seeded " + ", ".join(f"{n:,} {what}" for what, n in counts.items()))
    if reindex:
        from search import documents, service

        begun = time.perf_counter()
        with tqdm(total=documents.count_all(), unit="doc", desc="search index", leave=False) as bar:
            indexed = service.rebuild(progress=bar.update)
        timings["search index"] = time.perf_counter() - begun
        click.echo(f"Search index rebuilt: {indexed:,} documents")
    for phase, seconds in timings.items():
        click.echo(f"  {phase:<28} {seconds:8.1f}s")
    click.echo(f"  {'total':<28} {time.perf_counter() - started:8.1f}s")
    if not reindex:
        click.echo("The search index is not built yet: run `flask search reindex`.")
    click.echo(f"Every account's password is {data.DEMO_PASSWORD!r} (admin: bench.admin, staff: bench.staff1).")
