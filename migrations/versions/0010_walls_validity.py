"""walls and validity: extended youth care and the family's choice on the allocation, one
declaration per provider, municipality and month (corrections marked apart), subcontractors
and who delivers

Revision ID: 0010_walls_validity
Revises: 0013_ijw_rules
Create Date: 2026-11-29 22:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010_walls_validity"
down_revision = "0013_ijw_rules"
branch_labels = None
depends_on = None

NOT_CORRECTION = sa.text("NOT is_correction")


def upgrade():
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extended_youth_care", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        # Existing rows: not asked, so unknown.
        batch_op.add_column(sa.Column("family_choice", sa.String(length=20), nullable=False,
                                      server_default="unknown"))
        batch_op.add_column(sa.Column("not_chosen_reason", sa.String(length=20),
                                      nullable=True))
        batch_op.add_column(sa.Column("not_chosen_text", sa.String(length=500), nullable=True))
    op.create_table(
        "subcontractor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("agb_code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], ondelete="CASCADE",
                                name=op.f("fk_subcontractor_contract_id_contract")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subcontractor")),
        sa.UniqueConstraint("contract_id", "agb_code",
                            name=op.f("uq_subcontractor_contract_id_agb_code")),
    )
    with op.batch_alter_table("subcontractor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subcontractor_contract_id"), ["contract_id"],
                              unique=False)
    with op.batch_alter_table("trajectory", schema=None) as batch_op:
        batch_op.add_column(sa.Column("delivered_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_trajectory_delivered_by_id_subcontractor"),
                                    "subcontractor", ["delivered_by_id"], ["id"])
    with op.batch_alter_table("declaration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_correction", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        # One declaration per provider, municipality and month; corrections apart.
        batch_op.create_index("uq_declaration_month", ["provider_id", "municipality_id", "period"],
                              unique=True, sqlite_where=NOT_CORRECTION,
                              postgresql_where=NOT_CORRECTION)


def downgrade():
    with op.batch_alter_table("declaration", schema=None) as batch_op:
        batch_op.drop_index("uq_declaration_month", sqlite_where=NOT_CORRECTION,
                            postgresql_where=NOT_CORRECTION)
        batch_op.drop_column("is_correction")
    with op.batch_alter_table("trajectory", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_trajectory_delivered_by_id_subcontractor"),
                                 type_="foreignkey")
        batch_op.drop_column("delivered_by_id")
    with op.batch_alter_table("subcontractor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subcontractor_contract_id"))
    op.drop_table("subcontractor")
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.drop_column("not_chosen_text")
        batch_op.drop_column("not_chosen_reason")
        batch_op.drop_column("family_choice")
        batch_op.drop_column("extended_youth_care")
