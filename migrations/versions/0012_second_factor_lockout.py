"""second factor: a cumulative lockout after wrong codes, the enrolment secret on the server

Revision ID: 0012_second_factor_lockout
Revises: 0014_ijw_door
Create Date: 2026-11-29 22:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012_second_factor_lockout"
down_revision = "0014_ijw_door"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_pending_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("second_factor_failures", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("second_factor_locked_at", sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("second_factor_locked_at")
        batch_op.drop_column("second_factor_failures")
        batch_op.drop_column("totp_pending_secret")
