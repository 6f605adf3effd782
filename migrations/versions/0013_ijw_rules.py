"""ijw rules: the client's address and phone, the referrer's code and name on a request, and
the moment each version of an allocation was decided

Revision ID: 0013_ijw_rules
Revises: 0009_catalogue_history
Create Date: 2026-11-29 22:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013_ijw_rules"
down_revision = "0009_catalogue_history"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.add_column(sa.Column("street", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("house_number", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("house_number_addition", sa.String(length=4),
                                      nullable=True))
        batch_op.add_column(sa.Column("postcode", sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column("city", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("phone", sa.String(length=15), nullable=True))
    with op.batch_alter_table("allocation_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("referrer_code", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("referrer_name", sa.String(length=64), nullable=True))
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("allocated_at", sa.DateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table("ijw_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dagtekening", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("declaration_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_ijw_message_declaration_id_declaration"),
                                    "declaration", ["declaration_id"], ["id"],
                                    ondelete="SET NULL")
        batch_op.create_index(batch_op.f("ix_ijw_message_declaration_id"), ["declaration_id"],
                              unique=False)
    # The versions so far: decided when made.
    op.execute("UPDATE allocation SET allocated_at = created_at")
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.alter_column("allocated_at", existing_type=sa.DateTime(timezone=True),
                              nullable=False)


def downgrade():
    with op.batch_alter_table("ijw_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ijw_message_declaration_id"))
        batch_op.drop_constraint(batch_op.f("fk_ijw_message_declaration_id_declaration"),
                                 type_="foreignkey")
        batch_op.drop_column("declaration_id")
        batch_op.drop_column("dagtekening")
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.drop_column("allocated_at")
    with op.batch_alter_table("allocation_request", schema=None) as batch_op:
        batch_op.drop_column("referrer_name")
        batch_op.drop_column("referrer_code")
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_column("phone")
        batch_op.drop_column("city")
        batch_op.drop_column("postcode")
        batch_op.drop_column("house_number_addition")
        batch_op.drop_column("house_number")
        batch_op.drop_column("street")
