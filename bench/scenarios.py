"""What the harness measures: each hot path as a file of requests, picked from the seeded data.

Reads cycle through a few hundred to a few thousand different URLs (so that no single
cached row flatters them); writes never repeat a request: every vote is a new voter on an
answer, every acceptance a different unsolved question accepted by its asker, through the
JSON API with bearer tokens made for the run. After a write path the harness checks the
database: one new row per successful request and scores equal to the sum of their votes.
"""

import json
import random
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote_plus

from sqlalchemy import bindparam, text

# Lines a write scenario gets per second of its run: more than the app can serve, so
# that no request is sent twice.
WRITES_PER_SECOND = 2_500
HOT_ANSWERS = 30
STOPWORDS = set("""il lo la le gli un una di da del della dei delle che non per con come sul sulla nel nella
                 mio mia miei mie ho ha sono e è ma se the and for with how my is are was not can does from
                 your you what why when after before into this that""".split())


@dataclass
class Scenario:
    name: str
    label: str
    write: bool = False
    p95_target_ms: float | None = None
    rps_target: float | None = None
    lines: list | None = None
    warmup_lines: list | None = None
    facts: dict | None = None


def request_line(path: str, method: str = "GET", token: str = "", body: dict | None = None) -> str:
    return "\t".join((method, path, token, json.dumps(body) if body is not None else ""))


