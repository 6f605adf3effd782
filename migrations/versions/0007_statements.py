"""statements: every rendering's verification record, and the kept PDF of a closed period

Revision ID: 0007_statements
Revises: 0006_performance
Create Date: 2026-11-23 16:22:56.003794

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007_statements"
down_revision = "0006_performance"
branch_labels = None
depends_on = None

STORED = sa.text("pdf IS NOT NULL")


def upgrade():
    op.create_table(
        "statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("generated_by_id", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["generated_by_id"], ["user.id"],
                                name=op.f("fk_statement_generated_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement")),
        sa.UniqueConstraint("code", name=op.f("uq_statement_code")),
    )
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statement_key"), ["key"], unique=False)
        # One kept PDF per closed period's statement, even when two downloads race.
        batch_op.create_index("uq_statement_stored_key", ["key"], unique=True,
                              sqlite_where=STORED, postgresql_where=STORED)


def downgrade():
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.drop_index("uq_statement_stored_key", sqlite_where=STORED,
                            postgresql_where=STORED)
        batch_op.drop_index(batch_op.f("ix_statement_key"))
    op.drop_table("statement")
