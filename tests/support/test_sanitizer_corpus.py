"""The XSS corpus (tests/xss_payloads.txt) against the sanitizer and the templates, in process.

Every payload goes through the Markdown renderer in several Markdown contexts and through
every service that stores `*_html`; the stored HTML may hold only the allowlist of
tests/xss.py (tags, attributes, http/https/mailto or relative URLs, no on*). Plain-text
fields (title, display name, bio, escalation reason, search query, notification text,
tags and usernames echoed in forms) must come out of Jinja as text: each payload is
found in the page's text, and the page holds no handler, frame or foreign script.
The browser half (tests/browser/test_xss.py) renders the same corpus in Chromium.
"""

from sqlalchemy import select

from support.errors import Invalid
from support.extensions import db
from support.models import Answer, Comment, Question, User
from support.models.ideas import Idea, IdeaComment, IdeaEvent
from support.models.staff import Escalation, StaffNote
from support.services import accounts, escalations, ideas, posts, validation
from support.text import render_markdown

from .. import xss
from ..conftest import PageClient
from ..figures import record, scale

CORPUS = xss.load_corpus()
TEXTS = [p.text for p in CORPUS]
CATEGORIES = {
    "script tags", "event handlers", "javascript: URLs in HTML", "Markdown links", "Markdown images",
    "data: URIs", "SVG", "iframes, objects and embeds", "HTML blocks in Markdown",
    "attribute and context breakouts", "mutation XSS and parser differentials", "encodings and filter evasion",
    "Unicode tricks", "polyglots",
}
# Where a payload can sit in a member's Markdown.
MARKDOWN_CONTEXTS = {
    "alone": "{}",
    "list item": "- {}",
    "quote": "> {}",
    "link text": "[{}](https://example.com/)",
    "table cell": "| a |\n|---|\n| {} |",
    "emphasis": "**{}**",
}
# Plain-text rounds: each round puts one group of payloads in every plain-text field and
# renders every page showing them. CI renders an even sample; RELIABILITY_FULL=1 all.
TEXT_ROUNDS = scale(12, 10_000)


def _flat(text: str) -> str:
    return " ".join(validation.clean_text(text).split())


def test_the_corpus_is_large_and_covers_every_category():
    assert len(CORPUS) >= 300, f"only {len(CORPUS)} payloads"
    assert len(set(TEXTS)) == len(TEXTS), "duplicate payloads"
    found = {p.category for p in CORPUS}
    assert CATEGORIES <= found, f"categories without payloads: {CATEGORIES - found}"


def test_the_allowlist_is_the_sanitizers():
    """One allowlist: the checks of tests/xss.py are exactly what support/text.py tells nh3."""
    from support import text

    assert text.ALLOWED_TAGS == xss.ALLOWED_TAGS
    assert {tag: set(attrs) for tag, attrs in text.ALLOWED_ATTRIBUTES.items()} == \
        {tag: set(attrs) for tag, attrs in xss.ALLOWED_ATTRIBUTES.items()}
    assert text.ALLOWED_SCHEMES == xss.ALLOWED_SCHEMES


def test_the_checks_catch_unsanitized_html():
    """The checks can fail: the raw payloads, unsanitized, are flagged (and a few known ones)."""
    flagged = [t for t in TEXTS if xss.sanitized_html_problems(t)]
    assert len(flagged) >= 300, f"only {len(flagged)} raw payloads flagged"
    assert xss.sanitized_html_problems('<a href="java&#x09;script:alert(1)">x</a>')
    assert xss.sanitized_html_problems('<a href="&#xFF4A;avascript:alert(1)">x</a>')  # fullwidth j, NFKC
    assert xss.sanitized_html_problems('<img src="x" alt="y" onerror="alert(1)">')
    assert xss.page_problems('<p><iframe src="/x"></iframe><script>alert(1)</script></p>')
    assert not xss.page_problems('<script src="/static/js/app.js" defer></script><a href="/q?x=1">q</a>')
    assert "<script>alert(1)</script>" not in xss.text_of("<p><script>alert(1)</script></p>")


def test_every_payload_renders_to_allowlisted_html():
    problems = []
    for context, template in MARKDOWN_CONTEXTS.items():
        for payload in CORPUS:
            found = xss.sanitized_html_problems(render_markdown(template.format(payload.text)))
            problems += [f"{payload.category} / {context}: {payload.text!r}: {p}" for p in found]
    record("xss", "in-process: Markdown renderer", payloads=len(CORPUS), sinks=len(MARKDOWN_CONTEXTS),
           tried=len(CORPUS) * len(MARKDOWN_CONTEXTS), disallowed=len(problems))
    assert not problems, "\n".join(problems[:30])


