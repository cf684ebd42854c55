"""`flask search reindex` and `flask search check [--fix]`."""

from search import service


def test_reindex_rebuilds_and_check_repairs(app, make, solved):
    question = solved("Come attivo la nuova SIM?", "Ho ricevuto la SIM nuova ma non funziona.",
                      "Inserisci il codice PUK e riavvia il telefono.")
    other = make.question(title="Fattura del mese troppo alta", body="La fattura di questo mese è doppia.")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0 and "missing: 0" in result.output

    backend = app.extensions["search"]
    backend.remove([question.id])
    backend.index([service.documents.build(other, None)])  # same content: not stale
    from search.documents import SearchDocument

    backend.index([SearchDocument(question_id=9999, title="fantasma", body="", language="it", tags=[], score=0,
                                  stamp="x")])
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert f"missing: 1 ({question.id})" in result.output and "extra: 1 (9999)" in result.output
    assert runner.invoke(args=["search", "check", "--fix"]).exit_code == 0
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    assert [h.question_id for h in service.search("codice PUK").hits] == [question.id]

    backend.remove([question.id, other.id])
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "indexed: 2" in result.output
    assert [h.question_id for h in service.search("codice PUK").hits] == [question.id]
    assert runner.invoke(args=["search", "check"]).exit_code == 0
