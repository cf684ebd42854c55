"""The PostgreSQL search table (schema "search"), shared by the backend and its migration.

It lives in its own schema so that the models' metadata (and the migration check that
compares it with the database) never sees it; SQLite has no such table.
"""

from sqlalchemy import text

STATEMENTS = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE SCHEMA IF NOT EXISTS search",
    # unaccent() is only STABLE; a generated column needs an IMMUTABLE wrapper.
    """CREATE OR REPLACE FUNCTION search.fold(value text) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, value) $$""",
    """CREATE TABLE IF NOT EXISTS search.documents (
        question_id integer PRIMARY KEY,
        answer_id integer,
        language_config regconfig NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        answer text NOT NULL DEFAULT '',
        tags text NOT NULL DEFAULT '',
        light text NOT NULL DEFAULT '',
        votes integer NOT NULL DEFAULT 0,
        solved boolean NOT NULL DEFAULT false,
        verified boolean NOT NULL DEFAULT false,
        accepted_at timestamptz,
        stamp text NOT NULL,
        document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector(language_config, search.fold(title)), 'A')
            || setweight(to_tsvector(language_config, search.fold(body || ' ' || answer)), 'B')
            || setweight(to_tsvector('simple'::regconfig, replace(tags, ',', ' ')), 'C')
            || setweight(to_tsvector('simple'::regconfig, light), 'D')
        ) STORED
    )""",
    "CREATE INDEX IF NOT EXISTS ix_search_documents_document ON search.documents USING gin (document)",
]

DROP = ["DROP TABLE IF EXISTS search.documents", "DROP FUNCTION IF EXISTS search.fold(text)",
        "DROP SCHEMA IF EXISTS search"]


def create(connection) -> None:
    """Create the search schema, function, table and index if they are missing."""
    for statement in STATEMENTS:
        connection.execute(text(statement))


def drop(connection) -> None:
    """Remove the search table, function and schema."""
    for statement in DROP:
        connection.execute(text(statement))
