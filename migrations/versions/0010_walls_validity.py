"""walls and validity: extended youth care on the allocation, one declaration per provider,
municipality and month

Revision ID: 0010_walls_validity
Revises: 0007_statements
Create Date: 2026-11-29 22:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010_walls_validity"
down_revision = "0007_statements"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extended_youth_care", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table("declaration", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_declaration_provider_id_municipality_id_period"),
            ["provider_id", "municipality_id", "period"])


def downgrade():
    with op.batch_alter_table("declaration", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_declaration_provider_id_municipality_id_period"), type_="unique")
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.drop_column("extended_youth_care")
