"""competition audience, prize settings, staff ownership

competition.audience (all/public/practitioner), prize_description, prize_threshold,
prize_winners, and staff_edited_at (set by workspace edits; content sync then reports a
conflict instead of overwriting).

Revision ID: 7b0839638c5d
Revises: 0010cbc7015a
Create Date: 2026-11-29 22:47:10.496819

"""
from alembic import op
import sqlalchemy as sa
import quizapp.core.types  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = '7b0839638c5d'
down_revision = '0010cbc7015a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience', sa.String(length=20), server_default='all', nullable=False))
        batch_op.add_column(sa.Column('prize_description', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('prize_threshold', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('prize_winners', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('staff_edited_at', quizapp.core.types.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.drop_column('staff_edited_at')
        batch_op.drop_column('prize_winners')
        batch_op.drop_column('prize_threshold')
        batch_op.drop_column('prize_description')
        batch_op.drop_column('audience')
