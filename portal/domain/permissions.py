"""Who may see what: organisation scopes as query criteria, and can_* checks."""

from sqlalchemy import true

from portal.models import Trajectory, User


def trajectory_scope(user: User):
    """A provider sees its own trajectories, a municipality those of its children."""
    if user.provider_id is not None:
        return Trajectory.provider_id == user.provider_id
    if user.municipality_id is not None:
        return Trajectory.municipality_id == user.municipality_id
    return true()
