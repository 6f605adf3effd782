"""Trajectories and what hangs on them: allocations, plan goals and requests."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.codes import COD327, JZ002, JZ588, WJ758, WJ759
from portal.domain.lists import (
    FamilyChoice,
    LifeDomain,
    NotChosenReason,
    RequestStatus,
    TrajectoryStatus,
)
from portal.domain.working_days import answer_due
from portal.extensions import Model
from portal.formatting import AMSTERDAM
from portal.models.catalogue import Arrangement, Tariff
from portal.models.clients import Client
from portal.models.contracts import PaymentSchemeVersion
from portal.models.organisations import Municipality, Provider
from portal.models.subcontractors import Subcontractor
from portal.models.types import CodeColumn, UTCDateTime, utcnow
from portal.models.users import User


class Trajectory(Model):
    """One child's care by one main provider, from first allocation to end."""

    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="end_after_start"),
        Index("ix_trajectory_provider_status", "provider_id", "status", "id"),
        Index("ix_trajectory_municipality_status", "municipality_id", "status", "id"),
        # The lists without a status filter, newest first (migration 0006_performance).
        Index("ix_trajectory_provider_keyset", "provider_id", "id"),
        Index("ix_trajectory_municipality_keyset", "municipality_id", "id"),
        Index("ix_trajectory_ended_on", "ended_on"),  # the indicators' period
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"))
    status: Mapped[TrajectoryStatus] = mapped_column(
        CodeColumn(TrajectoryStatus), default=TrajectoryStatus.ALLOCATED
    )
    started_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    end_reason: Mapped[JZ588 | None] = mapped_column(CodeColumn(JZ588, 2))
    # CBS outcome code (01-05) derived from the end reason, kept for the indicators.
    outcome_code: Mapped[str | None] = mapped_column(String(2))
    # Who delivers the care: a subcontractor of the main provider's contract, or (None) the
    # main provider itself. The main provider stays responsible and declares.
    delivered_by_id: Mapped[int | None] = mapped_column(ForeignKey("subcontractor.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    client: Mapped[Client] = relationship()
    delivered_by: Mapped[Subcontractor | None] = relationship()
    provider: Mapped[Provider] = relationship()
    municipality: Mapped[Municipality] = relationship()
    allocations: Mapped[list["Allocation"]] = relationship(
        back_populates="trajectory", order_by="Allocation.start_date, Allocation.id"
    )
    goals: Mapped[list["Goal"]] = relationship(back_populates="trajectory", order_by="Goal.id")
    change_requests: Mapped[list["ChangeRequest"]] = relationship(
        back_populates="trajectory", order_by="ChangeRequest.id"
    )

    @property
    def current_allocation(self) -> "Allocation":
        return next(a for a in self.allocations if a.is_current)


def _planned_end(context) -> date:
    return context.get_current_parameters()["end_date"]


class Allocation(Model):
    """A toewijzing: one arrangement for a period, numbered per municipality."""

    __table_args__ = (
        UniqueConstraint("municipality_id", "number"),
        # The allocation in force; earlier ones were replaced after a change request.
        Index("uq_allocation_current_per_trajectory", "trajectory_id", unique=True,
              sqlite_where=text("is_current"), postgresql_where=text("is_current")),
        Index("ix_allocation_arrangement_current", "arrangement_id", "is_current"),
        CheckConstraint("end_date >= start_date", name="end_after_start"),
        CheckConstraint("number BETWEEN 1 AND 999999999", name="number_nine_digits"),
        CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"))
    number: Mapped[int]
    arrangement_id: Mapped[int] = mapped_column(ForeignKey("arrangement.id"), index=True)
    tariff_id: Mapped[int] = mapped_column(ForeignKey("tariff.id"), index=True)
    # The contract's payment scheme version valid on the start date: kept, like the tariff.
    scheme_version_id: Mapped[int] = mapped_column(ForeignKey("payment_scheme_version.id"),
                                                   index=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    # The end date as allocated; `end_date` is brought forward when the allocation ends early,
    # and the pro rata end tranche is measured against this planned period.
    planned_end_date: Mapped[date] = mapped_column(default=_planned_end)
    # Unit 83 (euros), frequency 6 (total within the allocation period): the tariff.
    amount_cents: Mapped[int]
    change_reason: Mapped[JZ002 | None] = mapped_column(CodeColumn(JZ002, 2))
    is_current: Mapped[bool] = mapped_column(default=True)
    # Extended youth care (verlengde jeugdhulp): the child may be 18 to 22 at the start.
    extended_youth_care: Mapped[bool] = mapped_column(default=False)
    # Was the provider the family's own choice; if not, why (a text with OTHER).
    family_choice: Mapped[FamilyChoice] = mapped_column(
        CodeColumn(FamilyChoice), default=FamilyChoice.UNKNOWN)
    not_chosen_reason: Mapped[NotChosenReason | None] = mapped_column(
        CodeColumn(NotChosenReason))
    not_chosen_text: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # When this version of the allocation was decided (JW301 Toewijzingsdatum/-tijd, IV013):
    # every change of the row makes a new version; an import keeps the sender's moment.
    allocated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow,
                                                   onupdate=utcnow)

    trajectory: Mapped[Trajectory] = relationship(back_populates="allocations")
    municipality: Mapped[Municipality] = relationship()
    arrangement: Mapped[Arrangement] = relationship()
    tariff: Mapped[Tariff] = relationship()
    scheme_version: Mapped[PaymentSchemeVersion] = relationship()
    created_by: Mapped[User | None] = relationship()


class Goal(Model):
    """A goal of the plan, in one life domain."""

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id"), index=True)
    life_domain: Mapped[LifeDomain] = mapped_column(CodeColumn(LifeDomain))
    description: Mapped[str] = mapped_column(Text)
    treatment_aim: Mapped[str] = mapped_column(Text)
    societal_aim: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    trajectory: Mapped[Trajectory] = relationship(back_populates="goals")


def _answer_due(context) -> date:
    """10 working days after the day of the request (Amsterdam), as for declarations."""
    requested_at = context.get_current_parameters().get("requested_at") or utcnow()
    return answer_due(requested_at.astimezone(AMSTERDAM).date())


class _Decision:
    """Columns every request answered by the municipality carries."""

    status: Mapped[RequestStatus] = mapped_column(
        CodeColumn(RequestStatus), default=RequestStatus.OPEN
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The municipal timeliness figures (portal/domain/timeliness.py): when the answer is due,
    # and how many working days it took, set with the decision.
    due_on: Mapped[date | None] = mapped_column(default=_answer_due, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_working_days: Mapped[int | None]
    rejection_reason: Mapped[WJ759 | None] = mapped_column(CodeColumn(WJ759, 1))
    decision_note: Mapped[str | None] = mapped_column(Text)


class ChangeRequest(_Decision, Model):
    """Verzoek om wijziging: another arrangement (intensity) or a later end date."""

    __table_args__ = (
        # One open request per trajectory, even under races.
        Index(
            "uq_change_request_open_per_trajectory",
            "trajectory_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id"), index=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("allocation.id"))
    reason: Mapped[WJ758] = mapped_column(CodeColumn(WJ758, 1))
    arrangement_id: Mapped[int] = mapped_column(ForeignKey("arrangement.id"))
    end_date: Mapped[date]
    motivation: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    new_allocation_id: Mapped[int | None] = mapped_column(ForeignKey("allocation.id"))

    trajectory: Mapped[Trajectory] = relationship(back_populates="change_requests")
    allocation: Mapped[Allocation] = relationship(foreign_keys=[allocation_id])
    arrangement: Mapped[Arrangement] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    new_allocation: Mapped[Allocation | None] = relationship(foreign_keys=[new_allocation_id])


class AllocationRequest(_Decision, Model):
    """Verzoek om toewijzing: a provider asks for an allocation after a referral."""

    __table_args__ = (
        Index("ix_allocation_request_municipality_status", "municipality_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"))
    bsn: Mapped[str] = mapped_column(String(9))
    birth_date: Mapped[date]
    given_name: Mapped[str] = mapped_column(String(80))
    family_name: Mapped[str] = mapped_column(String(120))
    referrer: Mapped[COD327] = mapped_column(CodeColumn(COD327, 2))
    # A referring care provider's AGB code or name (JW315 Verwijzer, CD067/CD066).
    referrer_code: Mapped[str | None] = mapped_column(String(8))
    referrer_name: Mapped[str | None] = mapped_column(String(64))
    arrangement_id: Mapped[int] = mapped_column(ForeignKey("arrangement.id"))
    start_date: Mapped[date]
    end_date: Mapped[date]
    motivation: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    trajectory_id: Mapped[int | None] = mapped_column(ForeignKey("trajectory.id"))

    provider: Mapped[Provider] = relationship()
    municipality: Mapped[Municipality] = relationship()
    arrangement: Mapped[Arrangement] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    trajectory: Mapped[Trajectory | None] = relationship()
