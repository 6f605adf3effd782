"""conversations: the steering conversation, its agreements and actions; notices of due actions

Revision ID: 0022_conversations
Revises: 0018_notifications
Create Date: 2026-11-30 01:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0022_conversations"
down_revision = "0021_timeliness"
branch_labels = None
depends_on = None

OLD_KINDS = ("'new_allocation', 'request_answered', 'line_rejected', 'answer_overdue', "
             "'measurement_due'")
NEW_KINDS = OLD_KINDS + ", 'action_due'"
KIND_CHECKS = (("notification_preference", "ck_notification_preference_kind_known"),
               ("notice", "ck_notice_kind_known"))


def _kinds(kinds: str) -> None:
    for table, name in KIND_CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(name), type_="check")
            batch_op.create_check_constraint(op.f(name), f"kind IN ({kinds})")


def upgrade():
    op.create_table(
        "conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("participants", sa.Text(), nullable=False),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("quarter BETWEEN 0 AND 4",
                           name=op.f("ck_conversation_quarter_of_year")),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"],
                                name=op.f("fk_conversation_contract_id_contract")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"],
                                name=op.f("fk_conversation_created_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation")),
    )
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_contract_id"), ["contract_id"],
                              unique=False)
    op.create_table(
        "agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("response", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"], ondelete="CASCADE",
                                name=op.f("fk_agreement_conversation_id_conversation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement")),
    )
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_conversation_id"), ["conversation_id"],
                              unique=False)
    op.create_table(
        "conversation_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("owner_side", sa.String(length=10), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("owner_side IN ('region', 'provider')",
                           name=op.f("ck_conversation_action_side_known")),
        sa.CheckConstraint("status IN ('open', 'done')",
                           name=op.f("ck_conversation_action_status_known")),
        sa.ForeignKeyConstraint(
            ["conversation_id"], ["conversation.id"], ondelete="CASCADE",
            name=op.f("fk_conversation_action_conversation_id_conversation")),
        sa.ForeignKeyConstraint(["done_by_id"], ["user.id"],
                                name=op.f("fk_conversation_action_done_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_action")),
    )
    with op.batch_alter_table("conversation_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_action_conversation_id"),
                              ["conversation_id"], unique=False)
        batch_op.create_index("ix_conversation_action_status_due_on", ["status", "due_on"],
                              unique=False)
    _kinds(NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM notice WHERE kind = 'action_due'")
    op.execute("DELETE FROM notification_preference WHERE kind = 'action_due'")
    _kinds(OLD_KINDS)
    op.drop_table("conversation_action")
    op.drop_table("agreement")
    op.drop_table("conversation")
