"""catalogue kept in the portal: long-term intensities, one rank and product code per region

Revision ID: 0009_catalogue_history
Revises: 0008_scheme_versions
Create Date: 2026-11-29 22:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0009_catalogue_history"
down_revision = "0008_scheme_versions"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("intensity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("long_term", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_unique_constraint(batch_op.f("uq_intensity_region_id_rank"),
                                          ["region_id", "rank"])
    with op.batch_alter_table("arrangement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("region_id", sa.Integer(), nullable=True))
    # An arrangement lies in its profile's region.
    op.execute("UPDATE arrangement SET region_id = "
               "(SELECT profile.region_id FROM profile WHERE profile.id = arrangement.profile_id)")
    with op.batch_alter_table("arrangement", schema=None) as batch_op:
        batch_op.alter_column("region_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f("fk_arrangement_region_id_region"), "region",
                                    ["region_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_arrangement_region_id"), ["region_id"],
                              unique=False)
        batch_op.drop_constraint("uq_arrangement_product_category_product_code", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_arrangement_region_id_product_code"),
                                          ["region_id", "product_code"])


def downgrade():
    with op.batch_alter_table("arrangement", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_arrangement_region_id_product_code"),
                                 type_="unique")
        batch_op.create_unique_constraint("uq_arrangement_product_category_product_code",
                                          ["product_category", "product_code"])
        batch_op.drop_index(batch_op.f("ix_arrangement_region_id"))
        batch_op.drop_constraint(batch_op.f("fk_arrangement_region_id_region"),
                                 type_="foreignkey")
        batch_op.drop_column("region_id")
    with op.batch_alter_table("intensity", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_intensity_region_id_rank"), type_="unique")
        batch_op.drop_column("long_term")
