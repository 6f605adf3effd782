"""figures pages: the dashboards' rendered figures kept per region, provider, period,
grouping, day, language and canonical query arguments

Revision ID: 0026_figures_pages
Revises: 0025_figures_sums
Create Date: 2026-11-30 08:00:00

Starts empty: the refresh job (or the first request) renders the pages.
"""
from alembic import op
import sqlalchemy as sa

from portal.models.types import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0026_figures_pages"
down_revision = "0025_figures_sums"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "figures_page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("grouping", sa.String(length=20), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("args", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("rendered_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"],
                                name=op.f("fk_figures_page_region_id_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figures_page")),
        sa.UniqueConstraint("region_id", "provider_id", "grouping", "period_start",
                            "period_end", "as_of", "locale", "args",
                            name=op.f("uq_figures_page_key")),
    )


def downgrade():
    op.drop_table("figures_page")
