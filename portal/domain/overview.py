"""Figures for the start page of each role."""

from sqlalchemy import func, select, true

from portal.domain.lists import REGION_ROLES, TrajectoryStatus
from portal.domain.permissions import trajectory_scope
from portal.extensions import db
from portal.models import Contract, Municipality, Provider, Trajectory, User


def trajectory_counts(user: User) -> dict[TrajectoryStatus, int]:
    """Trajectories per status (every status, zero included): the user's own organisation's,
    or region-wide totals for the region's roles (numbers only, no child's record)."""
    scope = true() if user.role in REGION_ROLES else trajectory_scope(user)
    rows = db.session.execute(
        select(Trajectory.status, func.count()).where(scope).group_by(Trajectory.status)
    ).all()
    counts = dict.fromkeys(TrajectoryStatus, 0)
    counts.update({TrajectoryStatus(status): n for status, n in rows})
    return counts


def start_page_figures(user: User) -> dict:
    figures = {"trajectories": trajectory_counts(user)}
    if user.role in REGION_ROLES:
        figures["organisations"] = {
            "municipalities": db.session.scalar(select(func.count(Municipality.id))),
            "providers": db.session.scalar(select(func.count(Provider.id))),
            "contracts": db.session.scalar(select(func.count(Contract.id))),
        }
    return figures
