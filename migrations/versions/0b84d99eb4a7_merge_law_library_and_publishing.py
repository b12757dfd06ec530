"""merge law library and publishing

The law library (f102e9c937b8) and the publishing tables (4897478c5a45) were
written in parallel from the initial schema; this joins the two heads.

Revision ID: 0b84d99eb4a7
Revises: 4897478c5a45, f102e9c937b8
Create Date: 2026-11-29 20:56:39.760422

"""


# revision identifiers, used by Alembic.
revision = '0b84d99eb4a7'
down_revision = ('4897478c5a45', 'f102e9c937b8')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
