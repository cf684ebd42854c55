"""Accepted answers become searchable, in Italian and English, on each backend."""

import re

from search import service


def _ids(query, **kw):
    return [h.question_id for h in service.search(query, **kw).hits]


def test_accepted_answer_is_found_and_follows_edits_and_deletes(make, solved):
    question = solved("Come attivo la nuova SIM ricevuta?", "Non riesco ad attivare la SIM arrivata ieri.",
                      "Inserisci il codice PUK che trovi sulla tessera e riavvia il telefono.")
    assert _ids("codice PUK") == [question.id]
    from support.services import posts

    posts.edit_question(question.author, question.id, title="Come attivo la nuova eSIM ricevuta oggi?")
    assert service.search("eSIM").hits[0].title == "Come attivo la nuova eSIM ricevuta oggi?"
    make.accept(question.author, make.answer(question, body="Chiama il servizio clienti al numero verde."))
    assert _ids("codice PUK") == []
    assert _ids("numero verde") == [question.id]


def test_unsolved_questions_rank_below_solved_and_votes_lift(make, solved):
    open_question = make.question(title="Problema con la fattura del roaming", body="La fattura roaming è sbagliata.")
    low = solved("Fattura roaming troppo alta", "Ho una fattura roaming strana.", "Controlla le soglie roaming.")
    high = solved("Fattura roaming doppia addebitata", "Due addebiti roaming in fattura.",
                  "Chiedi il rimborso roaming dall'area clienti.", votes=2)
    assert _ids("fattura roaming") == [high.id, low.id, open_question.id]
    assert _ids("fattura roaming", solved_only=True) == [high.id, low.id]


def test_italian_accents_and_stems(solved):
    question = solved("Attività sospetta sul conto", "Vedo un'attività che non riconosco.",
                      "Blocca la ricarica automatica e cambia la password.")
    assert _ids("attivita") == [question.id]
    assert _ids("ricaricare") == [question.id]


def test_english_stems(solved):
    question = solved("Why was I charged for roaming in Switzerland?", "I was charged for roaming abroad.",
                      "Switzerland is outside the EU roaming zone; add the Travel option before leaving.")
    assert _ids("roaming charges") == [question.id]


def test_snippet_marks_terms_and_escapes_text(solved):
    solved("Script nel messaggio della SIM", "Il messaggio contiene codice strano.",
           "Il testo <script>alert(1)</script> nel messaggio è innocuo: ignoralo pure.")
    [hit] = service.search("messaggio innocuo").hits
    assert set(re.findall(r"<[^>]*>", hit.snippet_html)) == {"<mark>", "</mark>"}


def test_tag_filter_and_similar(solved):
    sim = solved("Come attivo la SIM?", "Ho una SIM nuova da attivare.", "Inserisci il codice PUK e riavvia.", tags=("sim",))
    solved("Come attivo la fibra?", "Ho la fibra nuova da attivare.", "Riavvia il modem e attendi.", tags=("fibra",))
    assert _ids("attivo", tag="sim") == [sim.id]
    similar = service.similar("attivare la SIM nuova oggi")
    assert similar and similar[0].question_id == sim.id and len(similar) <= 5


def test_staff_verified_answer_ranks_higher(solved):
    from support.extensions import db
    from support.models import Answer, Question
    from support.models.base import utcnow

    texts = ("Fattura roaming troppo alta", "Ho una fattura roaming strana.", "Controlla le soglie roaming.")
    solved(*texts)
    solved(*texts)
    first, second = _ids("fattura roaming")
    answer = db.session.get(Answer, db.session.get(Question, second).accepted_answer_id)
    answer.verified_at = utcnow()  # staff verification (the staff issue sets it)
    db.session.commit()
    service.refresh(second)
    assert _ids("fattura roaming") == [second, first]


def test_a_question_asked_in_words_finds_the_thread(solved):
    """Stop words a reader types ("come", "la", "the", "my") never make a query miss."""
    italian = solved("Come attivo la nuova SIM ricevuta?", "Non riesco ad attivare la SIM arrivata ieri.",
                     "Inserisci il codice PUK che trovi sulla tessera e riavvia il telefono.")
    english = solved("How do I top up my credit abroad?", "I am in Spain and my credit is over.",
                     "Use the app: the top-up works from any country.")
    assert _ids("come attivo la sim") == [italian.id]
    assert _ids("come si attiva la SIM nuova") == [italian.id]
    assert _ids("how do I top up my credit") == [english.id]
