"""export jobs

``export_job``: a results export built in the background for a large competition (who asked,
masked or full numbers, the list's filters, status, when, size, error); ``export_chunk``: the
finished .xlsx file in pieces of at most 1 MiB, so any app instance can serve it and neither
writing nor reading it holds the whole file in memory (quizapp.contests.export_jobs).

Revision ID: 021ac9b2c1c8
Revises: 8a62aa610d62
Create Date: 2026-11-30 02:35:03.075785

"""
from alembic import op
import sqlalchemy as sa
import quizapp.core.types  # noqa: F401  (UTCDateTime columns)
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '021ac9b2c1c8'
down_revision = '8a62aa610d62'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('export_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('is_full', sa.Boolean(), nullable=False),
    sa.Column('filters', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('requested_by', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', quizapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', quizapp.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', quizapp.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_export_job_competition_id_competition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_job'))
    )
    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.create_index('ix_export_job_competition', ['competition_id', 'created_at'], unique=False)
        batch_op.create_index('ix_export_job_status', ['status', 'created_at'], unique=False)

    op.create_table('export_chunk',
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['export_job.id'], name=op.f('fk_export_chunk_job_id_export_job'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('job_id', 'position', name=op.f('pk_export_chunk'))
    )


def downgrade():
    op.drop_table('export_chunk')
    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.drop_index('ix_export_job_status')
        batch_op.drop_index('ix_export_job_competition')

    op.drop_table('export_job')
