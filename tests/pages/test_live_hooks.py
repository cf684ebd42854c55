"""What the pages give the live script: the bell, toasts, the answer fragment, the boards."""

import re

from support.services import escalations, posts

from .helpers import text


def test_the_answer_fragment_shows_this_viewers_own_controls(client, browser, make):
    asker = make.user()
    question = make.question(author=asker)
    answer = make.answer(question, author=make.user(display_name="Lia"))
    url = f"/questions/{question.id}/answers/{answer.id}/fragment"

    as_asker = client.login_as(asker).get(url)
    as_other = browser().login_as(make.user()).get(url)
    as_visitor = browser().get(url)

    for response in (as_asker, as_other, as_visitor):
        assert response.status_code == 200
        assert f'id="answer-{answer.id}"' in response.get_data(as_text=True)
        assert "Lia" in text(response)
        assert "<html" not in response.get_data(as_text=True)  # a part of a page, not a page
    assert "This solved my problem" in text(as_asker)
    assert "This solved my problem" not in text(as_other)
    assert f'action="/answers/{answer.id}/accept"' in as_asker.get_data(as_text=True)


def test_the_fragment_of_a_missing_or_foreign_answer_is_not_found(client, make):
    question, other = make.question(), make.question()
    answer = make.answer(question)
    gone = make.answer(question)
    posts.delete_answer(gone.author, gone.id)

    assert client.get(f"/questions/{other.id}/answers/{answer.id}/fragment").status_code == 404
    assert client.get(f"/questions/{question.id}/answers/{gone.id}/fragment").status_code == 404
    assert client.get(f"/questions/{question.id}/answers/999999/fragment").status_code == 404


def test_every_member_page_has_the_bell_and_the_toast_region(client, make):
    member = make.user()
    page = client.login_as(member).get("/").get_data(as_text=True)

    assert re.search(r'<span class="unread-count" data-unread-count hidden>0</span>', page)
    assert re.search(r'<div id="toasts" class="toasts" role="status" aria-live="polite"', page)
    assert "/static/js/live.js" in page and "/static/vendor/socket.io.min.js" in page
    assert re.search(rf'data-my-points>{member.points}<', page)


def test_the_leaderboard_tells_the_script_which_board_it_shows(client, make):
    answer = make.answer(make.question())
    make.vote(make.user(points=20), answer)

    page = client.get("/leaderboard?period=month").get_data(as_text=True)
    assert re.search(r'id="leaderboard" data-period="month" data-tag-key="0" data-limit="50"', page)
    assert f'<tr data-user-id="{answer.author_id}"' in page


def test_an_empty_board_still_has_its_table_for_the_first_live_row(client, make):
    make.question(tags=("fibra",))
    page = client.get("/leaderboard?tag=fibra").get_data(as_text=True)
    assert re.search(r'<table hidden class="board" id="leaderboard"[^>]*data-tag-key="\d+"', page)
    assert 'id="board-empty"' in page


def test_the_staff_queue_has_its_live_region_for_staff_only(client, browser, make):
    staff, asker = make.staff(), make.user()
    question = make.question(author=asker)
    escalations.escalate(asker, question.id, "Nessuno risponde")

    body = client.login_as(staff).get("/staff/escalations").get_data(as_text=True)
    live = body[body.index('<div id="queue-live" data-live-room="staff"'):]
    assert re.search(r'<tr class="escalation-row[^"]*" id="escalation-\d+" data-escalation-id="\d+"', live)
    assert browser().login_as(asker).get("/staff/escalations").status_code in (403, 404)
