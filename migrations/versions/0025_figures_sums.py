"""figures sums: each region's facts version and the store's aggregates kept per region,
period, grouping and day

Revision ID: 0025_figures_sums
Revises: 0019_figures_store
Create Date: 2026-11-30 04:10:00

Both start empty: a region without a version row is at version 0, and the refresh job (or
the first request) computes the aggregates.
"""
from alembic import op
import sqlalchemy as sa

from portal.models.types import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0025_figures_sums"
down_revision = "0019_figures_store"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "figures_version",
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"],
                                name=op.f("fk_figures_version_region_id_region")),
        sa.PrimaryKeyConstraint("region_id", name=op.f("pk_figures_version")),
    )
    op.create_table(
        "figures_sum",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("grouping", sa.String(length=20), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sums", sa.JSON(), nullable=False),
        sa.Column("computed_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"],
                                name=op.f("fk_figures_sum_region_id_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figures_sum")),
        sa.UniqueConstraint("region_id", "grouping", "period_start", "period_end", "as_of",
                            name=op.f("uq_figures_sum_region_id_grouping_period_start_"
                                      "period_end_as_of")),
    )


def downgrade():
    op.drop_table("figures_sum")
    op.drop_table("figures_version")
