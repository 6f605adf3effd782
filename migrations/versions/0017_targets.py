"""targets: agreed values per indicator and period on a contract

Revision ID: 0017_targets
Revises: 0015_jobs
Create Date: 2026-11-29 23:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017_targets"
down_revision = "0015_jobs"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "contract_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("comparison", sa.String(length=2), nullable=False),
        sa.Column("value_tenths", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("comparison IN ('ge', 'le')",
                           name=op.f("ck_contract_target_comparison_known")),
        sa.CheckConstraint("quarter BETWEEN 0 AND 4",
                           name=op.f("ck_contract_target_quarter_of_year")),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"], ondelete="CASCADE",
                                name=op.f("fk_contract_target_contract_id_contract")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"],
                                name=op.f("fk_contract_target_created_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_target")),
        sa.UniqueConstraint("contract_id", "indicator", "year", "quarter",
                            name=op.f("uq_contract_target_contract_id_indicator_year_quarter")),
    )
    with op.batch_alter_table("contract_target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_target_contract_id"), ["contract_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("contract_target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_target_contract_id"))
    op.drop_table("contract_target")
