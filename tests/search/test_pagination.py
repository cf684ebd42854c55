"""Pages of search results without an exact count, and a searcher that follows writes."""

import re

import pytest

from search import service


@pytest.fixture
def eleven(solved):
    """Eleven solved questions about the same thing: one more than the search page shows."""
    return [solved(f"Fattura roaming numero {i}", "Ho una fattura roaming strana.", "Controlla le soglie roaming.")
            for i in range(11)]


def test_next_page_is_offered_only_when_there_is_one(client, eleven):
    first = client.get("/search?q=fattura+roaming").get_data(as_text=True)
    assert first.count('class="question-summary"') == 10
    assert 'rel="next"' in first and 'rel="prev"' not in first
    # The count is exact, or says honestly that there are more than the page shows.
    assert "11 results" in first or "More than 10 results" in first

    second = client.get("/search?q=fattura+roaming&page=2").get_data(as_text=True)
    assert second.count('class="question-summary"') == 1
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert "11 results" in second  # the last page has seen every match

    ids = set(re.findall(r'href="/questions/(\d+)', first + second))
    assert ids >= {str(q.id) for q in eleven}


def test_service_pages_say_whether_more_follow(eleven):
    first = service.search("fattura roaming", page=1, per_page=10)
    assert len(first.hits) == 10 and first.more
    assert not first.exact or first.total == 11
    last = service.search("fattura roaming", page=2, per_page=10)
    assert len(last.hits) == 1 and not last.more and last.exact and last.total == 11
    past = service.search("fattura roaming", page=3, per_page=10)
    assert past.hits == [] and not past.more


def test_single_page_has_exact_total_and_no_next(api, solved):
    solved("Come attivo la nuova SIM?", "Ho ricevuto la SIM nuova.", "Inserisci il codice PUK.")
    body = api.get("/api/v1/search?q=codice%20PUK").get_json()
    assert body["total"] == 1 and body["total_exact"] is True and body["has_next"] is False


def test_searcher_sees_a_question_indexed_after_it_opened(solved):
    first = solved("Modem spento dopo il temporale", "Il modem non si accende più.", "Sostituisci l'alimentatore.")
    assert [h.question_id for h in service.search("modem alimentatore").hits] == [first.id]  # opens the searcher
    second = solved("Modem che si spegne da solo", "Il modem si spegne ogni ora.", "Cambia l'alimentatore del modem.")
    assert {h.question_id for h in service.search("modem alimentatore").hits} == {first.id, second.id}
    service.backend().remove([first.id])
    assert [h.question_id for h in service.search("modem alimentatore").hits] == [second.id]
