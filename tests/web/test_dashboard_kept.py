"""The dashboards' figures kept rendered (portal.web.dashboard.kept): read instead of rendered
while the region's facts and the day hold, per language, region and provider, canonical
requests only, rendered ahead by the refresh job exactly as a request renders them; the
"Cijfers van" line stays per request."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, update

from portal.domain.working_days import today_in_amsterdam
from portal.extensions import db
from portal.formatting import format_datetime
from portal.jobs.figures import refresh
from portal.models import FiguresPage, FiguresRefresh
from portal.models.types import utcnow
from portal.web import load_ahead
from tests.conftest import login_as, refresh_figures
from tests.layers import shared_layer
from tests.queries import page_statements
from tests.regions import YEAR, populate, second_region

PLANTED = '<p id="planted">kept</p>'
REGION = f"/stuurinformatie?{YEAR}"


def planted(**where) -> int:
    """Put a marker into the kept pages (of `where`): a page that shows it was read, not
    rendered. Returns how many were planted."""
    return db.session.execute(update(FiguresPage).filter_by(**where)
                              .values(html=PLANTED)).rowcount


def pages(**where) -> int:
    return db.session.scalar(select(func.count()).select_from(FiguresPage).filter_by(**where))


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def tokenless(page: str) -> str:
    """The page with its CSRF tokens blanked: a token holds the second it was made in."""
    return re.sub(r'("X-CSRFToken": "|name="csrf_token" value=")[^"]*', r"\1", page)


@shared_layer(on="world")
def ended_six(world):
    """Five trajectories ended according to plan and one drop-out, the figures store up to
    date: built once for the tests here."""
    populate(world, plan_ends=5, drop_outs=1)
    refresh_figures()
    return world


@pytest.fixture
def manager(client, ended_six):
    login_as(client, ended_six.users["contract_manager"])
    return client


def test_kept_figures_are_read_not_rendered(manager, world):
    first = html(manager, REGION)
    assert pages(region_id=world.region.id) == 1
    assert planted() == 1
    again = html(manager, REGION)
    assert PLANTED in again and "Horizon Jeugdhulp" not in again
    assert tokenless(again.split(PLANTED)[0]).rstrip() == \
        tokenless(first.split("<h2")[0]).rstrip()  # around it
    statements = page_statements(manager, REGION)
    assert not [s for s in statements if "figures_sum" in s or "trajectory_fact" in s]


def test_a_workers_copy_serves_while_the_kept_page_is_the_one_it_copied(manager):
    html(manager, REGION)  # rendered and kept
    first = html(manager, REGION)  # read: this worker keeps a copy
    planted()  # the row's HTML changes, not the time it was rendered at
    assert tokenless(html(manager, REGION)) == tokenless(first)
    db.session.execute(update(FiguresPage).values(rendered_at=utcnow()))  # rendered again
    assert PLANTED in html(manager, REGION)


def test_new_facts_render_anew(manager, world):
    html(manager, REGION)
    planted()
    world.trajectory("ended")
    db.session.commit()  # the refresh after it makes a new version of the region's facts
    page = html(manager, REGION)
    assert PLANTED not in page and "Horizon Jeugdhulp" in page
    assert pages() == 1  # the older version's row was updated


def test_an_earlier_days_page_is_never_shown(manager):
    html(manager, REGION)
    yesterday = today_in_amsterdam() - timedelta(days=1)
    db.session.execute(update(FiguresPage).values(html=PLANTED, as_of=yesterday))
    assert PLANTED not in html(manager, REGION)
    assert pages(as_of=today_in_amsterdam()) == 1


def test_each_language_has_its_own_page(manager):
    html(manager, REGION)
    planted(locale="nl")
    manager.set_cookie("lang", "en", domain="portal.test")
    english = html(manager, REGION)
    assert PLANTED not in english and "Whole region" in english
    assert pages(locale="en") == 1 and pages(locale="nl") == 1


@pytest.mark.parametrize("query", [
    "van=abc", "van=2026-1-1&tot=2026-12-31", "van=2026-01-01&van=2026-01-01",
    "per=zz", "per=aanbieder&per=gemeente", "tot=2099-12-31&van=2015-01-01&per=",
])
def test_odd_arguments_render_without_keeping(manager, query):
    assert "Horizon Jeugdhulp" in html(manager, f"/stuurinformatie?{query}")
    assert pages() == 0


@pytest.mark.parametrize("query, args", [
    ("", ""), (YEAR, YEAR), (f"{YEAR}&per=aanbieder", YEAR), (f"{YEAR}&x=1", YEAR),
])
def test_canonical_arguments_are_kept_with_the_links_they_make(manager, world, query, args):
    page = html(manager, f"/stuurinformatie?{query}")
    assert pages(args=args) == 1
    link = f'href="/stuurinformatie/aanbieders/{world.providers[0].id}'
    assert f"{link}?{YEAR.replace('&', '&amp;')}" in page if args else f'{link}"' in page


def test_another_region_never_reads_a_regions_page(manager, client, world):
    html(manager, REGION)
    planted(region_id=world.region.id)
    north = second_region()
    populate(north, plan_ends=0, drop_outs=5)
    login_as(client, north.users["contract_manager"])
    page = html(client, REGION)
    assert PLANTED not in page and "Noorderlicht Zorg" in page
    assert "Horizon Jeugdhulp" not in page
    assert pages(region_id=north.region.id) == 1
    login_as(client, world.users["contract_manager"])
    assert PLANTED in html(client, REGION)


def test_the_provider_page_is_kept_per_provider_and_shared_by_roles(manager, client, world):
    horizon, kiem = world.providers[0], world.providers[1]
    html(manager, f"/stuurinformatie/aanbieders/{horizon.id}?{YEAR}")
    assert pages(provider_id=horizon.id) == 1
    planted(provider_id=horizon.id)
    assert PLANTED not in html(manager, f"/stuurinformatie/aanbieders/{kiem.id}?{YEAR}")
    login_as(client, world.users["provider_staff"])  # Horizon's: the same figures
    own = html(client, f"/stuurinformatie/aanbieder?{YEAR}")
    assert PLANTED in own
    assert f'href="/stuurinformatie/aanbieder/export.csv?{YEAR.replace("&", "&amp;")}"' in own
    assert pages(provider_id=horizon.id) == 1


def test_the_time_of_the_figures_is_per_request(manager):
    html(manager, REGION)
    planted()
    moment = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    db.session.execute(update(FiguresRefresh).values(refreshed_at=moment))
    page = html(manager, REGION)
    assert PLANTED in page and f"Cijfers van {format_datetime(moment)}." in page


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("url", [
    "/stuurinformatie", "/stuurinformatie?per=arrangement", "/stuurinformatie?per=gemeente",
    "/stuurinformatie/aanbieders/{horizon}",
])
def test_the_jobs_pages_are_what_a_request_renders(manager, world, url, language):
    horizon = world.providers[0].id
    refresh(defaults=True)
    provider_id = horizon if "aanbieders" in url else 0
    warmed, other = ({(row.grouping, row.provider_id): row.html for row in db.session.scalars(
        select(FiguresPage).where(FiguresPage.args == "", condition))}
        for condition in (FiguresPage.locale == language, FiguresPage.locale != language))
    assert len(warmed) == 3 + 2  # three groupings, two providers with a contract
    assert all(html != other[key] for key, html in warmed.items())  # the other language's
    manager.set_cookie("lang", language, domain="portal.test")
    grouping = {"arrangement": "arrangement", "gemeente": "municipality"}.get(
        url.partition("per=")[2], "provider")
    db.session.execute(delete(FiguresPage))
    page = html(manager, url.format(horizon=horizon))
    rendered = db.session.scalar(select(FiguresPage.html))
    assert rendered == warmed[grouping, provider_id]
    assert rendered in page


def test_the_job_renders_only_what_changed_and_drops_the_rest(manager, world):
    refresh(defaults=True)
    assert pages() == 10  # five in each language
    planted()
    db.session.add(FiguresPage(
        region_id=world.region.id, provider_id=0, grouping="provider",
        period_start=date(2026, 1, 1), period_end=date(2026, 1, 31),
        as_of=today_in_amsterdam() - timedelta(days=1), locale="nl", args="", version=99,
        html="old", rendered_at=datetime.now(UTC)))
    refresh(defaults=True)  # nothing changed: nothing rendered, yesterday's dropped
    assert pages() == 10 and pages(html=PLANTED) == 10
    world.trajectory("ended")
    db.session.commit()
    refresh(defaults=True)
    assert pages() == 10 and pages(html=PLANTED) == 0


def test_templates_are_compiled_before_the_first_request(app):
    loaded: list[str] = []
    loader = app.jinja_env.loader
    original = loader.get_source

    def counting(environment, name):
        loaded.append(name)
        return original(environment, name)

    app.jinja_env.cache.clear()
    load_ahead(app)
    loader.get_source = counting
    try:
        for name in ("dashboard/region.html", "dashboard/_region_figures.html", "base.html"):
            app.jinja_env.get_template(name)
    finally:
        del loader.get_source
    assert loaded == []
