"""Indexes for the keyset lists at national scale (docs/performance.md)

Revision ID: 0006_performance
Revises: 0004_declarations
Create Date: 2026-11-23 17:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0006_performance"
down_revision = "0004_declarations"
branch_labels = None
depends_on = None

# name, table, columns: each matches a list's filter and its keyset order.
INDEXES = (
    # The trajectory list without a status filter: newest first per provider / municipality.
    ("ix_trajectory_provider_keyset", "trajectory", ["provider_id", "id"]),
    ("ix_trajectory_municipality_keyset", "trajectory", ["municipality_id", "id"]),
    # The review queue filtered on one provider, by due date (overdue first).
    ("ix_declaration_line_queue_provider", "declaration_line",
     ["municipality_id", "provider_id", "status", "due_on", "id"]),
)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
