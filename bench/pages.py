"""The pages measured, each with the account that uses it, found in the bench database."""

from dataclasses import dataclass

from sqlalchemy import func, select

from bench.dataset import CONTRACT_MANAGER, PROVIDER_STAFF, REVIEWER
from portal.domain.lists import TrajectoryStatus
from portal.extensions import db
from portal.models import Measurement, Trajectory, User

LIST = "list"  # aims: >= 0.25x the ceiling's rps, p95 < 100 ms, no errors
DASHBOARD = "dashboard"  # aim: p95 < 300 ms over the whole data set


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    email: str
    kind: str


def bench_pages() -> list[Page]:
    """Needs an app context on the bench database."""
    staff = db.session.scalar(select(User).where(User.email == PROVIDER_STAFF))
    provider_id = staff.provider_id
    started = (select(Trajectory.id).where(Trajectory.provider_id == provider_id,
                                            Trajectory.status == TrajectoryStatus.STARTED)
               .order_by(Trajectory.id.desc()))
    count = db.session.scalar(select(func.count()).select_from(started.subquery()))
    deep = db.session.scalar(started.offset(count * 3 // 4).limit(1))
    measured = db.session.scalar(
        select(Trajectory.id).join(Measurement, Measurement.trajectory_id == Trajectory.id)
        .where(Trajectory.provider_id == provider_id,
               Trajectory.status == TrajectoryStatus.ENDED)
        .order_by(Trajectory.id.desc()).limit(1))
    return [
        Page("trajectory list, first page", "/trajecten", PROVIDER_STAFF, LIST),
        Page("trajectory list, started, deep cursor",
             f"/trajecten?status=started&na={deep}", PROVIDER_STAFF, LIST),
        Page("review queue, overdue of one provider",
             f"/beoordelen?overdue=y&provider={provider_id}", REVIEWER, LIST),
        Page("trajectory page", f"/trajecten/{measured}", PROVIDER_STAFF, LIST),
        Page("region dashboard", "/stuurinformatie", CONTRACT_MANAGER, DASHBOARD),
        Page("provider dashboard", f"/stuurinformatie/aanbieders/{provider_id}",
             CONTRACT_MANAGER, DASHBOARD),
    ]
