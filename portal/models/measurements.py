"""Result measurements per trajectory, moment and informant, and their review."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.lists import (
    GoalScore,
    Informant,
    MeasurementMoment,
    MeasurementStatus,
    TreatmentResult,
    WithoutHelp,
    YesNoUnknown,
)
from portal.extensions import Model
from portal.models.trajectories import Goal, Trajectory
from portal.models.types import CodeColumn, UTCDateTime, utcnow
from portal.models.users import User


class Measurement(Model):
    __table_args__ = (
        CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 10",
                        name="satisfaction_mark"),
        # At most one start and one end measurement per informant.
        Index(
            "uq_measurement_moment_informant",
            "trajectory_id", "moment", "informant",
            unique=True,
            sqlite_where=text("moment != 'interim'"),
            postgresql_where=text("moment != 'interim'"),
        ),
        Index("ix_measurement_status", "status", "id"),  # the review queue
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id"), index=True)
    moment: Mapped[MeasurementMoment] = mapped_column(CodeColumn(MeasurementMoment))
    informant: Mapped[Informant] = mapped_column(CodeColumn(Informant))
    measured_on: Mapped[date]
    treatment_result: Mapped[TreatmentResult | None] = mapped_column(CodeColumn(TreatmentResult))
    goes_to_school_or_work: Mapped[YesNoUnknown] = mapped_column(CodeColumn(YesNoUnknown))
    grows_up_at_home: Mapped[YesNoUnknown] = mapped_column(CodeColumn(YesNoUnknown))
    takes_part: Mapped[YesNoUnknown] = mapped_column(CodeColumn(YesNoUnknown))
    is_safe: Mapped[YesNoUnknown] = mapped_column(CodeColumn(YesNoUnknown))
    satisfaction: Mapped[int | None]
    without_help: Mapped[WithoutHelp | None] = mapped_column(CodeColumn(WithoutHelp, 2))
    status: Mapped[MeasurementStatus] = mapped_column(
        CodeColumn(MeasurementStatus, 30), default=MeasurementStatus.SUBMITTED
    )
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    trajectory: Mapped[Trajectory] = relationship()
    submitted_by: Mapped[User] = relationship()
    goal_scores: Mapped[list["GoalScoreEntry"]] = relationship(back_populates="measurement")
    comments: Mapped[list["MeasurementComment"]] = relationship(
        back_populates="measurement", order_by="MeasurementComment.id"
    )

    @property
    def goal_score_counts(self) -> dict[GoalScore, int]:
        counts = dict.fromkeys(GoalScore, 0)
        for entry in self.goal_scores:
            counts[entry.score] += 1
        return counts


class GoalScoreEntry(Model):
    """Whether one goal of the plan was achieved, according to one measurement."""

    measurement_id: Mapped[int] = mapped_column(ForeignKey("measurement.id"), primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), primary_key=True)
    score: Mapped[GoalScore] = mapped_column(CodeColumn(GoalScore))

    measurement: Mapped[Measurement] = relationship(back_populates="goal_scores")
    goal: Mapped[Goal] = relationship()


class MeasurementComment(Model):
    """The review conversation: a question for explanation, the answer, the acceptance."""

    id: Mapped[int] = mapped_column(primary_key=True)
    measurement_id: Mapped[int] = mapped_column(ForeignKey("measurement.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    status_after: Mapped[MeasurementStatus] = mapped_column(CodeColumn(MeasurementStatus, 30))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    measurement: Mapped[Measurement] = relationship(back_populates="comments")
    author: Mapped[User] = relationship()
