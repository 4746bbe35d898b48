"""site administration

Institutions can be archived (read-only, hidden from lists, invites stop working; their
certificates stay verifiable), carry a logo stored in the database (PNG or JPEG, so any web host
can serve it) and the provider details printed on their staff's certificates where allowed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('logo', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('logo_type', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('certificate_provider', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.drop_column('certificate_provider')
        batch_op.drop_column('logo_type')
        batch_op.drop_column('logo')
        batch_op.drop_column('archived_at')
