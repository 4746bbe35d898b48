"""quiz pools, review options and certificate release

Quizzes may draw their scenarios from slots (`draw`), say what the result page shows after a
failed attempt, a pass, or when attempts are used up, and release the certificate on a clear
provisional pass. Existing quizzes keep their behaviour but for the review options, whose
defaults stop revealing keyed options after a failed attempt.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 22:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz_definition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draw', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('review_failed', sa.String(length=16), nullable=False, server_default='feedback'))
        batch_op.add_column(sa.Column('review_passed', sa.String(length=16), nullable=False, server_default='answers'))
        batch_op.add_column(sa.Column('review_exhausted', sa.String(length=16), nullable=False, server_default='answers'))
        batch_op.add_column(sa.Column('release', sa.String(length=16), nullable=False, server_default='confirmed'))
    # The seed now also orders each scenario's options. Attempts made before saw the written
    # order (their scenario order is stored in scenario_version_ids), so they lose the seed.
    op.execute("UPDATE attempt SET shuffle_seed = NULL")


def downgrade():
    with op.batch_alter_table('quiz_definition', schema=None) as batch_op:
        batch_op.drop_column('release')
        batch_op.drop_column('review_exhausted')
        batch_op.drop_column('review_passed')
        batch_op.drop_column('review_failed')
        batch_op.drop_column('draw')
