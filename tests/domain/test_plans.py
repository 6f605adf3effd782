"""Plan goals: added and edited while the trajectory runs."""


import pytest

from portal.domain import DomainError
from portal.domain.lists import LifeDomain
from portal.domain.plans import GoalText, add_goal, edit_goal

GOAL = GoalText(LifeDomain.EDUCATION_WORK, "Gaat weer naar school", "Minder angst",
                "Volledig schoolbezoek")


def test_goals_are_added_and_edited_until_the_end(world):
    trajectory = world.trajectory("started")
    actor = world.users["provider_staff"]
    goal = add_goal(trajectory, GOAL, actor)
    edit_goal(goal, GoalText(LifeDomain.SAFETY, "Veilig thuis", "Geen escalaties",
                             "Blijft thuis wonen"), actor)
    assert (goal.life_domain, goal.description) == (LifeDomain.SAFETY, "Veilig thuis")
    ended = world.trajectory("ended")
    with pytest.raises(DomainError, match="beëindigd"):
        add_goal(ended, GOAL, actor)


def test_a_goal_needs_its_texts(world):
    with pytest.raises(DomainError) as caught:
        add_goal(world.trajectory("started"), GoalText(LifeDomain.HEALTH, "  ", "x", "y"),
                 world.users["provider_staff"])
    assert caught.value.field == "description"
