"""timeliness: answer due days and working days to an answer, for the municipal timeliness

Revision ID: 0021_timeliness
Revises: 0019_figures_store
Create Date: 2026-11-30 01:10:00

"""
from alembic import op
import sqlalchemy as sa

from portal.domain.timeliness import answer_working_days
from portal.domain.working_days import answer_due
from portal.formatting import AMSTERDAM
from portal.models.types import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0021_timeliness"
down_revision = "0018_notifications"
branch_labels = None
depends_on = None

REQUESTS = ("change_request", "allocation_request")


def _backfill_requests(bind, name: str) -> None:
    table = sa.table(name, sa.column("id", sa.Integer()),
                     sa.column("requested_at", UTCDateTime()),
                     sa.column("decided_at", UTCDateTime()), sa.column("due_on", sa.Date()),
                     sa.column("answered_working_days", sa.Integer()))
    rows = bind.execute(sa.select(table.c.id, table.c.requested_at, table.c.decided_at)).all()
    for row_id, requested_at, decided_at in rows:
        bind.execute(table.update().where(table.c.id == row_id).values(
            due_on=answer_due(requested_at.astimezone(AMSTERDAM).date()),
            answered_working_days=(None if decided_at is None
                                   else answer_working_days(requested_at, decided_at))))


def _backfill_lines(bind) -> None:
    line = sa.table("declaration_line", sa.column("id", sa.Integer()),
                    sa.column("declaration_id", sa.Integer()),
                    sa.column("decided_at", UTCDateTime()),
                    sa.column("answered_working_days", sa.Integer()))
    declaration = sa.table("declaration", sa.column("id", sa.Integer()),
                           sa.column("submitted_at", UTCDateTime()))
    rows = bind.execute(
        sa.select(line.c.id, declaration.c.submitted_at, line.c.decided_at)
        .join(declaration, declaration.c.id == line.c.declaration_id)
        .where(line.c.decided_at.is_not(None), declaration.c.submitted_at.is_not(None))).all()
    for row_id, submitted_at, decided_at in rows:
        bind.execute(line.update().where(line.c.id == row_id).values(
            answered_working_days=answer_working_days(submitted_at, decided_at)))


def upgrade():
    for name in REQUESTS:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column("due_on", sa.Date(), nullable=True))
            batch_op.add_column(sa.Column("answered_working_days", sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f"ix_{name}_due_on"), ["due_on"], unique=False)
    with op.batch_alter_table("declaration_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answered_working_days", sa.Integer(), nullable=True))
        batch_op.create_index("ix_declaration_line_due_on", ["due_on"], unique=False)
    bind = op.get_bind()
    for name in REQUESTS:
        _backfill_requests(bind, name)
    _backfill_lines(bind)


def downgrade():
    with op.batch_alter_table("declaration_line", schema=None) as batch_op:
        batch_op.drop_index("ix_declaration_line_due_on")
        batch_op.drop_column("answered_working_days")
    for name in reversed(REQUESTS):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{name}_due_on"))
            batch_op.drop_column("answered_working_days")
            batch_op.drop_column("due_on")
