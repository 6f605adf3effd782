"""notifications: per-user e-mail preferences and the notices waiting to be mailed

Revision ID: 0018_notifications
Revises: 0017_targets
Create Date: 2026-11-30 00:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0018_notifications"
down_revision = "0017_targets"
branch_labels = None
depends_on = None

KINDS = ("'new_allocation', 'request_answered', 'line_rejected', 'answer_overdue', "
         "'measurement_due'")


def upgrade():
    op.create_table(
        "notification_preference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.CheckConstraint(f"kind IN ({KINDS})",
                           name=op.f("ck_notification_preference_kind_known")),
        sa.CheckConstraint("mode IN ('immediate', 'digest', 'off')",
                           name=op.f("ck_notification_preference_mode_known")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE",
                                name=op.f("fk_notification_preference_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_preference")),
        sa.UniqueConstraint("user_id", "kind",
                            name=op.f("uq_notification_preference_user_id_kind")),
    )
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("object_ref", sa.String(length=40), nullable=False),
        sa.Column("digest", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(f"kind IN ({KINDS})", name=op.f("ck_notice_kind_known")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE",
                                name=op.f("fk_notice_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
        sa.UniqueConstraint("user_id", "kind", "object_ref",
                            name=op.f("uq_notice_user_id_kind_object_ref")),
    )
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_sent_at"), ["sent_at"], unique=False)


def downgrade():
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_sent_at"))
    op.drop_table("notice")
    op.drop_table("notification_preference")
