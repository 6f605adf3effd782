"""Trajectory screens per role: lists, the page, and the provider's actions."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.domain.codes import JZ002
from portal.domain.contracts import add_scheme_version
from portal.domain.lists import EarlyEndRule, TrajectoryStatus
from portal.domain.trajectories import end_allocation
from portal.extensions import db
from portal.models import AuditEvent
from tests.conftest import login_as


@pytest.fixture
def trajectories(world):
    """Two of Horizon's in Den Haag, one of De Kiem in Delft."""
    return {
        "own": world.trajectory("started"),
        "own_new": world.trajectory(),
        "other": world.trajectory(provider=1, municipality=1),
    }


def allocation_number(trajectory) -> str:
    return f">{trajectory.current_allocation.number}</a>"


def test_provider_list_shows_only_its_own_trajectories(client, world, trajectories):
    login_as(client, world.users["provider_staff"])
    html = client.get("/trajecten").get_data(as_text=True)
    assert trajectories["own"].client.name in html
    assert trajectories["other"].client.name not in html
    assert trajectories["own"].client.bsn not in html  # masked in lists
    assert trajectories["own"].client.masked_bsn in html


def test_municipality_list_shows_only_its_own_children(client, world, trajectories):
    login_as(client, world.users["other_reviewer"])  # Delft
    html = client.get("/trajecten").get_data(as_text=True)
    assert trajectories["other"].client.name in html
    assert trajectories["own"].client.name not in html


@pytest.mark.parametrize("role", ["contract_manager", "administrator"])
def test_region_roles_do_not_see_childrens_trajectories(client, world, role):
    login_as(client, world.users[role])
    assert client.get("/trajecten").status_code == 403


def test_filters_and_htmx_fragment(client, world, trajectories):
    login_as(client, world.users["provider_staff"])
    html = client.get("/trajecten?status=allocated").get_data(as_text=True)
    assert trajectories["own_new"].client.name in html and "<html" in html
    assert allocation_number(trajectories["own"]) not in html
    fragment = client.get("/trajecten?status=started", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and allocation_number(trajectories["own"]) in text
    assert "HX-Request" in fragment.headers["Vary"]


def test_search_by_allocation_number_and_name(client, world, trajectories):
    login_as(client, world.users["reviewer"])
    number = trajectories["own_new"].current_allocation.number
    html = client.get(f"/trajecten?q={number}").get_data(as_text=True)
    assert allocation_number(trajectories["own_new"]) in html
    assert allocation_number(trajectories["own"]) not in html
    assert "Geen trajecten gevonden" in client.get("/trajecten?q=zzzz").get_data(as_text=True)


def test_counts_per_status_follow_the_other_filters(client, world, trajectories):
    login_as(client, world.users["provider_staff"])
    html = client.get("/trajecten").get_data(as_text=True)
    assert '<span class="portal-counts__value">1</span> toegewezen' in html
    assert '<span class="portal-counts__value">1</span> gestart' in html


def test_keyset_pagination(app, client, world):
    made = [world.trajectory() for _ in range(3)]
    app.config["PAGE_SIZE"] = 2
    try:
        login_as(client, world.users["provider_staff"])
        first = client.get("/trajecten").get_data(as_text=True)
        assert allocation_number(made[2]) in first and allocation_number(made[0]) not in first
        second = client.get(f"/trajecten?na={made[1].id}").get_data(as_text=True)
        assert allocation_number(made[0]) in second and allocation_number(made[2]) not in second
        assert "Volgende pagina" not in second
    finally:
        app.config["PAGE_SIZE"] = 25


def test_list_query_count_does_not_grow_with_rows(app, client, world, count_queries):
    login_as(client, world.users["provider_staff"])
    world.trajectory()
    with count_queries() as few:
        client.get("/trajecten")
    for _ in range(6):
        world.trajectory("started")
    with count_queries() as many:
        client.get("/trajecten")
    assert len(few) == len(many)


def test_trajectory_page_of_another_organisation_is_404(client, world, trajectories):
    for user, key in (("provider_staff", "other"), ("other_provider_staff", "own"),
                      ("reviewer", "other"), ("other_access_staff", "own")):
        login_as(client, world.users[user])
        assert client.get(f"/trajecten/{trajectories[key].id}").status_code == 404


def test_viewing_a_trajectory_is_logged_without_the_bsn(client, world, trajectories):
    login_as(client, world.users["reviewer"])
    trajectory = trajectories["own"]
    html = client.get(f"/trajecten/{trajectory.id}").get_data(as_text=True)
    assert trajectory.client.masked_bsn in html
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "trajectory.viewed"))
    assert (event.actor_id, event.client_id, event.role.value) == (
        world.users["reviewer"].id, trajectory.client_id, "reviewer")
    assert trajectory.client.bsn not in str(event.before) + str(event.after)


