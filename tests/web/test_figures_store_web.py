"""The dashboards read the figures store: a fixed number of statements whatever the number
of trajectories, none on the raw rows, and the store's time on the page."""

import re
from datetime import date

import pytest
from sqlalchemy import delete

from portal.domain.codes import JZ588
from portal.domain.figures_store import refreshed_at, stale_count
from portal.domain.trajectories import end_trajectory
from portal.extensions import db
from portal.formatting import format_datetime
from portal.jobs.figures import refresh
from portal.models import FiguresPage, FiguresSum
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


def computing_and_kept(client, url: str) -> tuple[list[str], list[str]]:
    """The page's statements when it computes its sums (and renders its figures), and when
    it finds them kept."""
    db.session.execute(delete(FiguresSum))
    db.session.execute(delete(FiguresPage))
    return page_statements(client, url), page_statements(client, url)


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
    few = computing_and_kept(client, url)
    grow(world, 6)
    many = computing_and_kept(client, url)
    assert [len(s) for s in few] == [len(s) for s in many]
    computing, kept = many
    read_raw = [s for s in computing if any(re.search(rf"\b(FROM|JOIN) {table}\b", s)
                                            for table in RAW_TABLES)]
    assert not read_raw  # the figures come from trajectory_fact only
    assert not [s for s in kept if "trajectory_fact" in s]  # and once kept, not even that
    pages = len([s for s in kept if "figures_page" in s])  # one statement per kept page
    sums = len([s for s in kept if "figures_sum" in s])  # one statement per kept sums
    # Each sums: the aggregate and keeping it. Each page: its sums read, computed and kept,
    # the groups' names, keeping the page.
    assert len(computing) == len(kept) + 2 * sums + 5 * pages


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


@pytest.mark.parametrize("role, url", [
    ("contract_manager", "/stuurinformatie"),
    ("contract_manager", "/stuurinformatie?per=gemeente"),
    ("provider_staff", "/stuurinformatie/aanbieder"),
    ("contract_manager", "/stuurinformatie/trend?indicator=upscaling"),
])
def test_once_the_job_ran_a_default_page_reads_kept_sums_only(client, world, role, url):
    """The first request (after a worker start, or after a change once the job ran) does
    not compute the aggregate: the task every minute warmed the default views, and the
    refresh after a commit computed again what the change made old."""
    login_as(client, world.users[role])
    running = world.trajectory("started")
    grow(world, 2)
    refresh(defaults=True)  # the task every minute
    assert not [s for s in page_statements(client, url) if "trajectory_fact" in s]
    end_trajectory(running, date(2026, 7, 31), JZ588.ACCORDING_TO_PLAN,
                   world.users["provider_staff"])
    db.session.commit()
    refresh()  # the task after the commit
    assert not [s for s in page_statements(client, url) if "trajectory_fact" in s]
