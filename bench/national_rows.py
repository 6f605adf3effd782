"""The rows of a national-scale region, generated in Python for COPY: no database here.

Every trajectory follows the life the domain allows (domain.md section 3): allocated, maybe
started, maybe changed to a heavier intensity after an approved change request (the old
allocation ends with JZ002 12), maybe ended with a JZ588 reason. Tranche amounts and product
periods come from portal.domain.tranches, so the review checks find what they would find on
real declarations. Some children come back for a second trajectory (indicator 3.2).
"""

import functools
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from portal.domain.codes import COD043, JZ002, JZ588, WJ001, WJ758
from portal.domain.identifiers import bsn_is_valid
from portal.domain.lists import (
    DeclarationStatus,
    GoalScore,
    Informant,
    LifeDomain,
    LineStatus,
    MeasurementMoment,
    MeasurementStatus,
    RequestStatus,
    TrajectoryStatus,
    TreatmentResult,
    WithoutHelp,
    YesNoUnknown,
)
from portal.domain.trajectories import CBS_OUTCOME
from portal.domain.tranches import PaymentScheme, tranches_due
from portal.domain.working_days import answer_due

DEMO_FIRST_BSN = 999_900_000  # portal.demo.region.demo_bsns() starts here
FIRST_START = date(2025, 1, 6)  # tariffs and contracts of the demo region start in 2025
DURATION_DAYS = {1: (120, 180), 2: (180, 270), 3: (270, 365), 4: (365, 540)}
GIVEN_NAMES = ("Sem", "Noah", "Emma", "Julia", "Mila", "Daan", "Liam", "Tess", "Sara", "Luuk",
               "Yara", "Finn", "Noor", "Adam", "Lotte", "Milan", "Zoë", "Bram", "Amira", "Jesse")
FAMILY_NAMES = ("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit",
                "Meijer", "Yılmaz", "Mulder", "de Boer", "El Amrani", "Bos", "Vos", "Peters",
                "Hendriks", "van Leeuwen", "Dekker", "Kaya", "Brouwer")
EARLY_REASONS = (JZ588.EARLY_BY_CLIENT, JZ588.EARLY_BY_PROVIDER, JZ588.EARLY_BY_AGREEMENT,
                 JZ588.EARLY_EXTERNAL, JZ588.DECEASED, JZ588.OTHER_PROVIDER, JZ588.OTHER_DOMAIN)
EARLY_WEIGHTS = (40, 15, 20, 10, 1, 7, 7)
# Submissions fall on the third of a month: a few dozen distinct days.
_answer_due = functools.cache(answer_due)
YES_NO = (YesNoUnknown.YES, YesNoUnknown.NO, YesNoUnknown.UNKNOWN)


@dataclass(frozen=True)
class Scale:
    # 240,000 trajectories carry about 1,050,000 declaration lines and 530,000 measurements.
    trajectories: int = 240_000
    # Share of the trajectories that go to the first (the measured) provider.
    focus_share: float = 0.08
    change_chance: float = 0.6  # started trajectories that get a heavier intensity
    return_chance: float = 0.08  # ended children that get a new trajectory later
    rejected_share: float = 0.10  # rejected lines are declared again, then approved
    corrected_share: float = 0.3  # approved lines credited and declared again


@dataclass(frozen=True)
class ArrangementInfo:
    id: int
    profile_id: int
    rank: int
    category: str
    code: str
    tariffs: tuple[tuple[int, date, date | None, int], ...]  # id, from, to, cents

    def tariff_on(self, day: date) -> tuple[int, int]:
        for tariff_id, valid_from, valid_to, cents in self.tariffs:
            if valid_from <= day and (valid_to is None or day <= valid_to):
                return tariff_id, cents
        raise ValueError(f"no tariff for arrangement {self.id} on {day}")


@dataclass(frozen=True)
class ProviderInfo:
    id: int
    staff_id: int  # the provider staff account that declares and measures
    scheme: PaymentScheme
    scheme_version_id: int  # the contract's only scheme version: every allocation keeps it
    arrangements: tuple[ArrangementInfo, ...]


