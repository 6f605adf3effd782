"""declarations: planned end of an allocation, the declared product of a line

Revision ID: 0004_declarations
Revises: 0003_results
Create Date: 2026-11-23 14:04:20.251161

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0004_declarations"
down_revision = "0003_results"
branch_labels = None
depends_on = None

# SQLite: AUTOINCREMENT, so ids of removed concepts and lines are never reused (the audit
# trail points at them). Batch mode rebuilds these tables on SQLite, so every batch on them
# passes it; PostgreSQL sequences never reuse an id and ignore the option.
AUTOINCREMENT = {"sqlite_autoincrement": True}


def upgrade():
    # New columns are added nullable, filled from the existing rows, then made required.
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("planned_end_date", sa.Date(), nullable=True))
    op.execute("UPDATE allocation SET planned_end_date = end_date")
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.alter_column("planned_end_date", existing_type=sa.Date(), nullable=False)

    with op.batch_alter_table("declaration", recreate=_recreate(),
                              table_kwargs=AUTOINCREMENT):
        pass

    with op.batch_alter_table("declaration_line", table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.add_column(sa.Column("product_category", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("product_code", sa.String(length=5), nullable=True))
    op.execute(
        "UPDATE declaration_line SET "
        "product_category = (SELECT arrangement.product_category FROM allocation JOIN arrangement"
        " ON arrangement.id = allocation.arrangement_id"
        " WHERE allocation.id = declaration_line.allocation_id), "
        "product_code = (SELECT arrangement.product_code FROM allocation JOIN arrangement"
        " ON arrangement.id = allocation.arrangement_id"
        " WHERE allocation.id = declaration_line.allocation_id)"
    )
    with op.batch_alter_table("declaration_line", recreate=_recreate(),
                              table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.alter_column("product_category", existing_type=sa.String(length=2),
                              nullable=False)
        batch_op.alter_column("product_code", existing_type=sa.String(length=5), nullable=False)
        batch_op.create_index("ix_declaration_line_queue_amount",
                              ["municipality_id", "status", "amount_cents", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("declaration_line", schema=None) as batch_op:
        batch_op.drop_index("ix_declaration_line_queue_amount")
        batch_op.drop_column("product_code")
        batch_op.drop_column("product_category")

    with op.batch_alter_table("declaration", recreate=_recreate()):
        pass

    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.drop_column("planned_end_date")


def _recreate() -> str:
    """Rebuild on SQLite (to add or drop AUTOINCREMENT); never on PostgreSQL."""
    return "auto" if op.get_bind().dialect.name == "postgresql" else "always"
