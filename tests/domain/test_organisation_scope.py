"""Organisation scoping: each account sees only the trajectories of its own organisation."""

from portal.domain.overview import trajectory_counts


def test_each_organisation_counts_only_its_own_trajectories(world):
    world.trajectory()  # Horizon, 's-Gravenhage
    world.trajectory(provider=1)  # De Kiem, 's-Gravenhage
    world.trajectory(provider=1, municipality=1)  # De Kiem, Delft

    def visible(key: str) -> int:
        return sum(trajectory_counts(world.users[key]).values())

    assert visible("provider_staff") == 1
    assert visible("other_provider_staff") == 2
    assert visible("access_staff") == 2
    assert visible("other_reviewer") == 1
    assert visible("contract_manager") == 3