@dataclass(frozen=True)
class Region:
    """What the generator needs to know of the organisations already in the database."""

    municipalities: tuple[int, ...]
    municipality_weights: tuple[int, ...]
    providers: tuple[ProviderInfo, ...]
    access_staff: dict[int, int]  # municipality id -> user id
    reviewers: dict[int, int]
    next_ids: dict[str, int]  # table -> first free id
    next_numbers: dict[int, int]  # municipality id -> first free allocation number
    # (provider id, municipality id, period) -> id of a declaration the demo region made:
    # one declaration per month is unique, so lines of that month join it.
    declarations: dict[tuple[int, int, date], int]


@dataclass
class Table:
    columns: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)


# Light stand-ins that portal.domain.tranches reads like the models.
@dataclass
class _Allocation:
    id: int
    trajectory_id: int
    arrangement: ArrangementInfo
    start_date: date
    end_date: date
    planned_end_date: date
    amount_cents: int
    change_reason: JZ002 | None = None
    is_current: bool = True


@dataclass
class _Trajectory:
    id: int
    client_id: int
    provider: ProviderInfo
    municipality_id: int
    status: TrajectoryStatus = TrajectoryStatus.ALLOCATED
    started_on: date | None = None
    ended_on: date | None = None
    end_reason: JZ588 | None = None
    allocations: list[_Allocation] = field(default_factory=list)


def test_bsns(first: int = 100_000_000):
    """Nine-digit numbers that pass the 11-test, below the demo's range."""
    for number in range(first, DEMO_FIRST_BSN):
        if bsn_is_valid(str(number)):
            yield str(number)


def _stamp(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), UTC)


