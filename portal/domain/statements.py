"""What a statement says: a contract's allocations and money over a period, or one
declaration with its decisions. Plain figures from a fixed number of queries; the web layer
adds the indicators and renders the PDF (portal.pdf)."""

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from portal.domain.codes import COD043, JZ002, JZ588
from portal.domain.figures import Figure, Period, percentage
from portal.domain.identifiers import mask_bsn
from portal.domain.lists import (
    DeclarationStatus,
    FamilyChoice,
    LineStatus,
    NotChosenReason,
    TrajectoryStatus,
)
from portal.domain.subcontractors import subcontractors_of
from portal.domain.tranches import month_bounds
from portal.extensions import db
from portal.models import (
    Allocation,
    Arrangement,
    Client,
    Contract,
    Declaration,
    DeclarationLine,
    Municipality,
    Subcontractor,
    Tariff,
    Trajectory,
)


@dataclass
class Money:
    """Cents per state of the lines declared in the period (concepts are not declared).

    declared = approved + rejected + the debit part of open; credits are full credits of
    approved lines, so the net approved amount is approved - credited."""

    declared: int = 0  # debit lines submitted
    approved: int = 0  # debit lines approved
    rejected: int = 0  # debit lines rejected
    credited: int = 0  # credit lines approved
    open: int = 0  # lines awaiting a decision, credits negative
    exported: int = 0  # lines handed to the payment system, credits negative

    @property
    def net_approved(self) -> int:
        return self.approved - self.credited

    def add(self, other: "Money") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class ArrangementSummary:
    arrangement: Arrangement
    tariffs: list[Tariff]  # the versions valid at some day of the period
    contracted: bool
    money: Money = field(default_factory=Money)


@dataclass(frozen=True)
class TrajectoryLine:
    """One row of the appendix: a trajectory's latest allocation in the period."""

    municipality: str
    allocation_number: int
    masked_bsn: str
    arrangement: str
    started_on: date | None
    ended_on: date | None
    status: TrajectoryStatus
    declared: int
    net_approved: int


@dataclass
class AllocationCounts:
    new: int  # allocations starting in the period
    running: int  # allocations in force on some day of the period
    ended: list[tuple[JZ588, int]]  # trajectories ended in the period, per reason


@dataclass(frozen=True)
class FamilyChoices:
    """Trajectories allocated in the period (their first allocation): was the provider the
    family's own choice? `reasons` counts why not."""

    counts: dict[FamilyChoice, int]
    reasons: list[tuple[NotChosenReason, int]]

    @property
    def share(self) -> Figure:
        """Chosen / answered (yes or no); too small to judge below MIN_BASE."""
        chosen, answered = self.counts[FamilyChoice.YES], (
            self.counts[FamilyChoice.YES] + self.counts[FamilyChoice.NO])
        return percentage(chosen, answered)


@dataclass
class ContractStatement:
    contract: Contract
    period: Period
    municipality: Municipality | None  # a municipality's part, or the whole region
    arrangements: list[ArrangementSummary]
    allocations: AllocationCounts
    trajectories: list[TrajectoryLine]
    subcontractors: list[Subcontractor] = field(default_factory=list)
    family_choices: FamilyChoices | None = None

    @property
    def totals(self) -> Money:
        total = Money()
        for summary in self.arrangements:
            total.add(summary.money)
        return total

    @property
    def key(self) -> str:
        part = self.municipality.cbs_code if self.municipality else "regio"
        return f"contract:{self.contract.id}:{self.period.start}:{self.period.end}:{part}"

    def content(self) -> dict:
        """The figures as printed, in a form that hashes the same every time."""
        return {
            "kind": "contract",
            "contract": self.contract.number,
            "provider": self.contract.provider.name,
            "municipality": self.municipality.name if self.municipality else None,
            "period": [self.period.start.isoformat(), self.period.end.isoformat()],
            "totals": self.totals.as_dict(),
            "arrangements": {s.arrangement.product_code: s.money.as_dict()
                             for s in self.arrangements},
            "allocations": {"new": self.allocations.new, "running": self.allocations.running,
                            "ended": {r.value: n for r, n in self.allocations.ended}},
            "trajectories": [[t.municipality, t.allocation_number, t.masked_bsn, t.declared,
                              t.net_approved]
                             for t in self.trajectories],
            "subcontractors": [[s.agb_code, s.name] for s in self.subcontractors],
            "family_choices": {c.value: n for c, n in self.family_choices.counts.items()}
            if self.family_choices else {},
        }


# Contract statements -----------------------------------------------------------------------


def clip_to_contract(contract: Contract, period: Period) -> Period | None:
    """The part of the period within the contract's term; None when they do not meet."""
    start, end = max(period.start, contract.starts_on), min(period.end, contract.ends_on)
    return Period(start, end) if start <= end else None


def _in_scope(contract: Contract, municipality: Municipality | None):
    """Trajectories of the contract's provider in its region (or in one municipality)."""
    if municipality is not None:
        where = Trajectory.municipality_id == municipality.id
    else:
        where = Trajectory.municipality_id.in_(
            select(Municipality.id).where(Municipality.region_id == contract.region_id))
    return and_(Trajectory.provider_id == contract.provider_id, where)


