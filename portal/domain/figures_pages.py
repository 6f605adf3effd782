"""The dashboards' rendered figures kept, so that no request renders them while the facts
stay the same (the rendering is portal.web.dashboard.kept's).

One row of figures_page per region, provider (0: the region's comparison), period,
grouping, day, language and canonical query arguments, valid while its version equals the
region's facts version, as figures_sum's (portal.domain.figures_sums): the version is read
before the figures, so a row is at worst older than its version says and rendered once
more, and a row of an older version or an earlier day is never read."""

from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import delete, or_, select, true

from portal.domain.figures_sums import keep, version_of
from portal.extensions import db
from portal.models import FiguresPage
from portal.models.types import utcnow

KEY_COLUMNS = ("region_id", "provider_id", "grouping", "period_start", "period_end", "as_of",
               "locale", "args")


@dataclass(frozen=True)
class PageKey:
    region_id: int
    provider_id: int  # 0: the region's comparison page
    grouping: str
    period_start: date
    period_end: date
    as_of: date
    locale: str
    args: str  # the query arguments the figures' links repeat, canonical, url-encoded


def kept_page(key: PageKey, known: datetime | None = None) -> tuple[int, datetime | None,
                                                                   str | None]:
    """The region's facts version, and the time and HTML of the page kept at that version
    (None, None when there is none): one statement. The HTML is left out when the page is
    the one rendered at `known` (the caller holds a copy of it)."""
    version = version_of(key.region_id)
    kept = (*(getattr(FiguresPage, name) == value for name, value in asdict(key).items()),
            FiguresPage.version == version)
    rendered_at = select(FiguresPage.rendered_at).where(*kept).scalar_subquery()
    unknown = FiguresPage.rendered_at != known if known is not None else true()
    html = select(FiguresPage.html).where(*kept, unknown).scalar_subquery()
    current, at, text = db.session.execute(select(version, rendered_at, html)).one()
    return current, at, text


def keep_page(key: PageKey, version: int, html: str) -> None:
    """Keep the page rendered at `version` for every worker and host."""
    keep(FiguresPage, {**asdict(key), "version": version, "html": html,
                       "rendered_at": utcnow()}, KEY_COLUMNS)


def kept_versions(today: date) -> dict[PageKey, int]:
    """The pages kept for `today` and the version of each."""
    return {PageKey(*(getattr(row, name) for name in KEY_COLUMNS)): row.version
            for row in db.session.execute(
                select(*(getattr(FiguresPage, name) for name in KEY_COLUMNS),
                       FiguresPage.version).where(FiguresPage.as_of == today))}


def drop_old_pages(today: date) -> None:
    """Drop the pages of earlier days and of older versions: they are never read again."""
    db.session.execute(delete(FiguresPage).where(or_(
        FiguresPage.as_of < today,
        FiguresPage.version < version_of(FiguresPage.region_id))))
