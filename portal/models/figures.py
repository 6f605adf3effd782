"""The figures store: each trajectory's indicator facts, kept current by a job.

Every indicator for any period and grouping is one aggregate over trajectory_fact (see
portal/domain/figures_store.py); stale_fact lists the trajectories whose facts a domain
write has made old, and figures_refresh records when the store was last brought up to date.
figures_version counts each region's changes of facts; figures_sum keeps the aggregate of a
region, period, grouping and day for as long as that count stays the same, figures_page the
dashboards' rendered figures of the same key (and language, provider and links) as long.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.domain.codes import JZ588
from portal.extensions import Model
from portal.models.types import CodeColumn, UTCDateTime


class TrajectoryFact(Model):
    """What one trajectory contributes to the indicators (portal.domain.indicators
    .TrajectoryFacts, column for column)."""

    __table_args__ = (
        Index("ix_trajectory_fact_region_ended", "region_id", "ended_on"),
        Index("ix_trajectory_fact_region_started", "region_id", "started_on"),
    )

    trajectory_id: Mapped[int] = mapped_column(
        ForeignKey("trajectory.id", ondelete="CASCADE"), primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"))
    arrangement_id: Mapped[int] = mapped_column(ForeignKey("arrangement.id"))  # the first
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    started_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    end_reason: Mapped[JZ588 | None] = mapped_column(CodeColumn(JZ588, 2))
    duration_days: Mapped[int | None]
    satisfaction_sum: Mapped[int] = mapped_column(default=0)
    satisfaction_count: Mapped[int] = mapped_column(default=0)
    young_sum: Mapped[int] = mapped_column(default=0)
    young_count: Mapped[int] = mapped_column(default=0)
    parent_sum: Mapped[int] = mapped_column(default=0)
    parent_count: Mapped[int] = mapped_column(default=0)
    without_help_answered: Mapped[bool] = mapped_column(default=False)
    without_help_yes: Mapped[bool] = mapped_column(default=False)
    treatment_answered: Mapped[bool] = mapped_column(default=False)
    treatment_solved: Mapped[bool] = mapped_column(default=False)
    treatment_reduced: Mapped[bool] = mapped_column(default=False)
    goals: Mapped[int] = mapped_column(default=0)
    goals_achieved: Mapped[int] = mapped_column(default=0)
    goals_partly: Mapped[int] = mapped_column(default=0)
    societal_pair: Mapped[bool] = mapped_column(default=False)
    societal_improved: Mapped[bool] = mapped_column(default=False)
    improved_goes_to_school_or_work: Mapped[bool] = mapped_column(default=False)
    improved_grows_up_at_home: Mapped[bool] = mapped_column(default=False)
    improved_takes_part: Mapped[bool] = mapped_column(default=False)
    improved_is_safe: Mapped[bool] = mapped_column(default=False)
    next_start_on: Mapped[date | None]
    new_start_within_window: Mapped[bool] = mapped_column(default=False)
    cost_cents: Mapped[int] = mapped_column(default=0)


class UpscalingFact(Model):
    """An approved change request to a higher intensity, by the day it was decided."""

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        ForeignKey("trajectory_fact.trajectory_id", ondelete="CASCADE"), index=True)
    decided_on: Mapped[date]


class StaleFact(Model):
    """A trajectory whose facts a write made old; the refresh job recomputes and removes it.
    No unique key: two transactions may mark the same trajectory without waiting."""

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int]


class FiguresRefresh(Model):
    """One row: when the store was last brought up to date. Refreshes lock it, so two of
    them never recompute the same trajectory at once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class FiguresVersion(Model):
    """How often a region's facts changed: every refresh batch that rewrote one of its
    trajectories (or moved one out of it) adds one. No row: never changed (0)."""

    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), primary_key=True)
    version: Mapped[int]


class FiguresSum(Model):
    """The aggregate of the store (portal.domain.store_queries.computed_sums_by) for one
    region, period, grouping and day, computed at the region's `version`: valid while the
    version is current (portal.domain.figures_sums)."""

    __table_args__ = (
        UniqueConstraint("region_id", "grouping", "period_start", "period_end", "as_of"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    grouping: Mapped[str] = mapped_column(String(20))
    period_start: Mapped[date]
    period_end: Mapped[date]
    as_of: Mapped[date]  # the `today` of the figures (the new-start window, the last quarter)
    version: Mapped[int]
    sums: Mapped[dict[str, Any]] = mapped_column(JSON)  # group key -> the Sums' non-zero fields
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FiguresPage(Model):
    """A dashboard's figures as rendered HTML (portal.web.dashboard.kept): the region's
    comparison (`provider_id` 0) or one provider's page, for one region, period, grouping,
    day, language and the canonical query arguments its links repeat (`args`), computed at
    the region's `version`: valid while the version is current (portal.domain.figures_pages)."""

    __table_args__ = (
        UniqueConstraint("region_id", "provider_id", "grouping", "period_start", "period_end",
                         "as_of", "locale", "args", name="uq_figures_page_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    provider_id: Mapped[int]  # 0: the region's comparison page
    grouping: Mapped[str] = mapped_column(String(20))
    period_start: Mapped[date]
    period_end: Mapped[date]
    as_of: Mapped[date]
    locale: Mapped[str] = mapped_column(String(10))
    args: Mapped[str] = mapped_column(String(100))  # e.g. "van=2026-01-01&tot=2026-12-31"
    version: Mapped[int]
    html: Mapped[str] = mapped_column(Text)
    rendered_at: Mapped[datetime] = mapped_column(UTCDateTime())
