"""daily usage counters

``daily_usage``: one counter per (day in Asia/Shanghai, metric), raised by the law
article page and by practice answers, for the year's figures (quizapp.reports.usage).

Revision ID: cbec1752c630
Revises: 2a512a859ee6
Create Date: 2026-11-29 22:43:18.602840

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cbec1752c630'
down_revision = '2a512a859ee6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('daily_usage',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('metric', sa.String(length=40), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'metric', name=op.f('pk_daily_usage'))
    )


def downgrade():
    op.drop_table('daily_usage')
