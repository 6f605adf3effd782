"""Figures for the start page of each role."""

from sqlalchemy import func, select

from portal.domain.lists import REGION_ROLES, TrajectoryStatus
from portal.domain.permissions import trajectory_scope
from portal.domain.regions import contracted_provider_ids, municipality_ids_in
from portal.extensions import db
from portal.models import Contract, Municipality, Provider, Trajectory, User


def trajectory_counts(user: User) -> dict[TrajectoryStatus, int]:
    """Trajectories per status (every status, zero included): the user's own organisation's,
    or the region's totals for the region's roles (numbers only, no child's record)."""
    scope = (Trajectory.municipality_id.in_(municipality_ids_in(user.region_id))
             if user.role in REGION_ROLES else trajectory_scope(user))
    rows = db.session.execute(
        select(Trajectory.status, func.count()).where(scope).group_by(Trajectory.status)
    ).all()
    counts = dict.fromkeys(TrajectoryStatus, 0)
    counts.update({TrajectoryStatus(status): n for status, n in rows})
    return counts


def start_page_figures(user: User) -> dict:
    figures: dict[str, object] = {"trajectories": trajectory_counts(user)}
    if user.role in REGION_ROLES:
        region = [user.region_id]
        figures["organisations"] = {
            "municipalities": db.session.scalar(select(func.count(Municipality.id)).where(
                Municipality.region_id == user.region_id)),
            "providers": db.session.scalar(select(func.count(Provider.id)).where(
                Provider.id.in_(contracted_provider_ids(region)))),
            "contracts": db.session.scalar(select(func.count(Contract.id)).where(
                Contract.region_id == user.region_id)),
        }
    return figures
