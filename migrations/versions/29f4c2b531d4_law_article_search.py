"""law article search

``law_article.search_text`` (the bigram tokens of 《简称》第…条 and the article text),
filled for the articles already imported, and its full-text index written by hand per
dialect: an FTS5 table with triggers on SQLite, a GIN index on PostgreSQL (as in
4897478c5a45).

Revision ID: 29f4c2b531d4
Revises: eec6cd53ea4e
Create Date: 2026-11-29 21:51:10.406346

"""
from alembic import op
import sqlalchemy as sa

from quizapp.laws.models import article_search_text
from quizapp.search.fulltext import postgresql_gin_ddl, sqlite_fts_ddl


# revision identifiers, used by Alembic.
revision = '29f4c2b531d4'
down_revision = 'eec6cd53ea4e'
branch_labels = None
depends_on = None

FTS = 'law_article_fts'
GIN_INDEX = 'ix_law_article_search_text'


def _is_sqlite():
    return op.get_bind().dialect.name == 'sqlite'


def _backfill():
    """Write search_text for every article already imported (before the index is built)."""
    law = sa.table('law', sa.column('id'), sa.column('short_name'))
    version = sa.table('law_version', sa.column('id'), sa.column('law_id'))
    article = sa.table('law_article', sa.column('id'), sa.column('version_id'), sa.column('number'),
                       sa.column('suffix'), sa.column('text'), sa.column('search_text'))
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(article.c.id, law.c.short_name, article.c.number, article.c.suffix, article.c.text)
        .select_from(article.join(version, article.c.version_id == version.c.id).join(law, version.c.law_id == law.c.id))
    ).all()
    if rows:
        bind.execute(
            article.update().where(article.c.id == sa.bindparam('article_id')).values(search_text=sa.bindparam('tokens')),
            [{'article_id': row.id, 'tokens': article_search_text(row.short_name, row.number, row.suffix, row.text)} for row in rows],
        )


def upgrade():
    with op.batch_alter_table('law_article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))

    _backfill()
    if _is_sqlite():
        for statement in sqlite_fts_ddl('law_article', FTS)[0]:
            op.execute(statement)
    else:
        op.execute(postgresql_gin_ddl('law_article', GIN_INDEX)[0])


def downgrade():
    if _is_sqlite():
        for statement in sqlite_fts_ddl('law_article', FTS)[1]:
            op.execute(statement)
    else:
        op.execute(postgresql_gin_ddl('law_article', GIN_INDEX)[1])
    with op.batch_alter_table('law_article', schema=None) as batch_op:
        batch_op.drop_column('search_text')
