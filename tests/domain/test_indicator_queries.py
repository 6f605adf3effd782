"""The rows behind the indicators, read from the database in a fixed number of queries."""

from datetime import date, timedelta

from portal.domain.codes import COD043, JZ588, WJ758
from portal.domain.figures import Period
from portal.domain.indicator_queries import group_names, load_indicator_data
from portal.domain.indicators import GoalRow, LaterStartRow
from portal.domain.lists import (
    GoalScore,
    Informant,
    LifeDomain,
    LineStatus,
    MeasurementMoment,
    Tranche,
    TreatmentResult,
    YesNoUnknown,
)
from portal.domain.measurements import Answers, record_measurement
from portal.domain.plans import GoalText, add_goal
from portal.domain.requests import approve_change, request_change
from portal.domain.trajectories import ChildDetails, end_trajectory
from portal.extensions import db
from portal.models import Declaration, DeclarationLine
from tests.factories import next_bsn

# The world's trajectories end on 31-07-2026; changes are decided today.
PERIOD = Period(date(2026, 1, 1), date.today() + timedelta(days=1))


def measurement(world, trajectory, moment, goal_scores=None):
    no = YesNoUnknown.NO
    record_measurement(trajectory, Answers(
        moment=moment, informant=Informant.YOUNG_PERSON, measured_on=date(2026, 7, 31),
        goes_to_school_or_work=no, grows_up_at_home=no, takes_part=no, is_safe=no,
        treatment_result=None if moment == MeasurementMoment.START else TreatmentResult.SOLVED,
        goal_scores=goal_scores or {}, satisfaction=None), world.users["provider_staff"],
        date.today())


def line(declaration, allocation, reference, cents, status=LineStatus.APPROVED,
         debit_credit=COD043.DEBIT):
    return DeclarationLine(
        declaration=declaration, provider_id=declaration.provider.id,
        municipality_id=declaration.municipality.id, allocation_id=allocation.id,
        reference=reference, tranche=Tranche.END, period_start=date(2026, 7, 1),
        period_end=date(2026, 7, 31), amount_cents=cents, debit_credit=debit_credit,
        status=status, product_category=allocation.arrangement.product_category,
        product_code=allocation.arrangement.product_code)


def test_rows_for_trajectories_measurements_goals_later_starts_changes_and_costs(world):
    child = ChildDetails(next_bsn(), date(2014, 3, 9), "Lina", "Bakker")
    ended = world.trajectory("started", child=child)
    goal = add_goal(ended, GoalText(LifeDomain.HEALTH, "Slaapt goed", "Minder onrust",
                                    "Fit voor school"), world.users["provider_staff"])
    end_trajectory(ended, date(2026, 7, 31), JZ588.ACCORDING_TO_PLAN,
                   world.users["provider_staff"])
    measurement(world, ended, MeasurementMoment.END, {goal.id: GoalScore.ACHIEVED})
    world.trajectory(child=child, start=date(2026, 9, 1), end=date(2027, 2, 28))  # allocated
    running = world.trajectory("started")
    change = request_change(running, reason=WJ758.CLIENT_SITUATION,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=date(2026, 10, 31), motivation="Meer hulp nodig",
                            actor=world.users["provider_staff"])
    approve_change(change, date(2026, 4, 1), world.users["access_staff"])
    world.trajectory(start=date(2025, 1, 1), end=date(2025, 6, 30))  # never started: absent
    declaration = Declaration(provider=world.providers[0], municipality=world.municipalities[0],
                              number="D-1", period=date(2026, 7, 1),
                              created_by=world.users["provider_staff"])
    allocation = ended.current_allocation
    db.session.add_all([
        line(declaration, allocation, "R1", 336000),
        line(declaration, allocation, "R2", 504000),
        line(declaration, allocation, "R2", 504000, debit_credit=COD043.CREDIT),
        line(declaration, allocation, "R3", 450000),
        line(declaration, allocation, "R4", 999, status=LineStatus.REJECTED),
        line(declaration, allocation, "R5", 777, status=LineStatus.SUBMITTED),
    ])
    db.session.flush()

    data = load_indicator_data(PERIOD, world.region.id)

    by_id = {t.id: t for t in data.trajectories}
    assert set(by_id) == {ended.id, running.id}  # `later` has not started: not active
    assert (by_id[ended.id].end_reason, by_id[ended.id].started_on) == (
        JZ588.ACCORDING_TO_PLAN, date(2026, 2, 3))
    # The first arrangement, not the one in force after upscaling:
    assert by_id[running.id].arrangement_id == world.arrangements["ontw_midden"].id
    assert [(m.trajectory_id, m.moment, m.treatment_result) for m in data.measurements] == [
        (ended.id, MeasurementMoment.END, TreatmentResult.SOLVED)]
    assert data.goals == [GoalRow(ended.id, goal.id, Informant.YOUNG_PERSON,
                                  GoalScore.ACHIEVED)]
    assert data.later_starts == [LaterStartRow(ended.id, date(2026, 9, 1))]
    assert [(c.trajectory_id, c.from_rank, c.to_rank) for c in data.changes] == [
        (running.id, 2, 3)]
    # 336,000 + 504,000 - 504,000 + 450,000; rejected and submitted lines do not count
    assert data.costs == {ended.id: 786000}
    assert group_names("provider", [p.id for p in world.providers]) == {
        world.providers[1].id: "De Kiem", world.providers[0].id: "Horizon Jeugdhulp"}


def test_the_number_of_queries_does_not_grow_with_the_trajectories(world, count_queries):
    world.trajectory("ended")
    with count_queries() as few:
        load_indicator_data(PERIOD, world.region.id)
    for _ in range(4):
        world.trajectory("ended")
    with count_queries() as many:
        load_indicator_data(PERIOD, world.region.id)
    assert len(many) == len(few)