def write_files(scenarios, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for scenario in scenarios:
        (folder / f"{scenario.name}.tsv").write_text("\n".join(scenario.lines) + "\n")
        (folder / f"{scenario.name}.warmup.tsv").write_text("\n".join(scenario.warmup_lines or scenario.lines) + "\n")


def _scalars(session, sql: str, **params) -> list:
    return list(session.execute(text(sql), params).scalars())


def _tokens(session, user_ids) -> dict[int, str]:
    """Give each member a bearer token for this run (stored hashed, as the app stores its own)."""
    from support.models import ApiToken
    from support.models.base import utcnow
    from support.services.accounts import hash_token

    expires = utcnow() + timedelta(days=2)
    versions = dict(session.execute(text("SELECT id, session_version FROM users WHERE id IN :ids")
                                    .bindparams(_ids()), {"ids": list(user_ids)}).all())
    tokens, rows = {}, []
    for user_id in user_ids:
        raw = f"pp_bench_{user_id}_{secrets.token_urlsafe(12)}"
        tokens[user_id] = raw
        rows.append({"user_id": user_id, "token_hash": hash_token(raw), "session_version": versions[user_id],
                     "expires_at": expires})
    session.execute(ApiToken.__table__.insert(), rows)
    return tokens


def _ids():
    return bindparam("ids", expanding=True)


def build(session, *, duration: float, warmup: float, seed: int = 9) -> list[Scenario]:
    """Pick the data for every scenario from the run copy and write the bearer tokens it needs."""
    rng = random.Random(seed)
    scenarios = []

    hot = session.execute(text(
        "SELECT id, answer_count FROM questions WHERE deleted_at IS NULL AND answer_count >= :n "
        "ORDER BY answer_count - :n, id LIMIT 40"), {"n": HOT_ANSWERS}).all()
    if not hot:  # a small community: its biggest threads
        hot = session.execute(text("SELECT id, answer_count FROM questions WHERE deleted_at IS NULL "
                                   "ORDER BY answer_count DESC, id LIMIT 40")).all()
    hot_ids = [row[0] for row in hot]
    answers_shown = sorted(row[1] for row in hot)[len(hot) // 2]
    scenarios.append(Scenario("question_page", f"question page ({answers_shown} answers)", p95_target_ms=25,
                              lines=[request_line(f"/questions/{qid}") for qid in hot_ids],
                              facts={"question_ids": hot_ids, "median_answers": answers_shown}))

    tags = _scalars(session, "SELECT t.name FROM tags t JOIN question_tags qt ON qt.tag_id = t.id "
                             "GROUP BY t.name ORDER BY count(*) DESC, t.name LIMIT 20")
    listing = ["/questions", "/questions?page=2", "/questions?page=3", "/questions?sort=votes",
               "/questions?status=open", "/questions?status=solved", "/"]
    listing += [f"/questions?tag={tag}" for tag in tags[:10]]
    scenarios.append(Scenario("question_list", "question list", lines=[request_line(path) for path in listing]))

    titles = _scalars(session, "SELECT title FROM questions WHERE accepted_answer_id IS NOT NULL "
                               "AND deleted_at IS NULL ORDER BY id LIMIT 3000")
    queries = []
    for title in rng.sample(titles, min(len(titles), 600)):
        words = [w for w in re.findall(r"[^\W\d_]{4,}", title.lower()) if w not in STOPWORDS]
        if len(words) >= 2:
            chosen = rng.sample(words, min(len(words), rng.randint(2, 4)))
            queries.append(quote_plus(" ".join(chosen)))
    scenarios.append(Scenario("search", "search page (2-4 words)", lines=[request_line(f"/search?q={q}") for q in queries],
                              facts={"queries": len(queries)}))

    for period in ("week", "month", "all"):
        scenarios.append(Scenario(f"leaderboard_{period}", f"leaderboard: {period}", p95_target_ms=20,
                                  lines=[request_line(f"/leaderboard?period={period}")]))
    scenarios.append(Scenario("leaderboard_tag", "leaderboard: per tag", p95_target_ms=20,
                              lines=[request_line(f"/leaderboard?period={period}&tag={quote_plus(tag)}")
                                     for tag in tags for period in ("week", "month", "all")]))

    active = _scalars(session, "SELECT id FROM users WHERE points > 0 AND is_active_account ORDER BY id")
    profiles = rng.sample(active, min(len(active), 2000))
    scenarios.append(Scenario("profile", "profile page", lines=[request_line(f"/users/{uid}") for uid in profiles]))

    scenarios.append(Scenario("api_question", "API question (JSON)",
                              lines=[request_line(f"/api/v1/questions/{qid}") for qid in hot_ids]))

    scenarios.append(_votes(session, rng, duration, warmup))
    scenarios.append(_accepts(session, rng, duration, warmup))
    return scenarios


def _votes(session, rng, duration, warmup) -> Scenario:
    """Upvotes by many members on many answers, each (member, answer) pair once."""
    needed = int(WRITES_PER_SECOND * (duration + warmup))
    answers = session.execute(text(
        "SELECT a.id, a.author_id FROM answers a JOIN questions q ON q.id = a.question_id "
        "WHERE a.deleted_at IS NULL AND q.deleted_at IS NULL ORDER BY a.id DESC LIMIT 20000")).all()
    voters = _scalars(session, "SELECT id FROM users WHERE is_active_account AND role = 'member' "
                               "ORDER BY id LIMIT 4000")
    voted = {(row[0], row[1]) for row in session.execute(text(
        "SELECT voter_id, answer_id FROM votes WHERE answer_id >= :low"), {"low": min(a for a, _ in answers)})}
    pairs, seen = [], set()
    while len(pairs) < needed and len(seen) < needed * 3:
        answer_id, author_id = rng.choice(answers)
        voter = rng.choice(voters)
        if voter == author_id or (voter, answer_id) in voted or (voter, answer_id) in seen:
            seen.add((voter, answer_id))
            continue
        seen.add((voter, answer_id))
        pairs.append((voter, answer_id))
    tokens = _tokens(session, {voter for voter, _ in pairs})
    lines = [request_line(f"/api/v1/answers/{answer_id}/votes", "POST", tokens[voter], {"value": 1})
             for voter, answer_id in pairs]
    split = int(WRITES_PER_SECOND * warmup)
    return Scenario("vote", "vote (API, upvote)", write=True, lines=lines[split:], warmup_lines=lines[:split],
                    facts={"answers": sorted({a for _, a in pairs})})


def _accepts(session, rng, duration, warmup) -> Scenario:
    """The asker accepts an answer on their unsolved question, each question once."""
    needed = int(WRITES_PER_SECOND * (duration + warmup) / 2)
    rows = session.execute(text(
        "SELECT q.id, q.author_id, min(a.id) FROM questions q JOIN answers a ON a.question_id = q.id "
        "WHERE q.accepted_answer_id IS NULL AND q.deleted_at IS NULL AND NOT q.is_escalated "
        "AND a.deleted_at IS NULL AND a.author_id != q.author_id "
        "GROUP BY q.id, q.author_id ORDER BY q.id DESC LIMIT :n"), {"n": needed}).all()
    rng.shuffle(rows)
    tokens = _tokens(session, {author for _, author, _ in rows})
    lines = [request_line(f"/api/v1/answers/{answer_id}/accept", "POST", tokens[author]) for _, author, answer_id in rows]
    split = min(len(lines) // 4, int(WRITES_PER_SECOND * warmup / 2))
    return Scenario("accept", "accept an answer (API)", write=True, lines=lines[split:], warmup_lines=lines[:split],
                    facts={"questions": [qid for qid, _, _ in rows[split:]]})


def check_votes(session, scenario: Scenario, before: int, succeeded: int) -> dict:
    """After the vote run: one vote per successful request, every score the sum of its votes."""
    after = session.execute(text("SELECT count(*) FROM votes")).scalar()
    answers = scenario.facts["answers"]
    wrong = session.execute(text(
        "SELECT count(*) FROM answers a WHERE a.id IN :ids AND a.score != "
        "(SELECT coalesce(sum(v.value), 0) FROM votes v WHERE v.answer_id = a.id)").bindparams(_ids()),
        {"ids": answers}).scalar()
    # New votes may exceed the successful requests by those in flight when wrk stopped
    # counting (at most one per connection); fewer would be lost updates.
    return {"new_votes": after - before, "successful_requests": succeeded,
            "lost_updates": max(0, succeeded - (after - before)), "scores_not_matching_votes": wrong}


def check_accepts(session, scenario: Scenario) -> dict:
    """After the accept run: every touched question has at most one accepted answer, and it is its own."""
    ids = scenario.facts["questions"]
    accepted = session.execute(text("SELECT count(*) FROM questions WHERE id IN :ids AND accepted_answer_id "
                                    "IS NOT NULL").bindparams(_ids()), {"ids": ids}).scalar()
    doubles = session.execute(text(
        "SELECT count(*) FROM (SELECT question_id FROM answers WHERE question_id IN :ids AND accepted_at IS NOT NULL "
        "GROUP BY question_id HAVING count(*) > 1) AS x").bindparams(_ids()), {"ids": ids}).scalar()
    return {"accepted_questions": accepted, "questions_with_two_accepted": doubles}
