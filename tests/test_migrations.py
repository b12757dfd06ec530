"""Migrations (Flask-Migrate/Alembic): ``flask db upgrade`` builds exactly the schema the models declare.

Each test migrates a database of its own: a SQLite file under ``tmp_path``, and, when
``QUIZAPP_TEST_DATABASE_URL`` names PostgreSQL, a ``quizapp_migration_test`` database
created and dropped on that server (the shared test database is never touched).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from quizapp import config as settings  # a module import: pytest would try to collect TestingConfig as a test class
from quizapp import create_app
from quizapp.extensions import db
from quizapp.search.fulltext import include_object, is_fts_table
from tests.conftest import ON_POSTGRES

MIGRATION_DB = "quizapp_migration_test"


@pytest.fixture
def keep_logging() -> Iterator[None]:
    """Undo what ``migrations/env.py``'s ``fileConfig`` does to logging, so later tests see it unchanged."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    loggers = {
        name: (lg.disabled, lg.level, lg.handlers[:], lg.propagate)
        for name, lg in logging.root.manager.loggerDict.items()
        if isinstance(lg, logging.Logger)
    }
    yield
    root.handlers[:], root.level = handlers, level
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if not isinstance(logger, logging.Logger):
            continue
        if name in loggers:
            logger.disabled, logger.level, logger.handlers[:], logger.propagate = loggers[name]
        else:
            logger.disabled = False


@contextmanager
def _postgres_database() -> Iterator[str]:
    """Create an empty ``quizapp_migration_test`` on the test server; drop it afterwards."""
    server = make_url(os.environ["QUIZAPP_TEST_DATABASE_URL"])
    admin_dsn = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {MIGRATION_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {MIGRATION_DB}")
    try:
        yield server.set(database=MIGRATION_DB).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {MIGRATION_DB} WITH (FORCE)")


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=[pytest.mark.postgres, pytest.mark.skipif(not ON_POSTGRES, reason="QUIZAPP_TEST_DATABASE_URL does not name PostgreSQL")],
        ),
    ]
)
def fresh_app(request, tmp_path, keep_logging):
    """An app bound to a new, empty database of the parametrised backend."""
    database = nullcontext(f"sqlite:///{tmp_path / 'migrated.sqlite3'}") if request.param == "sqlite" else _postgres_database()
    with database as url:
        config = settings.TestingConfig()
        config.SQLALCHEMY_DATABASE_URI = url
        application = create_app(config)
        with application.app_context():
            yield application
            db.session.remove()
            db.engine.dispose()  # before DROP DATABASE, and so no connection outlives the test


def table_names() -> set[str]:
    """The tables in the database, without the FTS5 search tables the migrations write by hand."""
    return {name for name in inspect(db.engine).get_table_names() if not is_fts_table(name)}


def compare_options() -> dict:
    """The comparison ``flask db check`` makes (``migrations/env.py`` passes the same ``include_object``)."""
    return {"compare_type": True, "include_object": include_object}


def test_upgrade_creates_every_model_table(fresh_app):
    assert inspect(db.engine).get_table_names() == []
    upgrade()
    assert table_names() == set(db.metadata.tables) | {"alembic_version"}


def test_migrations_match_the_models(fresh_app):
    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=compare_options())
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_downgrade_to_base_removes_every_model_table_and_upgrade_restores_them(fresh_app):
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
    upgrade()
    assert table_names() == set(db.metadata.tables) | {"alembic_version"}


def test_model_comparison_notices_a_schema_drift(fresh_app):
    """The no-difference test above can fail: a dropped index shows up as a difference."""
    upgrade()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP INDEX ix_question_draw")
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts=compare_options()), db.metadata)
    assert [(kind, index.name) for kind, index in differences] == [("add_index", "ix_question_draw")]


def test_competitions_from_before_the_publication_state_stay_published(fresh_app):
    """``is_published`` arrives with server default true: rows already public stay public."""
    upgrade(revision="021ac9b2c1c8")
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO competition (slug, title, description, starts_at, time_limit_s, attempts_allowed, pass_mark,"
            " partial_credit_multiple, organizations, allow_other_organization, default_points, paper_rule,"
            " shuffle_questions, shuffle_options, source_hash, created_at)"
            " VALUES ('old', '旧竞赛', '', '2026-06-01 01:00:00+00:00', 900, 1, 60, false, '[]', true, '{}', '{}',"
            " true, true, '', '2026-05-01 01:00:00+00:00')"
        )
    upgrade()
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT slug, is_published FROM competition").all() == [("old", True)]