def _signed():
    return case((DeclarationLine.debit_credit == COD043.CREDIT, -DeclarationLine.amount_cents),
                else_=DeclarationLine.amount_cents)


def _sum_where(condition, amount=DeclarationLine.amount_cents):
    return func.coalesce(func.sum(case((condition, amount), else_=0)), 0)


def _money_columns() -> tuple:
    """The six sums of Money, in its field order, over declared (not concept) lines."""
    debit = DeclarationLine.debit_credit == COD043.DEBIT
    credit = DeclarationLine.debit_credit == COD043.CREDIT
    status = DeclarationLine.status
    return (_sum_where(debit),
            _sum_where(debit & (status == LineStatus.APPROVED)),
            _sum_where(debit & (status == LineStatus.REJECTED)),
            _sum_where(credit & (status == LineStatus.APPROVED)),
            _sum_where(status == LineStatus.SUBMITTED, _signed()),
            _sum_where(DeclarationLine.payment_export_id.isnot(None), _signed()))


def _lines_of(contract: Contract, period: Period, municipality: Municipality | None,
              *columns):
    """A select over the lines of declarations for the period's months, in scope."""
    return (select(*columns).select_from(DeclarationLine)
            .join(Declaration, Declaration.id == DeclarationLine.declaration_id)
            .join(Allocation, Allocation.id == DeclarationLine.allocation_id)
            .join(Trajectory, Trajectory.id == Allocation.trajectory_id)
            .where(_in_scope(contract, municipality),
                   Declaration.period.between(period.start.replace(day=1), period.end)))


def _money_rows(contract: Contract, period: Period, municipality: Municipality | None):
    """Money per (trajectory, arrangement): one grouped query."""
    return db.session.execute(
        _lines_of(contract, period, municipality, Allocation.trajectory_id,
                  Allocation.arrangement_id, *_money_columns())
        .where(DeclarationLine.status != LineStatus.CONCEPT)
        .group_by(Allocation.trajectory_id, Allocation.arrangement_id)).all()


def contract_money(contract: Contract, period: Period) -> Money:
    """The contract's money over the period in the whole region, without the detail (one
    query): the totals a steering conversation's report prints and /verify checks."""
    amounts = db.session.execute(
        _lines_of(contract, period, None, *_money_columns())
        .where(DeclarationLine.status != LineStatus.CONCEPT)).one()
    return Money(*(int(a) for a in amounts))


def _valid_allocation():
    return or_(Allocation.change_reason.is_(None), Allocation.change_reason != JZ002.DELETED)


def _allocation_counts(contract: Contract, period: Period,
                       municipality: Municipality | None) -> AllocationCounts:
    scope = select(Allocation.id).join(Trajectory).where(_in_scope(contract, municipality),
                                                          _valid_allocation())
    new, running = db.session.execute(
        select(func.count().filter(Allocation.start_date.between(period.start, period.end)),
               func.count().filter(Allocation.start_date <= period.end,
                                   Allocation.end_date >= period.start))
        .where(Allocation.id.in_(scope))).one()
    ended = db.session.execute(
        select(Trajectory.end_reason, func.count())
        .where(_in_scope(contract, municipality),
               Trajectory.ended_on.between(period.start, period.end))
        .group_by(Trajectory.end_reason)).all()
    # Only ended trajectories are counted, and an ended one always has its reason (JZ588).
    by_reason = [(reason, count) for reason, count in ended if reason is not None]
    return AllocationCounts(new, running, sorted(by_reason, key=lambda row: row[0].value))


def _appendix(contract: Contract, period: Period, municipality: Municipality | None,
              money: dict[int, Money]) -> list[TrajectoryLine]:
    """Every trajectory with an allocation in force in the period or money declared in it,
    shown with its latest such allocation."""
    allocations = db.session.execute(
        select(Allocation.trajectory_id, Municipality.name.label("municipality"), Allocation.number,
               Arrangement.product_code, Client.bsn, Trajectory.started_on, Trajectory.ended_on,
               Trajectory.status)
        .join(Trajectory, Trajectory.id == Allocation.trajectory_id)
        .join(Client, Client.id == Trajectory.client_id)
        .join(Arrangement, Arrangement.id == Allocation.arrangement_id)
        .join(Municipality, Municipality.id == Trajectory.municipality_id)
        .where(_in_scope(contract, municipality), _valid_allocation(),
               Allocation.start_date <= period.end,
               or_(Allocation.end_date >= period.start, Trajectory.id.in_(money)))
        .order_by(Allocation.trajectory_id, Allocation.start_date, Allocation.id)).all()
    latest = {row.trajectory_id: row for row in allocations}  # the last one wins
    lines = []
    for trajectory_id, row in latest.items():
        amounts = money.get(trajectory_id, Money())
        lines.append(TrajectoryLine(
            row.municipality, row.number, mask_bsn(row.bsn), row.product_code, row.started_on,
            row.ended_on, row.status, amounts.declared, amounts.net_approved))
    return sorted(lines, key=lambda line: (line.municipality, line.allocation_number))


