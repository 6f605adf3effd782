"""The shared test data (tests/layers.py): built once, seen only by who asks, never kept."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Region
from tests.factories import RegionFactory
from tests.layers import (
    BUILDERS,
    Builder,
    SharedConnection,
    chain,
    check_served,
    swapped_session,
)


def region_names() -> list[str]:
    return list(db.session.scalars(select(Region.name).order_by(Region.name)))


@pytest.mark.committed  # its own shared connection: the run's is closed for it
def test_a_layer_is_built_once_and_what_a_test_adds_on_it_is_undone():
    built = []

    def probe_region():
        built.append(RegionFactory(name="Laag").id)
        return built[-1]

    BUILDERS["probe_region"] = Builder(None, probe_region)
    shared = SharedConnection()
    try:
        for _test in range(2):
            connection = shared.prepare(("probe_region",))
            savepoint = connection.begin_nested()
            with swapped_session(connection):
                assert region_names() == ["Laag"]
                RegionFactory(name="Test")  # commits: releases a SAVEPOINT only
                assert region_names() == ["Laag", "Test"]
            savepoint.rollback()
        assert len(built) == 1 and shared.value("probe_region") == built[0]
        with swapped_session(shared.prepare(())):  # a test without the layer
            assert region_names() == []
    finally:
        shared.close()
        del BUILDERS["probe_region"]
    assert db.session.scalar(select(func.count(Region.id))) == 0  # nothing was committed


def test_a_test_stands_on_the_layers_its_fixtures_ask_for():
    BUILDERS["probe_objects"] = Builder("world", lambda world: None)
    BUILDERS["probe_more"] = Builder("probe_objects", lambda objects: None)
    try:
        assert chain({"client", "probe_objects", "world"}) == ("world", "probe_objects")
        # a layer's fixture does not ask for the one below it: the stack comes along
        assert chain({"probe_more", "world"}) == ("world", "probe_objects", "probe_more")
        with pytest.raises(AssertionError, match="one stack"):
            chain({"probe_more", "region_a"})
    finally:
        del BUILDERS["probe_objects"], BUILDERS["probe_more"]
    assert chain({"seeded_demo", "client"}) == ("seeded_demo",)
    assert chain({"client"}) == ()


def test_a_layers_name_that_another_fixture_served_is_found(client):
    check_served({"client"})  # no layer among the names: nothing to find
    # as after a test given an argument `region_a` (the layer's fixture never ran):
    with pytest.raises(AssertionError, match=r"\['region_a'\]: a layer's name, taken"):
        check_served({"region_a", "client"})


def test_without_world_the_database_is_empty():
    assert region_names() == []


def test_the_world_is_in_the_tests_own_session_as_after_a_commit(world):
    reviewer = world.users["reviewer"]
    assert reviewer in db.session and "email" not in reviewer.__dict__  # expired
    assert reviewer.organisation == world.municipalities[0]
    assert world.contracts[0].provider is world.providers[0]