def test_provider_registers_the_start(client, world, trajectories):
    trajectory = trajectories["own_new"]
    login_as(client, world.users["provider_staff"])
    bad = client.post(f"/trajecten/{trajectory.id}/start", data={"started_on": "2026-09-01"})
    assert "binnen de toewijzing" in bad.get_data(as_text=True)
    db.session.refresh(trajectory)
    assert trajectory.status == TrajectoryStatus.ALLOCATED
    garbage = client.post(f"/trajecten/{trajectory.id}/start", data={"started_on": "31-31"})
    assert garbage.status_code == 200
    ok = client.post(f"/trajecten/{trajectory.id}/start", data={"started_on": "2026-02-04"})
    assert ok.status_code == 302
    db.session.refresh(trajectory)
    assert (trajectory.status, trajectory.started_on) == (TrajectoryStatus.STARTED,
                                                         date(2026, 2, 4))


def test_provider_cannot_act_on_another_providers_trajectory(client, world, trajectories):
    login_as(client, world.users["provider_staff"])
    other = trajectories["other"]
    for path in ("start", "doelen/nieuw", "wijzigingsverzoek", "beeindigen"):
        assert client.post(f"/trajecten/{other.id}/{path}", data={}).status_code == 404


def test_reviewer_cannot_register_anything(client, world, trajectories):
    login_as(client, world.users["reviewer"])
    response = client.post(f"/trajecten/{trajectories['own_new'].id}/start",
                           data={"started_on": "2026-02-04"})
    assert response.status_code == 403


def test_goal_added_and_edited_through_the_form(client, world, trajectories):
    trajectory = trajectories["own"]
    login_as(client, world.users["provider_staff"])
    data = {"life_domain": "family", "description": "Rust in huis",
            "treatment_aim": "Minder ruzie", "societal_aim": "Blijft thuis wonen"}
    assert client.post(f"/trajecten/{trajectory.id}/doelen/nieuw", data=data).status_code == 302
    goal = trajectory.goals[0]
    empty = client.post(f"/trajecten/{trajectory.id}/doelen/{goal.id}",
                        data={**data, "description": ""})
    assert "Dit veld is verplicht." in empty.get_data(as_text=True)
    client.post(f"/trajecten/{trajectory.id}/doelen/{goal.id}",
                data={**data, "description": "Vaste dagstructuur"})
    db.session.refresh(goal)
    assert goal.description == "Vaste dagstructuur"


def test_end_with_reason_and_end_before_start_message(client, world, trajectories):
    trajectory = trajectories["own"]
    login_as(client, world.users["provider_staff"])
    bad = client.post(f"/trajecten/{trajectory.id}/beeindigen",
                      data={"ended_on": "2026-01-01", "reason": "31"})
    assert "vóór de start van het traject" in bad.get_data(as_text=True)
    unknown = client.post(f"/trajecten/{trajectory.id}/beeindigen",
                          data={"ended_on": "2026-05-01", "reason": "99"})
    assert unknown.status_code == 200
    db.session.refresh(trajectory)
    assert trajectory.status == TrajectoryStatus.STARTED
    client.post(f"/trajecten/{trajectory.id}/beeindigen",
                data={"ended_on": "2026-05-01", "reason": "32"})
    db.session.refresh(trajectory)
    assert (trajectory.status, trajectory.outcome_code) == (TrajectoryStatus.ENDED, "03")


def test_access_staff_end_an_allocation(client, world, trajectories):
    trajectory = trajectories["own"]
    login_as(client, world.users["access_staff"])
    response = client.post(f"/trajecten/{trajectory.id}/toewijzing-beeindigen",
                           data={"end_date": "2026-04-30", "reason": "07"})
    assert response.status_code == 302
    db.session.refresh(trajectory)
    assert trajectory.end_reason.value == "35"
    login_as(client, world.users["reviewer"])
    assert client.get(f"/trajecten/{trajectory.id}/toewijzing-beeindigen").status_code == 403


def test_provider_inbox_lists_new_allocations(client, world, trajectories):
    login_as(client, world.users["provider_staff"])
    html = client.get("/trajecten/inbox").get_data(as_text=True)
    assert trajectories["own_new"].client.name in html
    assert trajectories["own"].client.name not in html


def test_trajectory_page_shows_the_allocations_payment_scheme(client, world):
    trajectory = world.trajectory("started")
    add_scheme_version(world.contracts[0], date(2026, 3, 1), 50, EarlyEndRule.FULL,
                       EarlyEndRule.FULL, world.users["contract_manager"], date(2026, 3, 1))
    db.session.commit()
    login_as(client, world.users["provider_staff"])
    html = client.get(f"/trajecten/{trajectory.id}").get_data(as_text=True)
    assert "40% start, 60% einde" in html and "schema van 01-01-2025" in html
    assert "50% start" not in html  # the later version is not this allocation's
    assert "gepland t/m" not in html


def test_trajectory_page_shows_the_planned_end_after_a_municipal_end(client, world):
    trajectory = world.trajectory("started")
    end_allocation(trajectory, date(2026, 4, 30), JZ002.MOVED, world.users["access_staff"])
    db.session.commit()
    login_as(client, world.users["provider_staff"])
    html = client.get(f"/trajecten/{trajectory.id}").get_data(as_text=True)
    assert "gepland t/m 31-07-2026" in html
