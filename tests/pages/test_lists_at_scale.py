"""The question list and its sidebar as a reader sees them, with the shortcuts that keep them fast.

The sidebar's tag counts come from a cached count per tag, kept by asking, retagging and
deleting; a long list says "more than N" instead of counting every row; a tag's list is
read in one of two ways by the tag's size, and both show the same questions.
"""

import re

import pytest

from support import queries
from support.extensions import db
from support.qa import routes as qa_routes
from support.services import posts

from .helpers import listed_questions, text


def sidebar(response) -> dict[str, int]:
    """The "Popular tags" sidebar as {tag: count}, in the order shown."""
    body = response.get_data(as_text=True)
    aside = re.search(r'<aside class="sidebar".*?</aside>', body, re.DOTALL).group(0)
    return {name: int(n) for name, n in re.findall(r'class="tag"[^>]*>([^<]+)</a> <span class="muted">×(\d+)', aside)}


def test_sidebar_counts_follow_new_edited_and_deleted_questions(browser, make):
    asker = make.user()
    first = make.question(author=asker, tags=("sim", "roaming"))
    make.question(author=asker, tags=("sim",))
    assert sidebar(browser().get("/")) == {"sim": 2, "roaming": 1}

    posts.edit_question(asker, first.id, tags="sim esim")
    db.session.commit()
    assert sidebar(browser().get("/")) == {"sim": 2, "esim": 1}  # roaming has no question left

    posts.delete_question(asker, first.id)
    db.session.commit()
    assert sidebar(browser().get("/")) == {"sim": 1}
    assert "1 question" in text(browser().get("/tags"))


def test_a_long_list_says_more_than_and_still_pages_to_the_end(browser, make, monkeypatch):
    monkeypatch.setattr(qa_routes, "LIST_COUNT_LIMIT", 3)
    asker = make.user()
    made = [make.question(author=asker).id for _ in range(5)]
    newest_first = made[::-1]

    first = browser().get("/questions?sort=newest&per_page=2")
    assert "More than 3 questions" in text(first)
    assert "Page 1" in text(first) and "Page 1 of" not in text(first)
    assert 'rel="next"' in first.get_data(as_text=True)
    assert listed_questions(first) == newest_first[:2]

    last = browser().get("/questions?sort=newest&per_page=2&page=3")
    assert listed_questions(last) == newest_first[4:]
    assert 'rel="next"' not in last.get_data(as_text=True)  # the end is known from the page itself
    assert 'rel="prev"' in last.get_data(as_text=True)

    beyond = browser().get("/questions?sort=newest&per_page=2&page=9")
    assert listed_questions(beyond) == []


def test_a_short_list_counts_exactly(browser, make, monkeypatch):
    monkeypatch.setattr(qa_routes, "LIST_COUNT_LIMIT", 3)
    asker = make.user()
    for _ in range(3):
        make.question(author=asker)
    page = browser().get("/questions?per_page=2")
    assert "3 questions" in text(page) and "More than" not in text(page)
    assert "Page 1 of 2" in text(page)


@pytest.mark.parametrize("query", ["", "&status=open", "&status=answered", "&sort=votes", "&sort=newest&page=2"])
def test_a_tag_list_shows_the_same_questions_whatever_the_tag_size(browser, make, monkeypatch, query):
    asker = make.user()
    for i in range(7):
        question = make.question(author=asker, tags=("sim",) if i % 3 else ("sim", "esim"))
        if i % 2:
            make.answer(question)
        make.question(author=asker, tags=("rete",))
    path = f"/questions?tag=sim&per_page=3{query}"
    monkeypatch.setattr(queries, "BIG_TAG", 1000)  # "sim" is a small tag: read through question_tags
    small = listed_questions(browser().get(path))
    monkeypatch.setattr(queries, "BIG_TAG", 0)  # "sim" is a big tag: walk the sort order
    big = listed_questions(browser().get(path))
    assert small == big and small
    assert "More than" not in text(browser().get(path))


def test_an_unknown_tag_lists_nothing(browser, make):
    make.question(tags=("sim",))
    page = browser().get("/questions?tag=nessuno")
    assert page.status_code == 200
    assert listed_questions(page) == [] and "0 questions" in text(page)


def test_a_profile_lists_accepted_answers_first_then_the_newest(browser, make):
    helper = make.user()
    asker = make.user()
    threads = [make.question(author=asker, title=f"Domanda numero {i} sulla rete mobile") for i in range(4)]
    answers = [make.answer(q, author=helper) for q in threads]
    make.accept(asker, answers[1])
    body = browser().get(f"/users/{helper.id}").get_data(as_text=True)
    section = re.search(r"<h2>[^<]*</h2>\s*<ul class=\"plain-list\">(.*?)</ul>", body, re.DOTALL).group(1)
    shown = re.findall(r"Domanda numero (\d)", section)
    assert shown == ["1", "3", "2", "0"]
    assert "✓" in section.split("Domanda numero 1")[0]
