"""Translations: the Italian catalogue is complete and current, and pages and the API speak
the reader's language (the member's choice, else the `lang` cookie, else the browser's)."""

import gettext
import io
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import select

from support.extensions import db
from support.models import User

from .pages.helpers import field_error, flashes, text

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "support" / "translations"
POT = TRANSLATIONS / "messages.pot"
PO = TRANSLATIONS / "it" / "LC_MESSAGES" / "messages.po"
MO = TRANSLATIONS / "it" / "LC_MESSAGES" / "messages.mo"
# The README's extract command (section "Translations"), minus the output file.
EXTRACT = ["extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-k", "ngettext:1,2",
           "-k", "lazy_ngettext:1,2", "--add-comments=Translators:", "--no-location", "--sort-output",
           "--project=Passaparola"]
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0 +-]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa%])")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _catalog(path):
    with open(path, "rb") as fh:
        return read_po(fh)


def _key(message):
    return message.context, message.id


def _placeholders(s: str) -> Counter:
    return Counter(f"%({name})" if name else f"%{kind}" for name, kind in PLACEHOLDER.findall(s) if kind != "%")


def _forms(value) -> tuple:
    return value if isinstance(value, tuple | list) else (value,)


# --- the catalogue ------------------------------------------------------------------------

def test_the_italian_catalogue_is_for_italian_with_two_plural_forms():
    catalog = _catalog(PO)
    assert str(catalog.locale) == "it"
    assert catalog.num_plurals == 2 and catalog.plural_expr.replace(" ", "") == "(n!=1)"
    assert not catalog.fuzzy


def test_every_message_is_translated_and_none_is_fuzzy():
    catalog = _catalog(PO)
    messages = [m for m in catalog if m.id]
    assert len(messages) > 300
    untranslated = [m.id for m in messages if not all(s.strip() for s in _forms(m.string))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy
    assert not list(catalog.obsolete), "obsolete entries: run the update step with --ignore-obsolete"


def test_translations_keep_placeholders_markup_and_sentence_ends():
    problems = []
    for message in _catalog(PO):
        if not message.id:
            continue
        sources = _forms(message.id)
        expected = _placeholders(sources[-1])
        if len(sources) > 1:
            # ngettext: %(num)d is passed to both forms; the singular may spell "one" out,
            # but Italian keeps the number in both, so both forms must carry everything.
            expected = expected | _placeholders(sources[0])
        for form in _forms(message.string):
            if _placeholders(form) != expected:
                problems.append(("placeholders", message.id, form))
            if sorted(TAG.findall(form)) != sorted(TAG.findall(sources[0])):
                problems.append(("markup", message.id, form))
            ends = {src[-1] in ".!?" for src in sources}
            if (form[-1] in ".!?") not in ends or form.endswith(":") != sources[0].endswith(":"):
                problems.append(("sentence end", message.id, form))
            if form != form.strip():
                problems.append(("spaces", message.id, form))
    assert not problems, problems


def test_the_compiled_catalogue_matches_the_po_file():
    """The .mo is committed (python run.py needs no compile step), so it must be current."""
    fresh = io.BytesIO()
    write_mo(fresh, _catalog(PO))
    fresh.seek(0)
    with open(MO, "rb") as fh:
        committed = gettext.GNUTranslations(fh)._catalog
    expected = gettext.GNUTranslations(fresh)._catalog
    committed.pop("", None)  # the headers: their dates may differ
    expected.pop("", None)
    missing = sorted(str(k) for k in expected.keys() - committed.keys())
    assert not missing, f"messages.mo is stale, run pybabel compile: {missing[:10]}"
    assert committed == expected, "messages.mo is stale, run pybabel compile"


def test_the_template_and_the_italian_catalogue_cover_every_string_in_the_sources(tmp_path):
    """Re-extract the sources: a new or changed string must reach the .pot and the .po."""
    fresh = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", *EXTRACT, "-o", str(fresh), "."],
                   cwd=ROOT, check=True, capture_output=True)
    in_sources = {_key(m) for m in _catalog(fresh) if m.id}
    in_pot = {_key(m) for m in _catalog(POT) if m.id}
    in_po = {_key(m) for m in _catalog(PO) if m.id}
    new, gone = sorted(in_sources - in_pot, key=str), sorted(in_pot - in_sources, key=str)
    assert not new, "not in messages.pot yet: run the three steps of README, Translations"
    assert not gone, "no longer in the sources: run the three steps of README, Translations"
    not_merged = sorted(in_po ^ in_pot, key=str)
    assert not not_merged, "messages.po differs from messages.pot: run the update step"


