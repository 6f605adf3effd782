"""scheme versions: a contract's payment scheme per valid-from date, kept by each allocation

Revision ID: 0008_scheme_versions
Revises: 0007_statements
Create Date: 2026-11-29 22:30:00

Each contract's scheme becomes its first version, valid from the contract start; every
allocation takes the version of the contract it was made under (its provider's contract
running on its start date, as the portal picks it). The scheme columns leave `contract`.
An allocation extended (JZ002 04) or corrected (14) gets its planned end moved along.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008_scheme_versions"
down_revision = "0007_statements"
branch_labels = None
depends_on = None

SCHEME_COLUMNS = ("start_share_percent", "early_end_rule", "administrative_end_rule")


def _contract_of(contracts, provider_id, day):
    """The provider's contract running on `day` (the latest start), else the one that
    started last before it, else its first: every allocation gets a version."""
    own = [c for c in contracts if c.provider_id == provider_id]
    running = [c for c in own if c.starts_on <= day <= c.ends_on]
    earlier = [c for c in own if c.starts_on <= day]
    if running or earlier:
        return max(running or earlier, key=lambda c: (c.starts_on, c.id))
    return min(own, key=lambda c: (c.starts_on, c.id))


def upgrade():
    op.create_table(
        "payment_scheme_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("start_share_percent", sa.Integer(), nullable=False),
        sa.Column("early_end_rule", sa.String(length=20), nullable=False),
        sa.Column("administrative_end_rule", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("start_share_percent BETWEEN 0 AND 100",
                           name=op.f("ck_payment_scheme_version_share_is_percentage")),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"],
                                name=op.f("fk_payment_scheme_version_contract_id_contract")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_scheme_version")),
        sa.UniqueConstraint("contract_id", "valid_from",
                            name=op.f("uq_payment_scheme_version_contract_id_valid_from")),
    )
    with op.batch_alter_table("payment_scheme_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_scheme_version_contract_id"),
                              ["contract_id"], unique=False)
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scheme_version_id", sa.Integer(), nullable=True))

    bind = op.get_bind()
    bind.execute(sa.text(
        "INSERT INTO payment_scheme_version (contract_id, valid_from, start_share_percent, "
        "early_end_rule, administrative_end_rule, created_at) "
        "SELECT id, starts_on, start_share_percent, early_end_rule, administrative_end_rule, "
        "CURRENT_TIMESTAMP FROM contract"))
    contracts = bind.execute(sa.text(
        "SELECT c.id, c.provider_id, c.starts_on, c.ends_on, v.id AS version_id "
        "FROM contract c JOIN payment_scheme_version v ON v.contract_id = c.id")).all()
    allocations = bind.execute(sa.text(
        "SELECT a.id, a.start_date, t.provider_id FROM allocation a "
        "JOIN trajectory t ON t.id = a.trajectory_id")).all()
    updates = [{"id": a.id, "version": _contract_of(contracts, a.provider_id,
                                                    a.start_date).version_id}
               for a in allocations]
    if updates:
        bind.execute(sa.text("UPDATE allocation SET scheme_version_id = :version "
                             "WHERE id = :id"), updates)

    bind.execute(sa.text("UPDATE allocation SET planned_end_date = end_date "
                         "WHERE change_reason IN ('04', '14')"))

    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.alter_column("scheme_version_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_allocation_scheme_version_id"),
                              ["scheme_version_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_allocation_scheme_version_id_payment_scheme_version"),
            "payment_scheme_version", ["scheme_version_id"], ["id"])
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_contract_share_is_percentage"), type_="check")
        for column in SCHEME_COLUMNS:
            batch_op.drop_column(column)


def downgrade():
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.add_column(sa.Column("start_share_percent", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("early_end_rule", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("administrative_end_rule", sa.String(length=20),
                                      nullable=True))
    # Each contract gets back its latest version.
    op.get_bind().execute(sa.text(
        "UPDATE contract SET "
        + ", ".join(f"{column} = (SELECT v.{column} FROM payment_scheme_version v "
                    "WHERE v.contract_id = contract.id ORDER BY v.valid_from DESC LIMIT 1)"
                    for column in SCHEME_COLUMNS)))
    with op.batch_alter_table("contract", schema=None) as batch_op:
        for column in SCHEME_COLUMNS:
            batch_op.alter_column(column, existing_type=sa.Integer() if column ==
                                  "start_share_percent" else sa.String(length=20),
                                  nullable=False)
        batch_op.create_check_constraint(batch_op.f("ck_contract_share_is_percentage"),
                                         "start_share_percent BETWEEN 0 AND 100")
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_allocation_scheme_version_id_payment_scheme_version"),
            type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_allocation_scheme_version_id"))
        batch_op.drop_column("scheme_version_id")
    with op.batch_alter_table("payment_scheme_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_scheme_version_contract_id"))
    op.drop_table("payment_scheme_version")
