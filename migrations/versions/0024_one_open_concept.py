"""one open concept per provider, municipality and month: parallel credits meet in one
correction concept; concepts a race left doubled are merged into the oldest

Revision ID: 0024_one_open_concept
Revises: 0022_conversations
Create Date: 2026-11-30 02:00:00

"""
from alembic import op
import sqlalchemy as sa

from portal.models.types import UTCDateTime, utcnow

# revision identifiers, used by Alembic.
revision = "0024_one_open_concept"
down_revision = "0022_conversations"
branch_labels = None
depends_on = None

OPEN_CONCEPT = sa.text("status = 'concept'")
MONTH = ("provider_id", "municipality_id", "period")

declaration = sa.table("declaration", sa.column("id", sa.Integer()),
                       sa.column("number", sa.String()), sa.column("status", sa.String()),
                       *(sa.column(name) for name in MONTH))
line = sa.table("declaration_line", sa.column("id", sa.Integer()),
                sa.column("declaration_id", sa.Integer()))
audit_event = sa.table("audit_event", sa.column("at", UTCDateTime()),
                       sa.column("action", sa.String()), sa.column("object_type", sa.String()),
                       sa.column("object_id", sa.Integer()), sa.column("before", sa.JSON()),
                       sa.column("after", sa.JSON()))


def _merge_doubled_concepts(bind) -> None:
    """Before the index, two parallel credits could each open a concept for the same month.
    Their lines go to the oldest concept of the month (a concept's lines are all concept
    lines of that provider, municipality and month); the emptied concept is removed, and the
    audit trail says so."""
    concepts = bind.execute(
        sa.select(declaration.c.id, declaration.c.number, *(declaration.c[n] for n in MONTH))
        .where(declaration.c.status == "concept").order_by(declaration.c.id)).all()
    kept = {}
    for concept in concepts:
        month = tuple(concept[2:])
        if month not in kept:
            kept[month] = concept
            continue
        into = kept[month]
        bind.execute(line.update().where(line.c.declaration_id == concept.id)
                     .values(declaration_id=into.id))
        bind.execute(audit_event.insert().values(
            at=utcnow(), action="declaration.merged", object_type="declaration",
            object_id=concept.id, before={"number": concept.number},
            after={"merged_into": into.number}))
        bind.execute(declaration.delete().where(declaration.c.id == concept.id))


def upgrade():
    _merge_doubled_concepts(op.get_bind())
    with op.batch_alter_table("declaration", schema=None) as batch_op:
        batch_op.create_index("uq_declaration_open_concept", list(MONTH), unique=True,
                              sqlite_where=OPEN_CONCEPT, postgresql_where=OPEN_CONCEPT)


def downgrade():
    with op.batch_alter_table("declaration", schema=None) as batch_op:
        batch_op.drop_index("uq_declaration_open_concept", sqlite_where=OPEN_CONCEPT,
                            postgresql_where=OPEN_CONCEPT)