class NationalRegion:
    """Generates the tables; `tables` maps a table name to its columns and rows."""

    def __init__(self, region: Region, scale: Scale, today: date, seed: int = 2026):
        self.region, self.scale, self.today = region, scale, today
        self.rng = random.Random(seed)  # reproducible bench data, not security
        self.ids = dict(region.next_ids)
        self.numbers = dict(region.next_numbers)
        self.bsns = test_bsns()
        self.tables = {
            "client": Table(("id", "bsn", "birth_date", "given_name", "family_name",
                             "municipality_id")),
            "trajectory": Table(("id", "client_id", "provider_id", "municipality_id", "status",
                                 "started_on", "ended_on", "end_reason", "outcome_code",
                                 "created_at")),
            "allocation": Table(("id", "trajectory_id", "municipality_id", "number",
                                 "arrangement_id", "tariff_id", "scheme_version_id",
                                 "start_date", "end_date",
                                 "planned_end_date", "amount_cents", "change_reason",
                                 "is_current", "created_at", "created_by_id",
                                 "allocated_at")),
            "change_request": Table(("id", "trajectory_id", "allocation_id", "reason",
                                     "arrangement_id", "end_date", "motivation",
                                     "requested_by_id", "decided_by_id", "new_allocation_id",
                                     "status", "requested_at", "decided_at")),
            "goal": Table(("id", "trajectory_id", "life_domain", "description", "treatment_aim",
                           "societal_aim", "created_at")),
            "measurement": Table(("id", "trajectory_id", "moment", "informant", "measured_on",
                                  "treatment_result", "goes_to_school_or_work",
                                  "grows_up_at_home", "takes_part", "is_safe", "satisfaction",
                                  "without_help", "status", "submitted_by_id", "submitted_at")),
            "goal_score_entry": Table(("measurement_id", "goal_id", "score")),
            "declaration": Table(("id", "provider_id", "municipality_id", "number", "period",
                                  "status", "created_at", "created_by_id", "submitted_at",
                                  "due_on")),
            "declaration_line": Table(("id", "declaration_id", "provider_id", "municipality_id",
                                       "allocation_id", "reference", "tranche",
                                       "product_category", "product_code", "period_start",
                                       "period_end", "amount_cents", "debit_credit", "status",
                                       "due_on", "decided_by_id", "decided_at", "return_code",
                                       "decision_note")),
        }
        # (provider id, municipality id, month) -> declaration id, its lines' statuses
        self._declarations: dict[tuple[int, int, date], int] = {}
        self._declaration_lines: dict[int, list[LineStatus]] = defaultdict(list)

    def _id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    def _add(self, table: str, *row) -> None:
        self.tables[table].rows.append(row)

    # Trajectories -------------------------------------------------------------------------

    def generate(self) -> dict[str, Table]:
        region, rng = self.region, self.rng
        focus, others = region.providers[0], region.providers[1:]
        last_start = self.today + timedelta(days=20)
        span = (last_start - FIRST_START).days
        made = 0
        while made < self.scale.trajectories:
            municipality = rng.choices(region.municipalities, region.municipality_weights)[0]
            provider = focus if rng.random() < self.scale.focus_share else rng.choice(others)
            client_id = self._client(municipality)
            start = FIRST_START + timedelta(days=rng.randint(0, span))
            trajectory = self._trajectory(client_id, provider, municipality, start)
            made += 1
            while (trajectory.status == TrajectoryStatus.ENDED and made < self.scale.trajectories
                   and rng.random() < self.scale.return_chance):
                start = trajectory.ended_on + timedelta(days=rng.randint(30, 400))
                if start > last_start:
                    break
                trajectory = self._trajectory(client_id, rng.choice(region.providers),
                                              municipality, start)
                made += 1
        self._finish_declarations()
        return self.tables

    def _client(self, municipality: int) -> int:
        client_id = self._id("client")
        birth = FIRST_START - timedelta(days=self.rng.randint(3 * 365, 17 * 365))
        self._add("client", client_id, next(self.bsns), birth, self.rng.choice(GIVEN_NAMES),
                  self.rng.choice(FAMILY_NAMES), municipality)
        return client_id

    def _trajectory(self, client_id: int, provider: ProviderInfo, municipality: int,
                    start: date) -> _Trajectory:
        rng, today = self.rng, self.today
        arrangement = rng.choices(provider.arrangements,
                                  [(30, 40, 25, 5)[a.rank - 1] for a in provider.arrangements])[0]
        low, high = DURATION_DAYS[arrangement.rank]
        trajectory = _Trajectory(self._id("trajectory"), client_id, provider, municipality)
        self._allocate(trajectory, arrangement, start, start + timedelta(rng.randint(low, high)))
        if start <= today - timedelta(days=7):
            trajectory.status = TrajectoryStatus.STARTED
            trajectory.started_on = min(start + timedelta(days=rng.randint(0, 14)), today)
            self._changes(trajectory)
            self._end(trajectory)
        self._add("trajectory", trajectory.id, client_id, provider.id, municipality,
                  trajectory.status.value, trajectory.started_on, trajectory.ended_on,
                  trajectory.end_reason.value if trajectory.end_reason else None,
                  CBS_OUTCOME.get(trajectory.end_reason), _stamp(start - timedelta(days=3)))
        for allocation in trajectory.allocations:
            self._add("allocation", allocation.id, trajectory.id, municipality,
                      self._number(municipality), allocation.arrangement.id,
                      allocation.arrangement.tariff_on(allocation.start_date)[0],
                      provider.scheme_version_id, allocation.start_date, allocation.end_date,
                      allocation.planned_end_date, allocation.amount_cents,
                      allocation.change_reason.value if allocation.change_reason else None,
                      allocation.is_current, _stamp(allocation.start_date - timedelta(days=3)),
                      self.region.access_staff.get(municipality),
                      _stamp(allocation.start_date - timedelta(days=3)))
        if trajectory.started_on:
            goals = self._goals(trajectory)
            self._measurements(trajectory, goals)
            self._declare(trajectory)
        return trajectory

    def _number(self, municipality: int) -> int:
        number = self.numbers[municipality]
        self.numbers[municipality] = number + 1
        return number

    def _allocate(self, trajectory: _Trajectory, arrangement: ArrangementInfo, start: date,
                  end: date) -> _Allocation:
        allocation = _Allocation(self._id("allocation"), trajectory.id, arrangement, start, end,
                                 end, arrangement.tariff_on(start)[1])
        trajectory.allocations.append(allocation)
        return allocation

    def _changes(self, trajectory: _Trajectory) -> None:
        """Approved change requests to a heavier intensity: the allocation in force ends the
        day before the new one starts (portal.domain.requests.approve_change)."""
        rng = self.rng
        for _ in range(3):
            current = trajectory.allocations[-1]
            heavier = [a for a in trajectory.provider.arrangements
                       if a.profile_id == current.arrangement.profile_id
                       and a.rank == current.arrangement.rank + 1]
            latest = min(current.end_date, self.today)
            first = max(current.start_date, trajectory.started_on) + timedelta(days=30)
            if not heavier or first >= latest or rng.random() > self.scale.change_chance:
                return
            effective = first + timedelta(days=rng.randint(0, (latest - first).days))
            new_end = current.end_date + timedelta(days=90)
            current.end_date = effective - timedelta(days=1)
            current.change_reason, current.is_current = JZ002.BY_PROVIDER, False
            successor = self._allocate(trajectory, heavier[0], effective, new_end)
            requested = _stamp(effective - timedelta(days=rng.randint(5, 25)))
            self._add("change_request", self._id("change_request"), trajectory.id, current.id,
                      WJ758.CLIENT_SITUATION.value, heavier[0].id, new_end,
                      "De problematiek is toegenomen; meer behandeluren nodig.",
                      trajectory.provider.staff_id,
                      self.region.access_staff.get(trajectory.municipality_id), successor.id,
                      RequestStatus.APPROVED.value, requested, _stamp(effective - timedelta(1)))

    def _end(self, trajectory: _Trajectory) -> None:
        rng, today = self.rng, self.today
        current = trajectory.allocations[-1]
        began = max(current.start_date, trajectory.started_on)
        if current.end_date <= today and rng.random() < 0.92:
            on_plan = rng.random() < 0.6
        elif rng.random() < 0.10:
            on_plan = False
        else:
            return
        latest = min(current.end_date, today)
        if on_plan:
            reason = JZ588.ACCORDING_TO_PLAN
            ended_on = latest - timedelta(days=rng.randint(0, 10))
        else:
            reason = rng.choices(EARLY_REASONS, EARLY_WEIGHTS)[0]
            ended_on = began + timedelta(days=rng.randint(0, max(0, (latest - began).days)))
        trajectory.status = TrajectoryStatus.ENDED
        trajectory.ended_on = min(max(ended_on, began), latest)
        trajectory.end_reason = reason

    # Plans and measurements ---------------------------------------------------------------

    def _goals(self, trajectory: _Trajectory) -> list[int]:
        goals = []
        for domain in self.rng.sample(list(LifeDomain), self.rng.choice((1, 2))):
            goal_id = self._id("goal")
            self._add("goal", goal_id, trajectory.id, domain.value,
                      "Het kind gaat weer naar school en voelt zich veilig thuis.",
                      "Problemen verminderd.", "Meedoen op school en in de wijk.",
                      _stamp(trajectory.started_on))
            goals.append(goal_id)
        return goals

    def _measurements(self, trajectory: _Trajectory, goals: list[int]) -> None:
        rng = self.rng
        informants = [Informant.YOUNG_PERSON]
        if rng.random() < 0.5:
            informants.append(Informant.PARENT)
        moments = [(MeasurementMoment.START, trajectory.started_on)]
        if trajectory.status == TrajectoryStatus.ENDED:
            moments.append((MeasurementMoment.END, trajectory.ended_on))
        staff = trajectory.provider.staff_id
        for moment, day in moments:
            end = moment == MeasurementMoment.END
            for informant in informants:
                measurement_id = self._id("measurement")
                recent = day > self.today - timedelta(days=30)
                self._add(
                    "measurement", measurement_id, trajectory.id, moment.value, informant.value,
                    day, rng.choice(list(TreatmentResult)).value if end else None,
                    *(rng.choices(YES_NO, (60, 30, 10) if end else (40, 50, 10))[0].value
                      for _item in range(4)),
                    rng.randint(4, 10) if end else None,
                    rng.choice(list(WithoutHelp)).value if end else None,
                    (MeasurementStatus.SUBMITTED if recent else MeasurementStatus.ACCEPTED).value,
                    staff, _stamp(day, 14))
                if end:
                    for goal_id in goals:
                        self._add("goal_score_entry", measurement_id, goal_id,
                                  rng.choices(list(GoalScore), (55, 30, 15))[0].value)

    # Declarations -------------------------------------------------------------------------

    def _declare(self, trajectory: _Trajectory) -> None:
        """Every tranche earned is declared in the month after its product period; the last
        two months wait in the review queue, the rest were answered."""
        rng, today = self.rng, self.today
        provider = trajectory.provider
        for allocation in trajectory.allocations:
            for due in tranches_due(allocation, trajectory, provider.scheme):
                submitted_on = (due.period_end.replace(day=1) + timedelta(days=32)).replace(day=3)
                if submitted_on > today:
                    continue
                waiting = submitted_on > (today - timedelta(days=45))
                line = _Line(allocation, due.tranche.value, due.period_start, due.period_end,
                             due.amount_cents, submitted_on)
                if waiting:
                    self._line(trajectory, line, LineStatus.SUBMITTED)
                elif rng.random() < self.scale.rejected_share:
                    self._line(trajectory, line, LineStatus.REJECTED)
                    self._line(trajectory, line, LineStatus.APPROVED)  # declared again
                else:
                    debit = self._line(trajectory, line, LineStatus.APPROVED)
                    if rng.random() < self.scale.corrected_share:
                        self._line(trajectory, line, LineStatus.APPROVED,
                                   debit_credit=COD043.CREDIT, reference=debit)
                        self._line(trajectory, line, LineStatus.APPROVED)

    def _line(self, trajectory: _Trajectory, line: "_Line", status: LineStatus,
              debit_credit: COD043 = COD043.DEBIT, reference: str | None = None) -> str:
        provider, municipality = trajectory.provider, trajectory.municipality_id
        declaration_id = self._declaration(provider, municipality, line.submitted_on)
        line_id = self._id("declaration_line")
        reference = reference or f"B{line_id}"
        decided = status != LineStatus.SUBMITTED
        decided_on = line.submitted_on + timedelta(days=self.rng.randint(1, 12))
        self._add(
            "declaration_line", line_id, declaration_id, provider.id, municipality,
            line.allocation.id, reference, line.tranche, line.allocation.arrangement.category,
            line.allocation.arrangement.code, line.period_start, line.period_end,
            line.amount_cents, debit_credit.value, status.value, _answer_due(line.submitted_on),
            self.region.reviewers.get(municipality) if decided else None,
            _stamp(decided_on) if decided else None,
            WJ001.TARIFF_DIFFERS.value if status == LineStatus.REJECTED else None,
            "Het tarief klopt niet." if status == LineStatus.REJECTED else None)
        self._declaration_lines[declaration_id].append(status)
        return reference

    def _declaration(self, provider: ProviderInfo, municipality: int, submitted_on: date) -> int:
        key = (provider.id, municipality, submitted_on.replace(day=1))
        period = (key[2] - timedelta(days=1)).replace(day=1)
        demo = self.region.declarations.get((provider.id, municipality, period))
        if demo is not None:
            return demo
        if key not in self._declarations:
            self._declarations[key] = self._id("declaration")
        return self._declarations[key]

    def _finish_declarations(self) -> None:
        providers = {p.id: p for p in self.region.providers}
        for (provider_id, municipality, month), declaration_id in self._declarations.items():
            submitted_on = month.replace(day=3)
            waiting = LineStatus.SUBMITTED in self._declaration_lines[declaration_id]
            status = DeclarationStatus.SUBMITTED if waiting else DeclarationStatus.ANSWERED
            self._add("declaration", declaration_id, provider_id, municipality,
                      f"B{declaration_id}", (month - timedelta(days=1)).replace(day=1),
                      status.value, _stamp(submitted_on, 9), providers[provider_id].staff_id,
                      _stamp(submitted_on), _answer_due(submitted_on))


@dataclass(frozen=True)
class _Line:
    allocation: _Allocation
    tranche: str
    period_start: date
    period_end: date
    amount_cents: int
    submitted_on: date
