"""The store's aggregate kept, so that no request computes it while the facts stay the same.

Every page of steering information reads its sums through sums_by(): one row of
figures_sum per region, period, grouping and day, valid while its version equals the
region's facts version (figures_store.bump_versions, by every refresh batch that rewrote one
of the region's trajectories). A request that finds no valid row computes the aggregate
(store_queries.computed_sums_by) and stores it for everyone; the refresh job recomputes
today's rows of the regions it changed and keeps the dashboards' default views ready (warm()).

The version is read before the aggregate: facts written in between make the row older than
its version says, never newer, so at worst it is computed once more."""

from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from portal.database import upsert
from portal.domain.figures import Period
from portal.domain.indicators import Sums
from portal.domain.store_queries import computed_sums_by
from portal.extensions import db
from portal.models import FiguresSum, FiguresVersion, Region
from portal.models.types import utcnow

Key = tuple[int, str, date, date]  # region, grouping, period start and end
KEY_COLUMNS = ("region_id", "grouping", "period_start", "period_end", "as_of")


def version_of(region_id):
    """The facts version of the region (an id, or a column to correlate with) as a scalar
    subquery; 0 before its first refresh."""
    return func.coalesce(select(FiguresVersion.version)
                         .where(FiguresVersion.region_id == region_id).scalar_subquery(), 0)


def sums_by(region_id: int, period: Period, today: date, grouping: str) -> dict[int, Sums]:
    """The sums of each group of the region that has trajectories ended or active in the
    period (store_queries.computed_sums_by): one statement when they are kept and current."""
    version = version_of(region_id)
    kept = select(FiguresSum.sums).where(
        FiguresSum.region_id == region_id, FiguresSum.grouping == grouping,
        FiguresSum.period_start == period.start, FiguresSum.period_end == period.end,
        FiguresSum.as_of == today, FiguresSum.version == version).scalar_subquery()
    current, sums = db.session.execute(select(version, kept)).one()
    if sums is not None:
        return {int(key): Sums(**fields) for key, fields in sums.items()}
    return _computed((region_id, grouping, period.start, period.end), today, current)


def _computed(key: Key, today: date, version: int) -> dict[int, Sums]:
    """Compute the sums and keep them as those of `version`, read before computing."""
    region_id, grouping, start, end = key
    by_group = computed_sums_by(region_id, Period(start, end), today, grouping)
    sums = {str(group): {name: value for name, value in asdict(s).items() if value}
            for group, s in by_group.items()}
    keep(FiguresSum, {"region_id": region_id, "grouping": grouping, "period_start": start,
           "period_end": end, "as_of": today, "version": version, "sums": sums,
           "computed_at": utcnow()}, KEY_COLUMNS)
    return by_group


def keep(model, row: dict[str, Any], key: tuple[str, ...]) -> None:
    """Insert or update the row of `model` (a kept aggregate or page, unique on `key`, with
    a `version`) in a transaction of its own, so that a GET (which never commits) keeps what
    it computed for every worker. Of two computations of the same key the later one updates
    the row, unless it holds an older version (no error either way).

    SQLite has one writer, which would wait for this request's own read lock: there the row
    goes into the session's transaction (kept when the request or job commits), and when
    another transaction holds the write lock it is not kept this time."""
    bind = db.session.get_bind()
    sqlite = isinstance(bind, Engine) and bind.dialect.name == "sqlite"
    statement = upsert(model).values(**row)
    statement = statement.on_conflict_do_update(
        index_elements=[getattr(model, name) for name in key],
        set_={name: statement.excluded[name] for name in row if name not in key},
        where=model.version <= statement.excluded.version)
    try:
        with Session(bind=db.session.connection() if sqlite else bind,
                     join_transaction_mode="create_savepoint") as session, session.begin():
            session.execute(statement)
    except OperationalError:
        if not sqlite:
            raise


def warm(today: date, defaults: list[tuple[Period, str]] | None = None) -> int:
    """Recompute today's kept sums whose region's facts changed since; with `defaults`
    (periods and groupings), also compute those for every region where they are missing, and
    drop the rows of earlier days. Returns how many were computed."""
    versions: dict[int, int] = {row.region_id: row.version for row in db.session.execute(
        select(FiguresVersion.region_id, FiguresVersion.version))}
    kept: dict[Key, int] = {
        (row.region_id, row.grouping, row.period_start, row.period_end): row.version
        for row in db.session.execute(
            select(FiguresSum.region_id, FiguresSum.grouping, FiguresSum.period_start,
                   FiguresSum.period_end, FiguresSum.version).where(FiguresSum.as_of == today))}
    wanted = set(kept)
    if defaults is not None:
        wanted |= {(region_id, grouping, period.start, period.end)
                   for region_id in db.session.scalars(select(Region.id))
                   for period, grouping in defaults}
        db.session.execute(delete(FiguresSum).where(FiguresSum.as_of < today))
    stale = sorted(key for key in wanted if kept.get(key) != versions.get(key[0], 0))
    for key in stale:
        _computed(key, today, versions.get(key[0], 0))
    return len(stale)
