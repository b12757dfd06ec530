"""content workflow: pending revision and item presence

A published item keeps its live revision while a newer one waits for review or for
``pending_publish_at``; ``item_presence`` records who has an item's edit page open.
On SQLite the columns are added with ALTER TABLE (no rebuild, which would drop the FTS triggers).

Revision ID: 0010cbc7015a
Revises: 00e58146d0af
Create Date: 2026-11-29 22:49:13.964099

"""
from alembic import op
import sqlalchemy as sa
import quizapp.core.types  # noqa: F401  (UTCDateTime columns)
from quizapp.search.fulltext import sqlite_fts_ddl


# revision identifiers, used by Alembic.
revision = '0010cbc7015a'
down_revision = '00e58146d0af'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('item_presence',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('seen_at', quizapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['content_item.id'], name=op.f('fk_item_presence_item_id_content_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'], name=op.f('fk_item_presence_user_id_staff_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'user_id', name=op.f('pk_item_presence'))
    )
    if op.get_bind().dialect.name == 'sqlite':
        # ALTER TABLE ADD COLUMN (a nullable column may carry its REFERENCES clause): no table rebuild,
        # so content_item keeps its rows' foreign keys and its FTS triggers
        op.execute('ALTER TABLE content_item ADD COLUMN pending_revision_id INTEGER CONSTRAINT fk_content_item_pending_revision '
                   'REFERENCES content_revision (id) ON DELETE SET NULL')
        op.add_column('content_item', sa.Column('pending_publish_at', quizapp.core.types.UTCDateTime(timezone=True), nullable=True))
        op.create_index(op.f('ix_content_item_pending_publish_at'), 'content_item', ['pending_publish_at'], unique=False)
        return
    with op.batch_alter_table('content_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_revision_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('pending_publish_at', quizapp.core.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_content_item_pending_publish_at'), ['pending_publish_at'], unique=False)
        batch_op.create_foreign_key('fk_content_item_pending_revision', 'content_revision', ['pending_revision_id'], ["id"], use_alter=True)


def downgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        _drop_fts()
    with op.batch_alter_table('content_item', schema=None) as batch_op:
        if not sqlite:  # SQLite reflects the column-level constraint without its name; the rebuild drops it with the column
            batch_op.drop_constraint('fk_content_item_pending_revision', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_content_item_pending_publish_at'))
        batch_op.drop_column('pending_publish_at')
        batch_op.drop_column('pending_revision_id')
    if sqlite:
        _create_fts()

    op.drop_table('item_presence')


def _drop_fts():
    for statement in sqlite_fts_ddl('content_item', 'content_item_fts')[1]:
        op.execute(statement)


def _create_fts():
    for statement in sqlite_fts_ddl('content_item', 'content_item_fts')[0]:
        op.execute(statement)
