"""law library and practice: laws, versions, divisions, articles; learners and their mistake books

Revision ID: f102e9c937b8
Revises: 346082f369b4
Create Date: 2026-11-29 20:32:46.553930

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from quizapp.core.types import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'f102e9c937b8'
down_revision = '346082f369b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('law',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=200), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_law')),
    sa.UniqueConstraint('short_name', name=op.f('uq_law_short_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_law_slug')),
    sa.UniqueConstraint('title', name=op.f('uq_law_title'))
    )
    op.create_table('learner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learner')),
    sa.UniqueConstraint('key', name=op.f('uq_learner_key'))
    )
    op.create_table('law_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('law_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('notes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('revision', sa.Text(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('source_file', sa.String(length=255), nullable=False),
    sa.Column('revised_on', sa.Date(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('is_superseded', sa.Boolean(), nullable=False),
    sa.Column('superseded_at', UTCDateTime(), nullable=True),
    sa.Column('imported_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['law_id'], ['law.id'], name=op.f('fk_law_version_law_id_law'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_law_version')),
    sa.UniqueConstraint('law_id', 'content_hash', name='uq_law_version_content'),
    sa.UniqueConstraint('law_id', 'number', name=op.f('uq_law_version_law_id'))
    )
    with op.batch_alter_table('law_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_law_version_law_id'), ['law_id'], unique=False)

    op.create_table('mistake_book_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('wrong_count', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('last_wrong_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learner.id'], name=op.f('fk_mistake_book_entry_learner_id_learner'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_mistake_book_entry_question_id_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mistake_book_entry')),
    sa.UniqueConstraint('learner_id', 'question_id', name='uq_mistake_book_entry')
    )
    with op.batch_alter_table('mistake_book_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mistake_book_entry_question_id'), ['question_id'], unique=False)

    op.create_table('law_division',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['law_division.id'], name=op.f('fk_law_division_parent_id_law_division'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['law_version.id'], name=op.f('fk_law_division_version_id_law_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_law_division')),
    sa.UniqueConstraint('version_id', 'position', name=op.f('uq_law_division_version_id'))
    )
    with op.batch_alter_table('law_division', schema=None) as batch_op:
        batch_op.create_index('ix_law_division_kind', ['version_id', 'kind', 'ordinal'], unique=False)

    op.create_table('law_article',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('suffix', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=True),
    sa.Column('chapter_id', sa.Integer(), nullable=True),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['chapter_id'], ['law_division.id'], name=op.f('fk_law_article_chapter_id_law_division'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['part_id'], ['law_division.id'], name=op.f('fk_law_article_part_id_law_division'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['section_id'], ['law_division.id'], name=op.f('fk_law_article_section_id_law_division'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['version_id'], ['law_version.id'], name=op.f('fk_law_article_version_id_law_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_law_article')),
    sa.UniqueConstraint('version_id', 'number', 'suffix', name='uq_law_article_number'),
    sa.UniqueConstraint('version_id', 'position', name=op.f('uq_law_article_version_id'))
    )
    with op.batch_alter_table('law_article', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_law_article_chapter_id'), ['chapter_id'], unique=False)



def downgrade():
    with op.batch_alter_table('law_article', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_law_article_chapter_id'))
    op.drop_table('law_article')
    with op.batch_alter_table('law_division', schema=None) as batch_op:
        batch_op.drop_index('ix_law_division_kind')
    op.drop_table('law_division')
    with op.batch_alter_table('mistake_book_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mistake_book_entry_question_id'))
    op.drop_table('mistake_book_entry')
    with op.batch_alter_table('law_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_law_version_law_id'))
    op.drop_table('law_version')
    op.drop_table('learner')
    op.drop_table('law')
