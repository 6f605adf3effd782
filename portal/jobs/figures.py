"""Keeping the figures store current: a refresh task queued after every commit that marked
trajectories stale, the same task every minute (for what jobs and commands wrote), a full
rebuild every night, and `flask figures rebuild`.

A refresh recomputes the stale trajectories in batches, one transaction each; the refresh
row's lock makes two refreshes (two workers, two hosts) take turns. After it the kept sums
of today that the refresh made old are computed again (portal.domain.figures_sums); the task
every minute, the rebuild and the commands also compute the dashboards' default views of
every region where they are missing (a new day, a new region) and drop earlier days', and
render the dashboards' default views whose region changed (portal.web.dashboard.kept)."""

from datetime import date

import click
from flask import Flask, has_request_context
from flask.cli import AppGroup
from huey import crontab
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.domain import figures_marks
from portal.domain.figures import Period
from portal.domain.figures_store import mark_all, refresh_batch
from portal.domain.figures_sums import warm
from portal.domain.quarters import Quarter
from portal.domain.store_queries import GROUP_COLUMNS
from portal.domain.working_days import today_in_amsterdam
from portal.extensions import db
from portal.models.types import utcnow
from portal.web.dashboard.kept import warm_pages

COMMITTED = "figures_committed"


def default_views(today: date) -> list[tuple[Period, str]]:
    """What the dashboards show before anyone chooses: the last twelve months (region and
    provider pages) and the trend's quarters, in every grouping."""
    quarters = [quarter.until(today) for quarter in Quarter.of(today).last()]
    periods = [Period.twelve_months_until(today), *quarters]
    return [(period, grouping) for period in periods for grouping in GROUP_COLUMNS]


def refresh(defaults: bool = False) -> int:
    """Bring the store up to date and its kept sums with it; returns the number of
    batches. Without `defaults` (the refresh after a commit, in the tests inside the
    request) only sums someone asked for today are computed again, and no page is
    rendered: the next task every minute (or the first request) renders them."""
    started_at, batches = utcnow(), 1
    while not refresh_batch(started_at):
        db.session.commit()
        batches += 1
    db.session.commit()
    today = today_in_amsterdam()
    warm(today, default_views(today) if defaults else None)
    db.session.commit()
    if defaults:
        warm_pages(today)
        db.session.commit()
    return batches


def rebuild() -> int:
    """Recompute every trajectory's facts (also what no mark covers: a changed intensity
    rank, a municipality moved to another region)."""
    mark_all()
    db.session.commit()
    return refresh(defaults=True)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop(figures_marks.MARKED, False):
        session.info[COMMITTED] = True


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(figures_marks.MARKED, None)


figures_cli = AppGroup("figures", help="The figures store of the steering information.")


@figures_cli.command("rebuild")
def rebuild_command() -> None:
    """Recompute the facts of every trajectory now."""
    batches = rebuild()
    click.echo(f"The figures store is rebuilt ({batches} batch(es)), its default views "
               "computed.")


@figures_cli.command("refresh")
def refresh_command() -> None:
    """Recompute the trajectories marked stale and the sums they made old."""
    refresh(defaults=True)
    click.echo("The figures store is up to date.")


def init_app(app: Flask, huey, in_context) -> None:
    refresh_now = huey.task(name="refresh_figures")(lambda: in_context(refresh))
    huey.periodic_task(crontab(minute="*"), name="refresh_figures_periodic")(
        lambda: in_context(lambda: refresh(defaults=True)))
    huey.periodic_task(crontab(hour="2", minute="30"), name="rebuild_figures")(
        lambda: in_context(rebuild))
    app.cli.add_command(figures_cli)

    def queue_refresh() -> None:
        """After a commit that marked trajectories: refresh (at once in `immediate` mode,
        the tests'; else by a worker). Also before a request, for a commit made outside one
        in the same session (a command, a test's set-up)."""
        if has_request_context() and db.session.info.pop(COMMITTED, False):
            refresh_now()

    app.before_request(queue_refresh)

    @app.after_request
    def refresh_after_commit(response):
        queue_refresh()
        return response