def _packs(limit):
    """The corpus as texts of at most `limit` characters, every payload in one of them."""
    groups = xss.pack(TEXTS, limit)
    assert sum(len(g) for g in groups) == sum(len(t) <= limit for t in TEXTS)
    return ["\n\n".join(TEXTS[i] for i in group) for group in groups], sum(len(g) for g in groups)


def test_every_html_writer_stores_allowlisted_html(make, doctor):
    """Every service that stores *_html, fed the whole corpus: questions, answers (posted and
    edited), comments, staff notes, ideas, idea comments and staff responses to ideas."""
    asker, helper, staff = make.user(points=500), make.user(points=500), make.staff()
    posts_packs, post_count = _packs(30_000)
    comment_packs, comment_count = _packs(600)
    note_packs, note_count = _packs(5000)
    idea_comment_packs, idea_comment_count = _packs(2000)

    for n, body in enumerate(posts_packs):
        question = posts.ask_question(asker, f"Domanda ostile numero {n}", body, ["sim"])
        answer = posts.post_answer(helper, question.id, body)
        posts.edit_question(asker, question.id, body=body + "\n\nmodificata")
        posts.edit_answer(helper, answer.id, body + "\n\nmodificata")
        idea = ideas.post_idea(asker, f"Idea ostile numero {n}", body, [])
    for n, body in enumerate(comment_packs):
        target = {"question_id": question.id} if n % 2 else {"answer_id": answer.id}
        posts.post_comment(helper, body, **target)
    for n, body in enumerate(note_packs):
        escalations.add_note(staff, question.id, body)
        ideas.set_status(staff, idea.id, ("under_review", "planned", "in_progress")[n % 3], body)
    for body in idea_comment_packs:
        ideas.comment(helper, idea.id, body)

    stored = {
        "question body": (db.session.scalars(select(Question.body_html)).all(), post_count),
        "answer body": (db.session.scalars(select(Answer.body_html)).all(), post_count),
        "comment": (db.session.scalars(select(Comment.body_html)).all(), comment_count),
        "staff note": (db.session.scalars(select(StaffNote.body_html)).all(), note_count),
        "idea body": (db.session.scalars(select(Idea.body_html)).all(), post_count),
        "idea response": (db.session.scalars(select(Idea.response_html)).all(), note_count),
        "idea event response": (db.session.scalars(select(IdeaEvent.response_html)
                                                   .where(IdeaEvent.response_html.is_not(None))).all(), note_count),
        "idea comment": (db.session.scalars(select(IdeaComment.body_html)).all(), idea_comment_count),
    }
    failures = []
    for writer, (htmls, payloads) in stored.items():
        problems = [p for html in htmls for p in xss.sanitized_html_problems(html)]
        record("xss", f"in-process writer: {writer}", tried=payloads, sinks=1, rows=len(htmls),
               disallowed=len(problems))
        assert htmls, f"nothing stored by {writer}"
        failures += [f"{writer}: {p}" for p in problems]
    assert not failures, "\n".join(failures[:30])
    doctor()


def test_usernames_and_tags_refuse_every_payload(make):
    """Usernames and tags have a restricted charset: no payload is accepted as either."""
    accepted_names, accepted_tags = [], []
    for n, text in enumerate(TEXTS):
        try:
            accounts.register_user(text, f"xss{n}@example.com", "una password lunga 2026")
        except Invalid:
            pass
        else:
            accepted_names.append(text)
        try:
            validation.tags(text)
        except Invalid:
            pass
        else:
            accepted_tags.append(text)
    record("xss", "in-process: username and tag refusals", sinks=2,
           tried=2 * len(TEXTS), accepted=len(accepted_names) + len(accepted_tags))
    assert not accepted_names, f"usernames accepted: {accepted_names[:10]}"
    assert not accepted_tags, f"tags accepted: {accepted_tags[:10]}"


