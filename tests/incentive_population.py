"""A small population for the incentives watch where every answer is known (2026):

Horizon (provider 0) in 's-Gravenhage, ten trajectories active in 2026, all first allocated
in 2026: five running (one first allocated 'Ontwikkeling, licht'; one extended at the same
intensity, one upscaled to 'zwaar', both approved 1 June); a child born in 2009 whose
trajectory ended on 31 March (31) and who came back on 1 June; two ends on 29 May with 38
(nothing follows) and 39 (De Kiem allocates on 10 June), and one on 10 November with 38.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from portal.domain.codes import JZ588, WJ758
from portal.domain.requests import approve_change, request_change
from portal.domain.trajectories import ChildDetails, end_trajectory
from portal.extensions import db
from portal.models import Trajectory
from tests.factories import World, next_bsn

TODAY = date(2026, 11, 23)
DECIDED = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


@dataclass
class Population:
    returned: Trajectory
    not_followed: Trajectory
    followed: Trajectory
    pending: Trajectory


def _change(world: World, trajectory: Trajectory, arrangement: str) -> None:
    change = request_change(trajectory, reason=WJ758.CARE_PLAN,
                            arrangement=world.arrangements[arrangement],
                            end_date=date(2026, 10, 31), motivation="Nodig",
                            actor=world.users["provider_staff"])
    approve_change(change, date(2026, 6, 1), world.users["access_staff"])
    change.decided_at = DECIDED


def _ended(world: World, day: date, reason: JZ588, **kwargs) -> Trajectory:
    trajectory = world.trajectory("started", **kwargs)
    end_trajectory(trajectory, day, reason, world.users["provider_staff"], today=TODAY)
    return trajectory


def populate(world: World) -> Population:
    running = [world.trajectory("started") for _ in range(4)]
    running.append(world.trajectory("started", arrangement="ontw_licht"))
    _change(world, running[0], "ontw_midden")  # a longer period at the same intensity
    _change(world, running[1], "ontw_zwaar")
    teen = ChildDetails(next_bsn(), date(2009, 1, 15), "Noor", "Terugkeer")
    _ended(world, date(2026, 3, 31), JZ588.ACCORDING_TO_PLAN, child=teen)
    returned = world.trajectory(child=teen, start=date(2026, 6, 1), end=date(2026, 12, 31),
                                started_on=date(2026, 6, 2))
    not_followed = _ended(world, date(2026, 5, 29), JZ588.OTHER_PROVIDER)
    followed = _ended(world, date(2026, 5, 29), JZ588.OTHER_DOMAIN)
    world.trajectory(provider=1, child=ChildDetails(
        followed.client.bsn, followed.client.birth_date, followed.client.given_name,
        followed.client.family_name), start=date(2026, 6, 10), end=date(2026, 12, 31))
    pending = _ended(world, date(2026, 11, 10), JZ588.OTHER_PROVIDER, end=date(2026, 12, 31))
    db.session.commit()
    return Population(returned, not_followed, followed, pending)
