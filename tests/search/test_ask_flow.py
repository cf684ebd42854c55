"""Ask flows: suggestions shown and clicked on the ask page, then the question posted."""

from sqlalchemy import select

from search import flows
from search.models import AskFlow
from support.extensions import db


def test_flow_records_shown_clicked_and_posted(client, make):
    member = make.user(points=100)
    client.login_as(member)
    token = client.csrf("/questions/ask")
    headers = {"X-CSRFToken": token}
    assert client.client.post("/search/ask-flow", json={"event": "shown", "ids": [3, 4]}, headers=headers).status_code == 200
    assert client.client.post("/search/ask-flow", json={"event": "clicked", "question_id": 4}, headers=headers).status_code == 200
    make.question(author=member, title="Come attivo la nuova SIM oggi?")
    [flow] = db.session.scalars(select(AskFlow)).all()
    assert flow.suggestions_shown == [3, 4] and flow.clicked_question_id == 4
    assert flow.outcome == "posted" and flow.question_id and flow.holdout is flows.is_holdout(flow.visitor_key, flow.started_at)


def test_flow_needs_csrf_and_anonymous_get_a_cookie(client):
    assert client.client.post("/search/ask-flow", json={"event": "shown", "ids": [1]}).status_code == 400
    token = client.csrf("/")
    response = client.client.post("/search/ask-flow", json={"event": "shown", "ids": [1]},
                                  headers={"X-CSRFToken": token})
    assert response.status_code == 200 and "pp_visitor=" in response.headers.get("Set-Cookie", "")
    [flow] = db.session.scalars(select(AskFlow)).all()
    assert flow.visitor_key.startswith("c:") and flow.outcome is None


def test_ask_page_loads_the_script_and_takes_the_title_from_search(client, make):
    client.login_as(make.user(points=100))
    html = client.get("/questions/ask?title=Frigorifero+rotto+dopo+il+trasloco").get_data(as_text=True)
    assert 'src="/static/js/similar.js"' in html and 'data-url="/api/v1/questions/similar"' in html
    assert 'value="Frigorifero rotto dopo il trasloco"' in html