def _sample(groups, rounds):
    """`rounds` groups spread evenly over the corpus (every category gets its turn)."""
    if len(groups) <= rounds:
        return groups
    return [groups[i * len(groups) // rounds] for i in range(rounds)]


def _as(app, user) -> PageClient:
    return PageClient(app.test_client()).login_as(user)


def _check_page(html, placed, where, failures, counts, shown=True):
    """The page runs nothing of a member's and, when `shown`, shows each payload of
    `placed` whole as text (lists and echoes of a tag may shorten or drop it)."""
    failures += [f"{where}: {p}" for p in xss.page_problems(html)]
    if shown:
        text = " ".join(xss.text_of(html).split())
        failures += [f"{where}: not shown as text: {t!r}" for t in placed if _flat(t) not in text]
    page = where.split("#")[0]
    counts[page] = counts.get(page, 0) + len(placed)


def test_plain_text_fields_are_escaped_on_every_page(app, make, doctor):
    """Title (of questions and ideas), display name, bio, escalation reason, notification text,
    search query and tag, and the ask form's echo of a refused title and tags: Jinja shows
    every payload as text."""
    asker, attacker, staff = make.user(points=500), make.user(points=500), make.staff()
    question = make.question(author=asker)
    escalation = escalations.escalate(asker, question.id, "Serve aiuto")
    idea = ideas.post_idea(asker, "Un'idea per il titolo ostile", "Il corpo di questa idea è innocuo.", [])
    as_asker, as_attacker, as_staff = _as(app, asker), _as(app, attacker), _as(app, staff)
    token = as_asker.csrf("/questions/ask")
    fields = {
        "title": _sample(xss.pack(TEXTS, 200, " "), TEXT_ROUNDS),
        "display_name": _sample(xss.pack(TEXTS, 64, " "), TEXT_ROUNDS),
        "bio": _sample(xss.pack(TEXTS, 1000, " "), TEXT_ROUNDS),
        "reason": _sample(xss.pack(TEXTS, 2000, " "), TEXT_ROUNDS),
    }
    failures, counts = [], {}
    for r in range(max(len(groups) for groups in fields.values())):
        texts = {name: [TEXTS[i] for i in groups[r % len(groups)]] for name, groups in fields.items()}
        values = {name: " ".join(group) for name, group in texts.items()}
        db.session.get(Question, question.id).title = values["title"]
        db.session.get(User, attacker.id).display_name = values["display_name"]
        db.session.get(User, attacker.id).bio = values["bio"]
        db.session.get(Escalation, escalation.id).reason = values["reason"]
        db.session.get(Idea, idea.id).title = values["title"]
        db.session.commit()
        posts.post_answer(attacker, question.id, f"Risposta numero {r}: riavvia il telefono.")  # notifies the asker
        pages = {
            f"view#{r}": (as_asker.get(f"/questions/{question.id}"), texts["title"] + texts["display_name"]),
            f"edit#{r}": (as_asker.get(f"/questions/{question.id}/edit"), texts["title"]),
            f"profile#{r}": (as_asker.get(f"/users/{attacker.id}"), texts["display_name"] + texts["bio"]),
            f"notifications#{r}": (as_asker.get("/notifications"), texts["title"] + texts["display_name"]),
            f"staff-detail#{r}": (as_staff.get(f"/staff/escalations/{escalation.id}"),
                                  texts["title"] + texts["reason"]),
            f"staff-queue#{r}": (as_staff.get("/staff/escalations"), texts["title"], False),
            f"search#{r}": (as_attacker.get("/search", query_string={"q": values["title"]}), texts["title"]),
            f"search-tag#{r}": (as_attacker.get("/search", query_string={"q": "sim", "tag": values["title"]}),
                                texts["title"], False),
            f"list-tag#{r}": (as_attacker.get("/questions", query_string={"tag": values["title"]}),
                              texts["title"], False),
            f"idea#{r}": (as_attacker.get(f"/ideas/{idea.id}"), texts["title"]),
            f"ideas#{r}": (as_attacker.get("/ideas"), texts["title"], False),
            f"ask-link#{r}": (as_asker.get("/questions/ask", query_string={"title": values["title"]}),
                              texts["title"]),
            f"ask-echo#{r}": (as_asker.post("/questions/ask", {"csrf_token": token, "title": values["title"],
                                                               "body": "Un corpo abbastanza lungo per la domanda.",
                                                               "tags": values["title"]}), texts["title"]),
        }
        for where, (response, placed, *shown) in pages.items():
            assert response.status_code == 200, f"{where}: {response.status_code}"
            _check_page(response.get_data(as_text=True), placed, where, failures, counts, *shown)
    for page, tried in sorted(counts.items()):
        record("xss", f"in-process page: {page}", tried=tried, sinks=1,
               disallowed=sum(f.startswith(page + "#") for f in failures))
    assert not failures, "\n".join(failures[:30])
    doctor()
