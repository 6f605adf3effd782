"""Two regions in one database: what each region's trajectories look like in the wall tests."""

from datetime import date

from portal.domain.codes import COD043, JZ588, WJ758
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
from portal.domain.trajectories import end_trajectory
from portal.extensions import db
from portal.models import Contract, Declaration, DeclarationLine, Trajectory
from tests.factories import World, build_world

# The trajectories end on 31-07-2026.
YEAR = "van=2026-01-01&tot=2026-12-31"


def _end(world: World, trajectory: Trajectory, reason: JZ588, satisfaction: int) -> None:
    staff = world.users["provider_staff" if trajectory.provider == world.providers[0]
                        else "other_provider_staff"]
    goal = add_goal(trajectory, GoalText(LifeDomain.HEALTH, "Slaapt goed", "Minder onrust",
                                         "Naar school"), staff)
    end_trajectory(trajectory, date(2026, 7, 31), reason, staff)
    no, yes = YesNoUnknown.NO, YesNoUnknown.YES
    for moment, answer in ((MeasurementMoment.START, no), (MeasurementMoment.END, yes)):
        end = moment == MeasurementMoment.END
        record_measurement(trajectory, Answers(
            moment=moment, informant=Informant.YOUNG_PERSON, measured_on=date(2026, 7, 31),
            goes_to_school_or_work=answer, grows_up_at_home=answer, takes_part=answer,
            is_safe=answer, treatment_result=TreatmentResult.SOLVED if end else None,
            goal_scores={goal.id: GoalScore.ACHIEVED} if end else {},
            satisfaction=satisfaction if end else None), staff, date(2026, 8, 1))


def _paid(world: World, trajectories: list[Trajectory], number: str, cents: int) -> None:
    """An approved end tranche for each trajectory (the cost figures)."""
    declaration = Declaration(provider=trajectories[0].provider,
                              municipality=trajectories[0].municipality, number=number,
                              period=date(2026, 7, 1), created_by=world.users["provider_staff"])
    for n, trajectory in enumerate(trajectories):
        allocation = trajectory.current_allocation
        db.session.add(DeclarationLine(
            declaration=declaration, provider_id=trajectory.provider_id,
            municipality_id=trajectory.municipality_id, allocation_id=allocation.id,
            reference=f"{number}-{n}", tranche=Tranche.END, period_start=date(2026, 7, 1),
            period_end=date(2026, 7, 31), amount_cents=cents, debit_credit=COD043.DEBIT,
            status=LineStatus.APPROVED, product_category=allocation.arrangement.product_category,
            product_code=allocation.arrangement.product_code))
    db.session.flush()


def populate(world: World, *, plan_ends: int, drop_outs: int, provider: int = 0,
             satisfaction: int = 8, cents: int = 504000) -> list[Trajectory]:
    """Trajectories of one provider in the first municipality, ended according to plan or
    by drop-out, measured, with goals, costs and one upscaling of a running trajectory."""
    ended = []
    for reason, count in ((JZ588.ACCORDING_TO_PLAN, plan_ends),
                          (JZ588.EARLY_BY_CLIENT, drop_outs)):
        for _ in range(count):
            trajectory = world.trajectory("started", provider=provider)
            _end(world, trajectory, reason, satisfaction)
            ended.append(trajectory)
    _paid(world, ended, f"D{world.region.id}-{provider}", cents)
    running = world.trajectory("started", provider=provider)
    staff = world.users["provider_staff" if provider == 0 else "other_provider_staff"]
    upscale = request_change(running, reason=WJ758.CLIENT_SITUATION,
                             arrangement=world.arrangements["ontw_zwaar"],
                             end_date=date(2026, 10, 31), motivation="Meer hulp nodig",
                             actor=staff) if provider == 0 else None
    if upscale is not None:
        approve_change(upscale, date(2026, 4, 1), world.users["access_staff"])
    db.session.commit()
    return ended


def second_region() -> World:
    from tests.factories import SECOND_REGION

    return build_world(SECOND_REGION)


def work_in_region_b(world: World, north: World, trajectories: int = 1, **state) -> None:
    """Region A's Horizon contracted in region B too, with `trajectories` of its own there
    (`state`: the factory's trait, e.g. started=True or ended=True)."""
    from tests.factories import TrajectoryFactory, demo_scheme

    horizon, arrangement = world.providers[0], north.arrangements["ontw_midden"]
    db.session.add(Contract(number="N-003", region=north.region, provider=horizon,
                            starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31),
                            scheme_versions=[demo_scheme()], arrangements=[arrangement]))
    db.session.flush()
    for _ in range(trajectories):
        TrajectoryFactory(municipality=north.municipalities[0], provider=horizon,
                          arrangement=arrangement, actor=world.users["provider_staff"], **state)
