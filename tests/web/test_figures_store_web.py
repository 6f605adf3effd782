"""The dashboards read the figures store: a fixed number of statements whatever the number
of trajectories, none on the raw rows, and the store's time on the page."""

import re
from datetime import date

import pytest

from portal.domain.codes import JZ588
from portal.domain.figures_store import refreshed_at, stale_count
from portal.domain.trajectories import end_trajectory
from portal.extensions import db
from portal.formatting import format_datetime
from tests.conftest import login_as, refresh_figures
from tests.queries import page_statements

YEAR = "van=2026-01-01&tot=2026-12-31"
RAW_TABLES = ("measurement", "goal", "declaration_line", "allocation", "change_request")


def grow(world, count: int) -> None:
    for n in range(count):
        world.trajectory("ended", provider=n % 2, municipality=n % 2)
        world.trajectory("started", arrangement="ontw_zwaar")
    db.session.commit()
    refresh_figures()


@pytest.mark.parametrize("role, url", [
    ("contract_manager", f"/stuurinformatie?{YEAR}"),
    ("contract_manager", f"/stuurinformatie?{YEAR}&per=gemeente"),
    ("reviewer", f"/stuurinformatie/export.csv?{YEAR}"),
    ("provider_staff", f"/stuurinformatie/aanbieder?{YEAR}"),
    ("contract_manager", "/stuurinformatie/trend?indicator=upscaling"),
])
def test_a_dashboard_costs_the_same_whatever_the_number_of_trajectories(client, world, role,
                                                                        url):
    login_as(client, world.users[role])
    grow(world, 1)
    few = page_statements(client, url)
    grow(world, 6)
    many = page_statements(client, url)
    assert len(few) == len(many)
    read_raw = [s for s in many if any(re.search(rf"\b(FROM|JOIN) {table}\b", s)
                                       for table in RAW_TABLES)]
    assert not read_raw  # the figures come from trajectory_fact only


def test_the_page_shows_the_time_of_the_store(client, world):
    world.trajectory("ended")
    refresh_figures()
    login_as(client, world.users["contract_manager"])
    html = client.get(f"/stuurinformatie?{YEAR}").get_data(as_text=True)
    assert f"Cijfers van {format_datetime(refreshed_at())}." in html


def test_a_commit_marks_and_the_next_request_refreshes(client, world):
    trajectory = world.trajectory("started")
    refresh_figures()
    end_trajectory(trajectory, date(2026, 7, 31), JZ588.ACCORDING_TO_PLAN,
                   world.users["provider_staff"])
    db.session.commit()
    assert stale_count() == 1
    login_as(client, world.users["contract_manager"])
    html = client.get(f"/stuurinformatie?{YEAR}").get_data(as_text=True)
    assert stale_count() == 0  # the refresh task ran (at once: the tests' queue)
    assert re.search(r"portal-card__value\"><a [^>]*>1</a></span>", html)  # one ended
