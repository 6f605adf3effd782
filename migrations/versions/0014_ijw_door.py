"""ijw door: API tokens of providers and municipalities for the machine door, and the
content of the answer messages the portal writes, and what receivers refused of the
messages the portal sent

Revision ID: 0014_ijw_door
Revises: 0010_walls_validity
Create Date: 2026-11-29 22:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0014_ijw_door"
down_revision = "0010_walls_validity"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(CASE WHEN provider_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN municipality_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_api_token_one_organisation")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"],
                                name=op.f("fk_api_token_created_by_id_user")),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipality.id"],
                                name=op.f("fk_api_token_municipality_id_municipality")),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"],
                                name=op.f("fk_api_token_provider_id_provider")),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["user.id"],
                                name=op.f("fk_api_token_revoked_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_municipality_id"), ["municipality_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_api_token_provider_id"), ["provider_id"],
                              unique=False)
    with op.batch_alter_table("ijw_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content", sa.LargeBinary(), nullable=True))
    op.create_table(
        "ijw_refusal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("allocation_id", sa.Integer(), nullable=True),
        sa.Column("allocation_request_id", sa.Integer(), nullable=True),
        sa.Column("change_request_id", sa.Integer(), nullable=True),
        sa.Column("declaration_line_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["allocation_id"], ["allocation.id"],
                                name=op.f("fk_ijw_refusal_allocation_id_allocation")),
        sa.ForeignKeyConstraint(
            ["allocation_request_id"], ["allocation_request.id"],
            name=op.f("fk_ijw_refusal_allocation_request_id_allocation_request")),
        sa.ForeignKeyConstraint(["message_id"], ["ijw_message.id"],
                                name=op.f("fk_ijw_refusal_message_id_ijw_message")),
        sa.ForeignKeyConstraint(["change_request_id"], ["change_request.id"],
                                name=op.f("fk_ijw_refusal_change_request_id_change_request")),
        sa.ForeignKeyConstraint(
            ["declaration_line_id"], ["declaration_line.id"],
            name=op.f("fk_ijw_refusal_declaration_line_id_declaration_line"),
            ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ijw_refusal")),
    )
    with op.batch_alter_table("ijw_refusal", schema=None) as batch_op:
        for column in ("allocation_id", "allocation_request_id", "message_id",
                       "change_request_id", "declaration_line_id"):
            batch_op.create_index(batch_op.f(f"ix_ijw_refusal_{column}"), [column],
                                  unique=False)


def downgrade():
    op.drop_table("ijw_refusal")
    with op.batch_alter_table("ijw_message", schema=None) as batch_op:
        batch_op.drop_column("content")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_provider_id"))
        batch_op.drop_index(batch_op.f("ix_api_token_municipality_id"))
    op.drop_table("api_token")
