"""figures store: the indicator facts per trajectory, the stale marks and the refresh time

Revision ID: 0019_figures_store
Revises: 0018_notifications
Create Date: 2026-11-30 01:10:00

The store is filled by the refresh job, not here: every existing trajectory is marked stale,
so the worker's first refresh (within a minute) builds the facts; `flask figures rebuild`
does it at once.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0019_figures_store"
down_revision = "0024_one_open_concept"
branch_labels = None
depends_on = None

COUNTS = ("satisfaction_sum", "satisfaction_count", "young_sum", "young_count", "parent_sum",
          "parent_count", "goals", "goals_achieved", "goals_partly", "cost_cents")
FLAGS = ("without_help_answered", "without_help_yes", "treatment_answered",
         "treatment_solved", "treatment_reduced", "societal_pair", "societal_improved",
         "improved_goes_to_school_or_work", "improved_grows_up_at_home",
         "improved_takes_part", "improved_is_safe", "new_start_within_window")


def _reference(table, column, target):
    return sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                   name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade():
    op.create_table(
        "trajectory_fact",
        sa.Column("trajectory_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("arrangement_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=2), nullable=True),
        sa.Column("duration_days", sa.Integer(), nullable=True),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
        *(sa.Column(name, sa.Boolean(), nullable=False) for name in FLAGS),
        sa.Column("next_start_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["trajectory_id"], ["trajectory.id"], ondelete="CASCADE",
                                name=op.f("fk_trajectory_fact_trajectory_id_trajectory")),
        *(_reference("trajectory_fact", f"{target}_id", target)
          for target in ("region", "municipality", "provider", "arrangement", "client")),
        sa.PrimaryKeyConstraint("trajectory_id", name=op.f("pk_trajectory_fact")),
    )
    with op.batch_alter_table("trajectory_fact", schema=None) as batch_op:
        batch_op.create_index("ix_trajectory_fact_region_ended", ["region_id", "ended_on"])
        batch_op.create_index("ix_trajectory_fact_region_started", ["region_id", "started_on"])
    op.create_table(
        "upscaling_fact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trajectory_id", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["trajectory_id"], ["trajectory_fact.trajectory_id"],
                                ondelete="CASCADE",
                                name=op.f("fk_upscaling_fact_trajectory_id_trajectory_fact")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upscaling_fact")),
    )
    with op.batch_alter_table("upscaling_fact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_upscaling_fact_trajectory_id"), ["trajectory_id"])
    op.create_table(
        "stale_fact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trajectory_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stale_fact")),
    )
    refresh = op.create_table(
        "figures_refresh",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figures_refresh")),
    )
    op.bulk_insert(refresh, [{"id": 1, "refreshed_at": None}])
    op.execute("INSERT INTO stale_fact (trajectory_id) SELECT id FROM trajectory")


def downgrade():
    op.drop_table("figures_refresh")
    op.drop_table("stale_fact")
    with op.batch_alter_table("upscaling_fact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_upscaling_fact_trajectory_id"))
    op.drop_table("upscaling_fact")
    with op.batch_alter_table("trajectory_fact", schema=None) as batch_op:
        batch_op.drop_index("ix_trajectory_fact_region_started")
        batch_op.drop_index("ix_trajectory_fact_region_ended")
    op.drop_table("trajectory_fact")
