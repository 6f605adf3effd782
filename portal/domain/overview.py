"""Figures for the start page of each role."""

from sqlalchemy import func, select

from portal.domain.lists import TrajectoryStatus
from portal.domain.permissions import trajectory_scope
from portal.extensions import db
from portal.models import Trajectory, User


def trajectory_counts(user: User) -> dict[TrajectoryStatus, int]:
    """Trajectories the user may see, per status (every status present, zero included)."""
    rows = db.session.execute(
        select(Trajectory.status, func.count())
        .where(trajectory_scope(user))
        .group_by(Trajectory.status)
    ).all()
    counts = dict.fromkeys(TrajectoryStatus, 0)
    counts.update({TrajectoryStatus(status): n for status, n in rows})
    return counts


def start_page_figures(user: User) -> dict:
    return {"trajectories": trajectory_counts(user)}
