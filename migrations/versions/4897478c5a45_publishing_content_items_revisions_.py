"""publishing: content items, revisions, audit log, job heartbeat; full-text index

content_item.live_revision_id and content_revision.item_id reference each other:
SQLite accepts the forward reference inline; PostgreSQL gets the constraint added
once both tables exist. The search index is written by hand per dialect: an FTS5
table with triggers on SQLite, a GIN index on to_tsvector('simple', search_text) on
PostgreSQL (see quizapp/search/fulltext.py; env.py keeps autogenerate away from FTS5).

Revision ID: 4897478c5a45
Revises: 346082f369b4
Create Date: 2026-11-29 20:32:27.355929

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from quizapp.core.types import UTCDateTime
from quizapp.search.fulltext import postgresql_gin_ddl, sqlite_fts_ddl

# revision identifiers, used by Alembic.
revision = '4897478c5a45'
down_revision = '346082f369b4'
branch_labels = None
depends_on = None

FTS = 'content_item_fts'
GIN_INDEX = 'ix_content_item_search_text'
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def _is_sqlite():
    return op.get_bind().dialect.name == 'sqlite'


def _live_revision_fk():
    if not _is_sqlite():
        return []
    return [sa.ForeignKeyConstraint(['live_revision_id'], ['content_revision.id'], name='fk_content_item_live_revision', use_alter=True)]


def upgrade():
    op.create_table('content_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('publish_at', UTCDateTime(), nullable=True),
    sa.Column('expire_at', UTCDateTime(), nullable=True),
    sa.Column('published_at', UTCDateTime(), nullable=True),
    sa.Column('live_revision_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('dated', sa.Date(), nullable=True),
    sa.Column('industry', sa.String(length=60), nullable=True),
    sa.Column('category', sa.String(length=120), nullable=True),
    sa.Column('period', sa.String(length=7), nullable=True),
    sa.Column('is_featured', sa.Boolean(), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    *_live_revision_fk(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_item')),
    sa.UniqueConstraint('kind', 'period', name='uq_content_item_kind_period'),
    sa.UniqueConstraint('uid', name=op.f('uq_content_item_uid'))
    )
    with op.batch_alter_table('content_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_item_category'), ['category'], unique=False)
        batch_op.create_index('ix_content_item_due', ['status', 'publish_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_content_item_industry'), ['industry'], unique=False)
        batch_op.create_index('ix_content_item_listing', ['kind', 'dated'], unique=False)

    op.create_table('job_heartbeat',
    sa.Column('job_id', sa.String(length=80), nullable=False),
    sa.Column('ran_at', UTCDateTime(), nullable=False),
    sa.Column('result', JSON_DOC, nullable=False),
    sa.PrimaryKeyConstraint('job_id', name=op.f('pk_job_heartbeat'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('from_state', sa.String(length=12), nullable=True),
    sa.Column('to_state', sa.String(length=12), nullable=True),
    sa.Column('detail', sa.String(length=300), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['content_item.id'], name=op.f('fk_audit_log_item_id_content_item'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_item', ['item_id', 'at'], unique=False)

    op.create_table('content_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content', JSON_DOC, nullable=False),
    sa.Column('listing', JSON_DOC, nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['content_item.id'], name=op.f('fk_content_revision_item_id_content_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_revision')),
    sa.UniqueConstraint('item_id', 'number', name='uq_content_revision_item_id')
    )
    with op.batch_alter_table('content_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_revision_item_id'), ['item_id'], unique=False)

    if _is_sqlite():
        for statement in sqlite_fts_ddl('content_item', FTS)[0]:
            op.execute(statement)
    else:
        op.create_foreign_key('fk_content_item_live_revision', 'content_item', 'content_revision', ['live_revision_id'], ['id'])
        op.execute(postgresql_gin_ddl('content_item', GIN_INDEX)[0])


def downgrade():
    if _is_sqlite():
        for statement in sqlite_fts_ddl('content_item', FTS)[1]:
            op.execute(statement)
    else:
        op.execute(postgresql_gin_ddl('content_item', GIN_INDEX)[1])
        op.drop_constraint('fk_content_item_live_revision', 'content_item', type_='foreignkey')
    with op.batch_alter_table('content_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_revision_item_id'))

    op.drop_table('content_revision')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_item')

    op.drop_table('audit_log')
    op.drop_table('job_heartbeat')
    with op.batch_alter_table('content_item', schema=None) as batch_op:
        batch_op.drop_index('ix_content_item_listing')
        batch_op.drop_index(batch_op.f('ix_content_item_industry'))
        batch_op.drop_index('ix_content_item_due')
        batch_op.drop_index(batch_op.f('ix_content_item_category'))

    op.drop_table('content_item')
