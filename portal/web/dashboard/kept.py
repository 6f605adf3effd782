"""The dashboards' figures rendered once for everyone: the region's comparison (8 charts of
up to 50 bars, a table with a link per figure: about 150 ms of Jinja at national scale) and
each provider's page, kept in figures_page (portal.domain.figures_pages) while the region's
facts version and the day hold, and rendered ahead by the refresh job (warm_pages).

The key holds everything the figures' HTML depends on: region, provider, period, grouping,
day, language and the query arguments the links repeat. Only canonical requests are kept
(each argument absent or given once as its normalised value, no script root), so odd query
strings render as before without filling the table. The "Cijfers van" line (the time of the
store, the CSV link with the request's arguments) is rendered per request around it."""

from collections.abc import Callable
from datetime import date, datetime
from threading import Lock
from urllib.parse import urlencode

from flask import current_app, render_template, request
from flask_babel import force_locale, get_locale
from markupsafe import Markup
from sqlalchemy import select

from portal.charts import render
from portal.domain.figures import Period
from portal.domain.figures_pages import (
    PageKey,
    drop_old_pages,
    keep_page,
    kept_page,
    kept_versions,
)
from portal.domain.indicators import SPECS
from portal.extensions import db
from portal.models import Contract, FiguresVersion, Provider, Region
from portal.web.dashboard.forms import GROUPING_CHOICES
from portal.web.dashboard.report import (
    comparison,
    comparison_charts,
    overview_tables,
    provider_and_region,
    provider_charts,
)

REGION_PAGE = 0  # figures_page.provider_id of the region's comparison
# Each worker holds a copy of the pages it read last, used while the page kept at the
# region's current version is still the one rendered at the copy's time (the same statement
# checks it every request): the region page's 460 KB are not fetched and decoded again
# (12 ms CPU per request in-process without the copy, 7.6 ms with it).
WORKER_COPIES = 32
_copies: dict[PageKey, tuple[datetime, Markup]] = {}  # oldest first
_copies_lock = Lock()


def region_figures(region_id: int, period: Period, today: date, grouping: str) -> Markup:
    """The region's comparison per `grouping`, kept or rendered."""
    per = _per(grouping)
    args = _canonical_args({"van": period.start.isoformat(), "tot": period.end.isoformat(),
                            "per": per}, repeated=("van", "tot"))
    return _kept_or_rendered(
        _key(region_id, REGION_PAGE, grouping, period, today, args),
        lambda: _region_html(region_id, period, today, grouping))


def provider_figures(region_id: int, provider: Provider, period: Period,
                     today: date) -> Markup:
    """A provider's figures beside the region's, kept or rendered."""
    args = _canonical_args({"van": period.start.isoformat(), "tot": period.end.isoformat(),
                            "regio": str(region_id)}, repeated=("regio",))
    return _kept_or_rendered(
        _key(region_id, provider.id, "provider", period, today, args),
        lambda: _provider_html(region_id, provider, period, today))


def warm_pages(today: date) -> int:
    """Render the default views (the last twelve months, no query arguments, in each
    language) whose region's facts changed since they were kept, or that are missing: the
    region's comparison in each grouping and the page of each provider with a contract in
    the region. Drops earlier days' and older versions' pages. Returns how many it rendered."""
    period = Period.twelve_months_until(today)
    versions = dict(db.session.execute(
        select(FiguresVersion.region_id, FiguresVersion.version)).tuples().all())
    pages = [(region_id, REGION_PAGE, grouping) for region_id in db.session.scalars(
        select(Region.id).order_by(Region.id)) for _per, grouping, _label in GROUPING_CHOICES]
    pages += [(region_id, provider_id, "provider") for region_id, provider_id in
              db.session.execute(select(Contract.region_id, Contract.provider_id).distinct()
                                 .order_by(Contract.region_id, Contract.provider_id))]
    kept = kept_versions(today)
    providers = {provider.id: provider for provider in db.session.scalars(select(Provider))}
    rendered = 0
    with current_app.test_request_context("/stuurinformatie"):
        for language in current_app.config["LANGUAGES"]:
            with force_locale(language):
                rendered += _render_changed(pages, versions, kept, providers, period, today)
    drop_old_pages(today)
    return rendered


def _render_changed(pages: list[tuple[int, int, str]], versions: dict[int, int],
                    kept: dict[PageKey, int], providers: dict[int, Provider], period: Period,
                    today: date) -> int:
    """Render and keep, in the current language, the `pages` kept at no or an older version."""
    rendered = 0
    for region_id, provider_id, grouping in pages:
        key = _key(region_id, provider_id, grouping, period, today, "")
        version = versions.get(region_id, 0)
        if key is None or kept.get(key) == version:
            continue
        if provider_id == REGION_PAGE:
            html = _region_html(region_id, period, today, grouping)
        else:
            html = _provider_html(region_id, providers[provider_id], period, today)
        keep_page(key, version, html)
        rendered += 1
    return rendered


def _per(grouping: str) -> str:
    return next(value for value, key, _label in GROUPING_CHOICES if key == grouping)


def _canonical_args(normalised: dict[str, str], repeated: tuple[str, ...]) -> str | None:
    """The arguments of `repeated` that the request gives, url-encoded, as the figures'
    links repeat them; None when an argument of `normalised` is given otherwise than once as
    its normalised value, or the portal answers under a script root (its links differ)."""
    if request.script_root or any(request.args.getlist(name) not in ([], [value])
                                  for name, value in normalised.items()):
        return None
    return urlencode([(name, normalised[name]) for name in repeated if name in request.args])


def _key(region_id: int, provider_id: int, grouping: str, period: Period, today: date,
         args: str | None) -> PageKey | None:
    if args is None:
        return None
    return PageKey(region_id, provider_id, grouping, period.start, period.end, today,
                   str(get_locale()), args)


def _kept_or_rendered(key: PageKey | None, rendered: Callable[[], str]) -> Markup:
    """The page kept for `key` (this worker's copy when it is still the one kept), or
    rendered now and kept for everyone; rendered only when `key` is None."""
    if key is None:
        return _markup(rendered())
    copy = _copies.get(key)
    version, rendered_at, html = kept_page(key, copy[0] if copy else None)
    if copy is not None and rendered_at == copy[0]:
        return copy[1]
    if rendered_at is None or html is None:
        html = rendered()
        keep_page(key, version, html)
        return _markup(html)
    page = _markup(html)
    with _copies_lock:
        _copies.pop(key, None)
        _copies[key] = (rendered_at, page)
        while len(_copies) > WORKER_COPIES:
            del _copies[next(iter(_copies))]
    return page


def _markup(html: str) -> Markup:
    # our own templates' output, escaped when it was rendered
    return Markup(html)  # noqa: S704  # nosec B704


def _region_html(region_id: int, period: Period, today: date, grouping: str) -> str:
    label = str(next(label for _per, key, label in GROUPING_CHOICES if key == grouping))
    columns = comparison(region_id, period, today, grouping)
    return render_template(
        "dashboard/_region_figures.html", period=period, per=_per(grouping),
        group_label=label, columns=columns, tables=overview_tables(),
        charts=[(chart, render(chart)) for chart in comparison_charts(columns, label)])


def _provider_html(region_id: int, provider: Provider, period: Period, today: date) -> str:
    own, region = provider_and_region(provider, region_id, period, today)
    return render_template(
        "dashboard/_provider_figures.html", own=own, region=region, period=period,
        specs=SPECS, charts=[(chart, render(chart)) for chart in provider_charts(own, region)])
