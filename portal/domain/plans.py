"""The plan: goals per trajectory, each in a life domain."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.domain import DomainError
from portal.domain.audit import record, snapshot
from portal.domain.lists import LifeDomain
from portal.domain.states import is_running
from portal.extensions import db
from portal.models import Goal, Trajectory, User

GOAL_FIELDS = ("life_domain", "description", "treatment_aim", "societal_aim")


@dataclass(frozen=True)
class GoalText:
    life_domain: LifeDomain
    description: str
    treatment_aim: str
    societal_aim: str


def _check_open(trajectory: Trajectory) -> None:
    if not is_running(trajectory):
        raise DomainError(_l("Het plan van een beëindigd traject kan niet meer worden gewijzigd."))


def _clean(text: GoalText) -> GoalText:
    values = {name: getattr(text, name) for name in GOAL_FIELDS}
    for name in ("description", "treatment_aim", "societal_aim"):
        values[name] = (values[name] or "").strip()
        if not values[name]:
            raise DomainError(_l("Dit veld is verplicht."), field=name)
    return GoalText(**values)


def add_goal(trajectory: Trajectory, text: GoalText, actor: User) -> Goal:
    _check_open(trajectory)
    goal = Goal(trajectory=trajectory, **vars(_clean(text)))
    db.session.add(goal)
    db.session.flush()
    record(actor, "goal.added", goal, trajectory=trajectory, after=snapshot(goal, *GOAL_FIELDS))
    return goal


def edit_goal(goal: Goal, text: GoalText, actor: User) -> None:
    _check_open(goal.trajectory)
    before = snapshot(goal, *GOAL_FIELDS)
    for name, value in vars(_clean(text)).items():
        setattr(goal, name, value)
    db.session.flush()
    record(actor, "goal.edited", goal, trajectory=goal.trajectory, before=before,
           after=snapshot(goal, *GOAL_FIELDS))
