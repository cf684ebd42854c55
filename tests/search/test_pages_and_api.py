"""The search page, the search API and the similar-questions API, with hostile input."""

import pytest


@pytest.fixture
def sim_question(solved):
    return solved("Come attivo la nuova SIM?", "Ho ricevuto la SIM nuova ma non funziona.",
                  "Inserisci il codice PUK e riavvia il telefono.")


def test_page_shows_solved_result_with_marked_snippet(client, sim_question):
    html = client.get("/search?q=codice+PUK").get_data(as_text=True)
    assert "Come attivo la nuova SIM?" in html
    assert "<mark>" in html and "Solved" in html
    assert f"/questions/{sim_question.id}" in html


def test_page_filters_by_tag_and_solved(client, make, sim_question):
    make.question(title="Codice PUK della SIM smarrito", body="Ho perso il codice PUK della SIM.", tags=("puk",))
    assert client.get("/search?q=codice+PUK").get_data(as_text=True).count('class="question-summary"') == 2
    assert client.get("/search?q=codice+PUK&solved=1").get_data(as_text=True).count('class="question-summary"') == 1
    html = client.get("/search?q=codice+PUK&tag=puk").get_data(as_text=True)
    assert "smarrito" in html and "Come attivo" not in html


def test_no_results_offers_to_ask(client, sim_question):
    html = client.get("/search?q=frigorifero+rotto").get_data(as_text=True)
    assert "No answers match" in html
    assert "/questions/ask?title=frigorifero+rotto" in html
    ask = client.get("/questions/ask?title=frigorifero+rotto")  # anonymous: sign-in first
    assert ask.status_code in (200, 302)


def test_header_search_box_points_at_search(client):
    assert 'action="/search"' in client.get("/").get_data(as_text=True)


def test_api_search_and_similar(api, sim_question):
    body = api.get("/api/v1/search?q=codice%20PUK").get_json()
    assert body["total"] == 1
    [item] = body["items"]
    assert item["question_id"] == sim_question.id and item["answer_id"] and "<mark>" in item["snippet_html"]
    similar = api.get("/api/v1/questions/similar?title=SIM%20nuova%20non%20si%20attiva").get_json()
    assert [i["question_id"] for i in similar["items"]] == [sim_question.id]


BAD_QUERIES = ['"codice PUK', "codice AND OR NOT (", "*", "?* *", "x" * 10_000, "codice\x00PUK",
               "\x01\x02\x1b[31m", "title:codice^5 {a TO z}", "'; DROP TABLE questions; --", "ñ" * 300,
               " ".join(["codice"] * 500)]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_hostile_queries_never_fail(client, api, sim_question, query):
    page = client.get("/search", query_string={"q": query})
    assert page.status_code == 200
    response = api.get("/api/v1/search", query_string={"q": query})
    assert response.status_code == 200 and isinstance(response.get_json()["items"], list)
    assert api.get("/api/v1/questions/similar", query_string={"title": query}).status_code == 200


def test_unbalanced_quote_still_finds(api, sim_question):
    assert api.get("/api/v1/search", query_string={"q": '"codice PUK'}).get_json()["total"] == 1


def test_long_query_is_said_on_the_page(client, sim_question):
    html = client.get("/search", query_string={"q": "codice " * 100}).get_data(as_text=True)
    assert "only its first 200 characters" in html


@pytest.mark.parametrize("tag", ["%", "_", "sim'--", "x\x00"])
def test_odd_tags_match_nothing_and_never_fail(client, api, sim_question, tag):
    assert client.get("/search", query_string={"q": "codice", "tag": tag}).status_code == 200
    response = api.get("/api/v1/search", query_string={"q": "codice", "tag": tag})
    assert response.status_code == 200 and response.get_json()["total"] == 0


def test_snippets_show_words_not_markdown_or_tags(api, solved):
    solved("Come blocco la carta smarrita?", "Ho perso la carta di debito ieri sera.",
           "Blocca **subito** la carta dall'[app](https://example.com/app) e chiama il numero verde <script>x</script>")
    body = api.get("/api/v1/search?q=blocco%20carta").get_json()
    snippet = body["items"][0]["snippet_html"]
    assert "subito" in snippet and "app" in snippet
    assert "**" not in snippet and "](" not in snippet and "<script>" not in snippet