# --- choosing the language ----------------------------------------------------------------

@pytest.fixture
def app_config(app_config, monkeypatch):
    """The shipped default language (Italian), not the English the other tests read."""
    monkeypatch.delenv("DEFAULT_LOCALE", raising=False)
    app_config.pop("BABEL_DEFAULT_LOCALE", None)
    return app_config


IT, EN = {"Accept-Language": "it-IT,it;q=0.9"}, {"Accept-Language": "en-GB,en;q=0.8"}


def test_the_question_list_in_italian_and_in_english(client, make):
    make.question(title="Come attivo la eSIM sul telefono nuovo?")
    italian = client.get("/questions", headers=IT)
    assert '<html lang="it">' in italian.get_data(as_text=True)
    page = text(italian)
    assert "Domande della community" in page and "1 domanda" in page and "Fai una domanda" in page
    assert "Questions from the community" not in page
    assert "Come attivo la eSIM sul telefono nuovo?" in page  # members' words stay as written
    english = client.get("/questions", headers=EN)
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert "Questions from the community" in text(english) and "1 question" in text(english)


def test_plural_forms_follow_the_count(client, make):
    for n in range(2):
        make.question(title=f"Domanda numero {n} sulla fattura di marzo?", tags=("fattura",))
    page = text(client.get("/tags", headers=IT))
    assert "2 domande" in page


def test_the_login_page_and_its_form_messages_in_italian(client):
    page = client.get("/login", headers=IT)
    assert '<html lang="it">' in page.get_data(as_text=True)
    assert "Nome utente o email" in text(page) and "Mantieni l'accesso" in text(page)
    response = client.client.post("/login", data={"csrf_token": client.csrf("/login"), "login": "", "password": ""},
                                  headers=IT)
    assert field_error(response, "login") == "Questo campo è obbligatorio."  # WTForms' own catalogue


def test_error_pages_in_italian_and_in_english(client):
    italian = client.get("/no-such-page", headers=IT)
    assert italian.status_code == 404
    assert '<html lang="it">' in italian.get_data(as_text=True)
    assert "Pagina non trovata" in text(italian) and "Torna alla community" in text(italian)
    english = client.get("/no-such-page", headers=EN)
    assert "Page not found" in text(english) and '<html lang="en">' in english.get_data(as_text=True)


def test_without_any_preference_the_interface_is_italian(client, app):
    assert app.config["BABEL_DEFAULT_LOCALE"] == "it"
    assert '<html lang="it">' in client.get("/questions").get_data(as_text=True)
    assert '<html lang="it">' in client.get("/", headers={"Accept-Language": "de-DE,fr;q=0.8"}).get_data(as_text=True)


@pytest.mark.parametrize("saved, header", [("en", IT), ("it", EN)])
def test_the_members_saved_language_wins_over_the_browser(client, make, saved, header):
    client.login_as(make.user(locale=saved))
    response = client.get("/questions", headers=header)
    assert f'<html lang="{saved}">' in response.get_data(as_text=True)
    assert ("Domande della community" if saved == "it" else "Questions from the community") in text(response)


