"""competition publication state

competition.is_published: new and duplicated competitions start as drafts (False) and are
hidden from the public until staff publish them; existing rows stay published (server
default true).

Revision ID: 7a0ffef05f07
Revises: 021ac9b2c1c8
Create Date: 2026-11-30 02:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a0ffef05f07'
down_revision = '021ac9b2c1c8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_published', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.drop_column('is_published')
