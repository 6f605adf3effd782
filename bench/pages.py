"""The pages measured, each with the account that uses it and its aims (issue 17), found in
the bench database."""

from dataclasses import dataclass

from sqlalchemy import func, select

from bench.dataset import CONTRACT_MANAGER, PROVIDER_STAFF, REVIEWER
from portal.domain.lists import TrajectoryStatus
from portal.extensions import db
from portal.models import Measurement, Trajectory, User

LIST = "list"
DASHBOARD = "dashboard"  # aim: no request over 300 ms, the first after a worker start too
DASHBOARD_MAX_MS = 300
# The ratios to the ceiling of 23 November 2026 (docs/performance.md), which issue 17 asks
# to double for the lists and to quadruple for the queue; a ratio, because the ceiling
# measured in the same run carries the machine's load of the moment.
LIST_RATIO_BEFORE, QUEUE_RATIO_BEFORE = 0.025, 0.007


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    email: str
    kind: str
    min_ratio: float | None = None  # of the ceiling's requests per second
    max_p95_ms: float | None = None


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
    lists = {"kind": LIST, "min_ratio": 2 * LIST_RATIO_BEFORE, "max_p95_ms": 100}
    return [
        Page("trajectory list, first page", "/trajecten", PROVIDER_STAFF, **lists),
        Page("trajectory list, started, deep cursor",
             f"/trajecten?status=started&na={deep}", PROVIDER_STAFF, **lists),
        Page("review queue, overdue of one provider",
             f"/beoordelen?overdue=y&provider={provider_id}", REVIEWER, LIST,
             min_ratio=4 * QUEUE_RATIO_BEFORE),
        Page("trajectory page", f"/trajecten/{measured}", PROVIDER_STAFF, LIST,
             max_p95_ms=150),
        Page("region dashboard", "/stuurinformatie", CONTRACT_MANAGER, DASHBOARD),
        Page("provider dashboard", f"/stuurinformatie/aanbieders/{provider_id}",
             CONTRACT_MANAGER, DASHBOARD),
    ]