def _family_choices(contract: Contract, period: Period,
                    municipality: Municipality | None) -> FamilyChoices:
    """One grouped query over the first allocation of each trajectory started in the period
    (a change request's new allocation repeats the first one's answer)."""
    first = (select(func.min(Allocation.id)).join(Trajectory)
             .where(_in_scope(contract, municipality), _valid_allocation())
             .group_by(Allocation.trajectory_id))
    rows = db.session.execute(
        select(Allocation.family_choice, Allocation.not_chosen_reason, func.count())
        .where(Allocation.id.in_(first), Allocation.start_date.between(period.start, period.end))
        .group_by(Allocation.family_choice, Allocation.not_chosen_reason)).all()
    counts = dict.fromkeys(FamilyChoice, 0)
    reasons: dict[NotChosenReason, int] = {}
    for choice, reason, count in rows:
        counts[choice] += count
        if reason is not None:
            reasons[reason] = reasons.get(reason, 0) + count
    return FamilyChoices(counts, [(r, reasons[r]) for r in NotChosenReason if r in reasons])


def _tariffs_in(arrangement: Arrangement, period: Period) -> list[Tariff]:
    return [t for t in arrangement.tariffs if t.valid_from <= period.end
            and (t.valid_to is None or t.valid_to >= period.start)]


def contract_statement(contract: Contract, period: Period,
                       municipality: Municipality | None = None) -> ContractStatement:
    """The statement of a contract over a period already clipped to its term."""
    per_arrangement: dict[int, Money] = defaultdict(Money)
    per_trajectory: dict[int, Money] = defaultdict(Money)
    for trajectory_id, arrangement_id, *amounts in _money_rows(contract, period, municipality):
        money = Money(*(int(a) for a in amounts))
        per_arrangement[arrangement_id].add(money)
        per_trajectory[trajectory_id].add(money)
    contracted = {a.id for a in contract.arrangements}
    arrangements = db.session.scalars(
        select(Arrangement).options(joinedload(Arrangement.profile),
                                    joinedload(Arrangement.tariffs))
        .where(Arrangement.id.in_(contracted | set(per_arrangement)))).unique().all()
    summaries = [ArrangementSummary(a, _tariffs_in(a, period), a.id in contracted,
                                    per_arrangement.get(a.id, Money()))
                 for a in sorted(arrangements, key=lambda a: a.product_code)]
    return ContractStatement(
        contract, period, municipality, summaries,
        _allocation_counts(contract, period, municipality),
        _appendix(contract, period, municipality, per_trajectory),
        subcontractors_of([contract])[contract.id],
        _family_choices(contract, period, municipality))


def contract_period_closed(statement: ContractStatement, today: date) -> bool:
    """A period is closed once it is over, none of its lines is a concept or awaits a
    decision, and every approved line went to the payment system: its statement no longer
    changes and is kept as rendered."""
    if statement.period.end >= today:
        return False
    pending = db.session.scalar(
        _lines_of(statement.contract, statement.period, statement.municipality, func.count())
        .where(DeclarationLine.status.in_((LineStatus.CONCEPT, LineStatus.SUBMITTED))
               | ((DeclarationLine.status == LineStatus.APPROVED)
                  & DeclarationLine.payment_export_id.is_(None))))
    return not pending


# Declaration statements --------------------------------------------------------------------


@dataclass
class DeclarationStatement:
    declaration: Declaration
    lines: list[DeclarationLine]  # with allocation, trajectory, client and decider loaded
    totals: Money

    @property
    def key(self) -> str:
        return f"declaration:{self.declaration.id}"

    def content(self) -> dict:
        d = self.declaration
        return {
            "kind": "declaration",
            "declaration": d.number,
            "provider": d.provider.name,
            "municipality": d.municipality.name,
            "period": [d.period.isoformat(), month_bounds(d.period)[1].isoformat()],
            # Not the exported amount: that changes after the declaration is answered.
            "totals": {k: v for k, v in self.totals.as_dict().items() if k != "exported"},
            "lines": [[ln.reference, ln.debit_credit.value, ln.amount_cents, ln.status.value,
                       ln.return_code.value if ln.return_code else None]
                      for ln in self.lines],
        }


def declaration_statement(declaration: Declaration) -> DeclarationStatement:
    lines = list(db.session.scalars(
        select(DeclarationLine)
        .options(joinedload(DeclarationLine.allocation).joinedload(Allocation.trajectory)
                 .joinedload(Trajectory.client),
                 joinedload(DeclarationLine.allocation).joinedload(Allocation.arrangement),
                 joinedload(DeclarationLine.decided_by))
        .where(DeclarationLine.declaration_id == declaration.id)
        .order_by(DeclarationLine.id)))
    totals = db.session.execute(
        select(*_money_columns()).where(DeclarationLine.declaration_id == declaration.id,
                                        DeclarationLine.status != LineStatus.CONCEPT)).one()
    return DeclarationStatement(declaration, lines, Money(*(int(t) for t in totals)))


def declaration_closed(statement: DeclarationStatement) -> bool:
    """Every line decided: the statement no longer changes."""
    return statement.declaration.status == DeclarationStatus.ANSWERED
