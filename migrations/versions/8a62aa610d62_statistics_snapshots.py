"""statistics snapshots

``statistics_snapshot``: one row per competition with its computed statistics (JSON), when
they were computed, the source fingerprint they came from and the scheduled job's claim
(quizapp.contests.statistics_store).

Revision ID: 8a62aa610d62
Revises: 678c315e5671
Create Date: 2026-11-30 02:22:02.365704

"""
from alembic import op
import sqlalchemy as sa
import quizapp.core.types  # noqa: F401  (UTCDateTime columns)
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '8a62aa610d62'
down_revision = '678c315e5671'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('statistics_snapshot',
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=200), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('computed_at', quizapp.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('compute_ms', sa.Integer(), nullable=True),
    sa.Column('claimed_until', quizapp.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_statistics_snapshot_competition_id_competition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('competition_id', name=op.f('pk_statistics_snapshot'))
    )


def downgrade():
    op.drop_table('statistics_snapshot')
