"""Demo declarations in every state, made through the domain functions the portal uses.

For the municipalities with a reviewer in the demo, each provider declares four months:
three months ago (answered; one line rejected, one corrected later, the approved lines in a
payment export), two months ago (partly answered, the rest overdue), last month (waiting,
within the answer period) and this month (a concept).
"""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from portal.domain.codes import WJ001
from portal.domain.declarations import (
    credit_line,
    delete_concept,
    start_declaration,
    submit_declaration,
)
from portal.domain.lists import (
    Informant,
    MeasurementMoment,
    Role,
    TrajectoryStatus,
    WithoutHelp,
    YesNoUnknown,
)
from portal.domain.measurements import has_end_measurement
from portal.domain.payment_exports import create_export
from portal.domain.review import approve_lines, reject_line
from portal.domain.timeliness import answer_working_days
from portal.extensions import db
from portal.models import Declaration, Measurement, Provider, Trajectory, User

MEASURED_SHARE = 6  # five in six ended trajectories have an end measurement in the demo


def build_demo_declarations(today: date) -> None:
    _end_measurements()
    reviewers = db.session.scalars(select(User).where(User.role == Role.REVIEWER)
                                   .order_by(User.id)).all()
    providers = db.session.scalars(select(Provider).order_by(Provider.id)).all()
    staff = {user.provider_id: user for user in db.session.scalars(
        select(User).where(User.role == Role.PROVIDER_STAFF).order_by(User.id.desc()))}
    for reviewer in reviewers:
        for provider in providers:
            _declare_four_months(today, provider, reviewer, staff[provider.id])
        create_export(reviewer.own_municipality, _month(today, -3), _month(today, -3), reviewer)


def _end_measurements() -> None:
    """Minimal end measurements for most ended trajectories that have none yet (the
    measurement demo may have made them already)."""
    ended = db.session.scalars(select(Trajectory).where(
        Trajectory.status == TrajectoryStatus.ENDED, Trajectory.started_on.is_not(None))
        .order_by(Trajectory.id)).all()
    for n, trajectory in enumerate(ended):
        if n % MEASURED_SHARE == 0 or has_end_measurement(trajectory):
            continue
        db.session.add(Measurement(
            trajectory=trajectory, moment=MeasurementMoment.END, informant=Informant.PARENT,
            measured_on=trajectory.ended_on, goes_to_school_or_work=YesNoUnknown.YES,
            grows_up_at_home=YesNoUnknown.YES, takes_part=YesNoUnknown.YES,
            is_safe=YesNoUnknown.YES, satisfaction=7 + n % 3,
            without_help=WithoutHelp.NONE if n % 2 else WithoutHelp.LIGHTER,
            submitted_by_id=_provider_user_id(trajectory)))
    db.session.flush()


def _provider_user_id(trajectory: Trajectory) -> int:
    return db.session.execute(select(User.id).where(User.provider_id == trajectory.provider_id)
                              .order_by(User.id).limit(1)).scalar_one()


def _month(today: date, offset: int) -> date:
    """The first day of the month `offset` months from today's."""
    index = today.year * 12 + today.month - 1 + offset
    return date(index // 12, index % 12 + 1, 1)


def _declare(today, provider, reviewer, actor, offset: int) -> Declaration | None:
    declaration, _created = start_declaration(provider, reviewer.municipality,
                                              _month(today, offset), actor, today)
    if declaration.lines:
        return declaration
    delete_concept(declaration, actor)
    return None


def _submit(declaration: Declaration, actor: User, day: date) -> None:
    submit_declaration(declaration, actor, day)
    # The demo tells a story over past months: the timestamps follow the story.
    submitted_at = datetime.combine(day, time(10, 0), tzinfo=UTC)
    declaration.submitted_at = submitted_at
    declaration.created_at = submitted_at - timedelta(days=1)


def _decided_within_days(declaration: Declaration, days: int) -> None:
    submitted_at = declaration.submitted_at
    if submitted_at is None:  # only a submitted declaration's lines are decided
        raise ValueError(f"declaration {declaration.id} was not submitted")
    for line in declaration.lines:
        if line.decided_at is not None:
            line.decided_at = submitted_at + timedelta(days=days)
            line.answered_working_days = answer_working_days(submitted_at, line.decided_at)


def _declare_four_months(today, provider, reviewer, actor) -> None:
    answered = _declare(today, provider, reviewer, actor, -3)
    if answered is not None:
        _submit(answered, actor, _month(today, -2) + timedelta(days=4))
        first, *rest = answered.lines
        if rest:
            reject_line(first, WJ001.NOT_THIS_CLIENT,
                        "Volgens het dossier van de gemeente kreeg dit kind deze zorg niet.",
                        reviewer)
        approve_lines(rest or [first], reviewer)
        _decided_within_days(answered, 6)
    partly = _declare(today, provider, reviewer, actor, -2)
    if partly is not None:
        _submit(partly, actor, _month(today, -1) + timedelta(days=3))
        approve_lines(partly.lines[: len(partly.lines) // 2], reviewer)
        _decided_within_days(partly, 8)
    waiting = _declare(today, provider, reviewer, actor, -1)
    if waiting is not None:
        _submit(waiting, actor, max(_month(today, -1), today - timedelta(days=2)))
    if answered is not None and len(answered.lines) > 2:
        credit_line(answered.lines[-1], actor, today)  # a correction, still a concept
    else:
        _declare(today, provider, reviewer, actor, 0)