def test_the_footer_switch_changes_the_language_and_back(client):
    start = client.get("/questions", headers=EN)
    assert 'name="lang" value="it"' in start.get_data(as_text=True)
    response = client.post("/language", {"lang": "it", "next": "/questions"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/questions")
    assert any(c.startswith("lang=it") for c in response.headers.getlist("Set-Cookie"))
    # The cookie wins over the browser's header from now on.
    italian = client.get("/questions", headers=EN)
    assert '<html lang="it">' in italian.get_data(as_text=True) and "Domande della community" in text(italian)
    client.post("/language", {"lang": "en", "next": "/questions"})
    english = client.get("/questions", headers=IT)
    assert '<html lang="en">' in english.get_data(as_text=True) and "Questions from the community" in text(english)


def test_the_footer_switch_saves_a_members_preference(client, make):
    member = make.user(locale="en")
    client.login_as(member)
    client.post("/language", {"lang": "it", "next": "/"})
    assert db.session.scalar(select(User.locale).where(User.id == member.id)) == "it"
    assert '<html lang="it">' in client.get("/", headers=EN).get_data(as_text=True)


def test_an_unknown_language_is_refused(client):
    assert client.post("/language", {"lang": "fr"}).status_code == 400


def test_a_new_language_applies_from_the_confirmation_on(client, make):
    client.login_as(make.user(locale="it"))
    client.post("/settings", {"display_name": "Anna", "bio": "", "locale": "en", "contact_channel": "email",
                              "phone": "", "followed_tags": ""}, csrf_from="/settings")
    page = client.get("/settings", headers=IT)
    assert "Your settings are saved." in flashes(page) and '<html lang="en">' in page.get_data(as_text=True)


def test_a_refused_change_of_language_answers_in_the_language_kept(client, make):
    member = make.user(locale="en")
    client.login_as(member)
    response = client.post("/settings", {"display_name": "Anna", "locale": "it", "contact_channel": "email",
                                         "followed_tags": "ok bad!tag"}, csrf_from="/settings")
    assert '<html lang="en">' in response.get_data(as_text=True)
    assert "is not a valid tag" in field_error(response, "followed_tags")
    assert db.session.scalar(select(User.locale).where(User.id == member.id)) == "en"


def test_signing_in_and_out_greets_in_the_language_of_the_next_page(client, make):
    from tests.factories import PASSWORD

    make.user(username="giulia", locale="it")
    client.client.post("/login", data={"csrf_token": client.csrf("/login"), "login": "giulia", "password": PASSWORD},
                       headers=EN)
    page = client.get("/questions", headers=EN)
    assert "Ciao di nuovo, giulia!" in flashes(page) and '<html lang="it">' in page.get_data(as_text=True)
    client.client.post("/logout", data={"csrf_token": client.csrf("/")}, headers=EN)
    page = client.get("/questions", headers=EN)
    assert "You are signed out." in flashes(page) and '<html lang="en">' in page.get_data(as_text=True)


def test_the_login_prompt_under_a_thread_is_one_translated_sentence(client, make):
    question = make.question()
    body = client.get(f"/questions/{question.id}", headers=IT).get_data(as_text=True)
    assert re.search(r'<a href="/login\?next=[^"]+">Accedi</a> o <a href="/register">registrati</a> per rispondere\.',
                     body)


def test_ranks_badges_and_segments_are_translated(client, make):
    member = make.user(points=20)
    make.question(author=member)
    page = text(client.get(f"/users/{member.id}", headers=IT))
    assert "Livello: Membro" in page and "Curioso" in page and "Storico dei punti" in page
    assert "Ti mancano 105 punti per diventare Collaboratore" in page
    badges = text(client.get("/badges", headers=IT))
    assert "Bronzo" in badges and "Curioso" in badges and "Fare una prima domanda." in badges
    client.login_as(make.staff(locale="it"))
    assert "Segmento (visibile allo staff): Partecipante" in text(client.get(f"/users/{member.id}"))


# --- the API ------------------------------------------------------------------------------

def test_api_errors_follow_the_members_language(api, make):
    short = {"title": "Breve", "body": "Il telefono non si accende più dopo l'aggiornamento.", "tags": ["telefono"]}
    italian = api.as_user(make.user(locale="it")).post("/api/v1/questions", json=short)
    assert italian.status_code == 422
    error = italian.get_json()["error"]
    assert error["code"] == "invalid"
    assert error["message"] == error["fields"]["title"] == "Scrivi almeno 10 caratteri."
    english = api.as_user(make.user(locale="en")).post("/api/v1/questions", json=short, headers=IT)
    assert english.get_json()["error"]["message"] == "Please write at least 10 characters."


def test_api_errors_for_anonymous_callers_follow_the_header(api):
    response = api.anonymous().get("/api/v1/me", headers=IT)
    assert response.status_code == 401
    assert response.get_json()["error"]["message"] == "Autenticazione richiesta: invia un bearer token."
    response = api.get("/api/v1/me", headers=EN)
    assert response.get_json()["error"]["message"] == "Authentication required: send a bearer token."
    missing = api.get("/api/v1/questions/999999", headers=IT)
    assert missing.status_code == 404 and "non esiste" in missing.get_json()["error"]["message"]


def test_a_refused_change_of_language_in_the_api_answers_in_the_language_kept(api, make):
    member = make.user(locale="en")
    response = api.as_user(member).patch("/api/v1/me/preferences", json={"locale": "it", "followed_tags": ["bad!tag"]})
    assert response.status_code == 422
    assert "is not a valid tag" in response.get_json()["error"]["message"]
    assert db.session.scalar(select(User.locale).where(User.id == member.id)) == "en"
