"""Full-text matching on a table's ``search_text`` column, per database.

- SQLite: an FTS5 table (``unicode61`` tokenizer) with external content, kept in step by
  triggers; a phrase query per query word (``"有限 限空 空间"``).
- PostgreSQL: a GIN index on ``to_tsvector('simple', search_text)``; each word becomes
  ``phraseto_tsquery('simple', …)``, all AND-ed.
- Lone Han characters cannot match a bigram index: they fall back to ``LIKE`` on the
  base table's plain-text columns.

:func:`index_table` declares the FTS5 table of a base table; the migration writes the
same DDL (:func:`sqlite_fts_ddl`), and :func:`include_object` keeps Alembic's
autogenerate away from FTS5 and its shadow tables.
"""

from __future__ import annotations

from sqlalchemy import DDL, Table, and_, event, func, literal_column, or_, select, text
from sqlalchemy.sql.elements import ColumnElement

from quizapp.extensions import db
from quizapp.search.tokens import SearchQuery

FTS_SHADOW_SUFFIXES = ("", "_data", "_idx", "_content", "_docsize", "_config")
#: FTS5 table name → base table name, for every indexed table.
FTS_TABLES: dict[str, str] = {}
#: GIN index name → base table name (PostgreSQL).
GIN_INDEXES: dict[str, str] = {}


def sqlite_fts_ddl(table: str, fts: str) -> tuple[list[str], list[str]]:
    """Return (create statements, drop statements) for the FTS5 index *fts* over ``table.search_text``.

    The index has external content (``content=table``, ``content_rowid=id``), so the text is
    stored once; triggers mirror inserts, updates of ``search_text`` and deletes.
    """
    create = [
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='{table}', content_rowid='id', tokenize='unicode61')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF search_text ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]
    drop = [f"DROP TRIGGER IF EXISTS {fts}_{suffix}" for suffix in ("ai", "ad", "au")] + [f"DROP TABLE IF EXISTS {fts}"]
    return create, drop


def postgresql_gin_ddl(table: str, index: str) -> tuple[str, str]:
    """Return (create, drop) statements of the GIN index *index* on ``to_tsvector('simple', table.search_text)``."""
    return f"CREATE INDEX {index} ON {table} USING gin (to_tsvector('simple', search_text))", f"DROP INDEX IF EXISTS {index}"


def index_table(table: Table, fts: str, gin_index: str) -> None:
    """Give *table* (with ``id`` and ``search_text`` columns) its full-text index.

    ``metadata.create_all`` then creates, after the table, the FTS5 table *fts* and its
    triggers on SQLite or the GIN index *gin_index* on PostgreSQL, and ``drop_all`` removes
    them first. Neither is in the model metadata: Alembic cannot compare an expression index
    on SQLite, nor FTS5 tables at all; migrations write the same DDL by hand.
    """
    FTS_TABLES[fts] = table.name
    GIN_INDEXES[gin_index] = table.name
    gin_create, gin_drop = postgresql_gin_ddl(table.name, gin_index)
    event.listen(table, "after_create", DDL(gin_create).execute_if(dialect="postgresql"))
    event.listen(table, "before_drop", DDL(gin_drop).execute_if(dialect="postgresql"))
    create, drop = sqlite_fts_ddl(table.name, fts)
    for statement in create:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in drop:
        event.listen(table, "before_drop", DDL(statement).execute_if(dialect="sqlite"))


def is_fts_table(name: str) -> bool:
    """Return whether *name* is an FTS5 index or one of its shadow tables."""
    return any(name == fts + suffix for fts in FTS_TABLES for suffix in FTS_SHADOW_SUFFIXES)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic ``include_object`` hook: leave the hand-written search objects out of comparisons.

    They are the FTS5 tables with their shadow tables (SQLite) and the GIN expression
    indexes (PostgreSQL), all written by hand in migrations.
    """
    if type_ == "table" and name and is_fts_table(name):
        return False
    return not (type_ == "index" and name in GIN_INDEXES)


def _fts5_phrase(tokens: tuple[str, ...]) -> str:
    return '"' + " ".join(token.replace('"', '""') for token in tokens) + '"'


def text_match(table: Table, fts: str, query: SearchQuery, like_columns: tuple[str, ...] = ("title", "body_text")) -> ColumnElement[bool]:
    """Return the SQL condition "row of *table* matches *query*" for the bound database.

    Every phrase must match (FTS5 on SQLite, ``tsvector @@ phraseto_tsquery`` on PostgreSQL)
    and every lone character must occur in one of *like_columns*.
    """
    conditions: list[ColumnElement[bool]] = []
    if query.phrases:
        if db.session.get_bind().dialect.name == "postgresql":
            vector = func.to_tsvector(literal_column("'simple'"), table.c.search_text)
            for tokens in query.phrases:
                conditions.append(vector.op("@@")(func.phraseto_tsquery(literal_column("'simple'"), " ".join(tokens))))
        else:
            expression = " AND ".join(_fts5_phrase(tokens) for tokens in query.phrases)
            condition = text(f"{fts} MATCH :fts_query").bindparams(fts_query=expression)
            conditions.append(table.c.id.in_(select(literal_column("rowid")).select_from(text(fts)).where(condition)))
    for char in query.singles:
        pattern = f"%{char}%"
        conditions.append(or_(*(table.c[column].like(pattern) for column in like_columns)))
    return and_(*conditions)
