"""Steering information: the region's comparison, each provider's page, CSV and definitions."""

import os

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markdown_it import MarkdownIt
from markupsafe import Markup

from portal.charts import render_lines
from portal.domain.figures import Period
from portal.domain.figures_store import refreshed_at
from portal.domain.indicator_queries import group_name_in_region
from portal.domain.indicators import SPECS
from portal.domain.lists import PROVIDER_ROLES, Role
from portal.domain.regions import provider_in_region
from portal.domain.targets import SPEC_OF, provider_targets, results
from portal.domain.trends import quarter_figures
from portal.domain.trends import trend as trend_points
from portal.domain.working_days import today_in_amsterdam
from portal.extensions import db
from portal.formatting import format_change, format_figure
from portal.models import Provider
from portal.web.access import render_page_or_fragment, roles_required, wants_fragment
from portal.web.dashboard.export import csv_response
from portal.web.dashboard.forms import (
    GROUPING_CHOICES,
    PeriodForm,
    ProviderPeriodForm,
    RegionForm,
    TrendForm,
)
from portal.web.dashboard.kept import provider_figures, region_figures
from portal.web.dashboard.report import (
    comparison,
    key_figures_of,
    provider_and_region,
    trend_chart,
)
from portal.web.regions import chosen_region, own_region_id
from portal.web.targets import target_row

bp = Blueprint("dashboard", __name__, url_prefix="/stuurinformatie")
bp.add_app_template_filter(format_figure, "figure")
bp.add_app_template_filter(format_change, "figure_change")
bp.add_app_template_global(key_figures_of)
REGION_READERS = (Role.CONTRACT_MANAGER, Role.REVIEWER)
DEFINITIONS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "docs", "indicators.md")


def _period(form: PeriodForm) -> Period:
    """The period asked for; the last twelve months where a date is missing or wrong."""
    default = Period.twelve_months_until(today_in_amsterdam())
    if not form.validate():
        form.van.data, form.tot.data = default.start, default.end
        return default
    period = Period(form.van.data or default.start, form.tot.data or default.end)
    form.van.data, form.tot.data = period.start, period.end
    return period


def _region_form() -> tuple[RegionForm, Period, str, str]:
    """The form, the period, the grouping's key and its label."""
    form = RegionForm(request.args)
    period = _period(form)
    value, grouping, label = next((g for g in GROUPING_CHOICES if g[0] == form.per.data),
                                  GROUPING_CHOICES[0])
    form.per.data = value
    return form, period, grouping, str(label)


@bp.route("")
@roles_required(*REGION_READERS)
def region():
    form, period, grouping, _label = _region_form()
    figures = region_figures(own_region_id(), period, today_in_amsterdam(), grouping)
    return render_page_or_fragment(
        "dashboard/region.html", "dashboard/_region.html", form=form, period=period,
        computed_at=refreshed_at(), figures=figures)


@bp.route("/export.csv")
@roles_required(*REGION_READERS)
def region_csv():
    form, period, grouping, label = _region_form()
    columns = comparison(own_region_id(), period, today_in_amsterdam(), grouping)
    return csv_response(columns, period, label,
                        f"stuurinformatie-per-{form.per.data}-{period.start}-{period.end}.csv")


def _provider(provider_id: int | None) -> Provider:
    """Provider staff see their own organisation only; the region's readers a provider with
    a contract in their region. Another id is a 404."""
    if current_user.role in PROVIDER_ROLES:
        if provider_id not in (None, current_user.provider_id):
            abort(404)
        return current_user.provider
    provider = db.session.get(Provider, provider_id) if provider_id else None
    if provider is None or not provider_in_region(provider,
                                                  own_region_id()):
        abort(404)
    return provider


def _provider_form(provider_id: int | None) -> tuple[Provider, ProviderPeriodForm, int, Period]:
    """The provider, the form, the region to compare with and the period."""
    provider = _provider(provider_id)
    form = ProviderPeriodForm(request.args)
    region_id = chosen_region(form)
    return provider, form, region_id, _period(form)


@bp.route("/aanbieder", defaults={"provider_id": None})
@bp.route("/aanbieders/<int:provider_id>")
@roles_required(*REGION_READERS, *PROVIDER_ROLES)
def provider(provider_id: int | None):
    provider, form, region_id, period = _provider_form(provider_id)
    figures = provider_figures(region_id, provider, period, today_in_amsterdam())
    # The agreed targets hold their own periods: on the page, not in the swapped fragment.
    targets = [] if wants_fragment() else [
        target_row(r)
        for r in results(provider_targets(provider.id, region_id), today_in_amsterdam())]
    return render_page_or_fragment(
        "dashboard/provider.html", "dashboard/_provider.html", provider=provider, form=form,
        period=period, computed_at=refreshed_at(), figures=figures, targets=targets)


@bp.route("/aanbieder/export.csv", defaults={"provider_id": None})
@bp.route("/aanbieders/<int:provider_id>/export.csv")
@roles_required(*REGION_READERS, *PROVIDER_ROLES)
def provider_csv(provider_id: int | None):
    provider, _form, region_id, period = _provider_form(provider_id)
    columns = provider_and_region(provider, region_id, period, today_in_amsterdam())
    return csv_response(list(columns), period, _("Aanbieder"),
                        f"stuurinformatie-{provider.agb_code}-{period.start}-{period.end}.csv")


def _trend_subject(form: TrendForm) -> tuple[int, str, int | None, str | None]:
    """The region, grouping, group and its name the trend is about. A provider sees its own
    trend only; the region's readers the region's or a group of their region (another
    region's group is a 404)."""
    if current_user.role in PROVIDER_ROLES:
        del form.per, form.id
        return chosen_region(form), "provider", current_user.provider_id, \
            current_user.provider.name
    del form.regio
    region_id = own_region_id()
    grouping = next((key for value, key, _label in GROUPING_CHOICES
                     if value == form.per.data), None)
    if grouping is None:
        form.per.data = ""
        return region_id, "provider", None, None
    name = group_name_in_region(grouping, form.id.data, region_id)
    if name is None:
        abort(404)
    return region_id, grouping, form.id.data, name


@bp.route("/trend")
@roles_required(*REGION_READERS, *PROVIDER_ROLES)
def trend():
    form = TrendForm(request.args)
    form.indicator.choices = [(s.name, s.label) for s in SPECS]
    spec = SPEC_OF.get(form.indicator.data) or SPECS[0]
    form.indicator.data = spec.name
    region_id, grouping, group_id, group_name = _trend_subject(form)
    points = trend_points(quarter_figures(region_id, today_in_amsterdam(), grouping, group_id),
                          spec.name)
    chart = trend_chart(points, spec, group_name)
    # The group's quarter figures link to their trajectories with the group in the link.
    per = next(value for value, key, _label in GROUPING_CHOICES if key == grouping)
    group_args = {"per": per, "id": group_id} if group_id is not None else None
    return render_page_or_fragment(
        "dashboard/trend.html", "dashboard/_trend.html", form=form, spec=spec,
        group_name=group_name, points=points, chart=chart, svg=render_lines(chart),
        group_args=group_args,
        computed_at=refreshed_at(), today=today_in_amsterdam())


@bp.route("/definities")
@roles_required(*REGION_READERS, *PROVIDER_ROLES)
def definitions():
    with open(DEFINITIONS, encoding="utf-8") as source:
        html = MarkdownIt("commonmark", {"html": False}).enable("table").render(source.read())
    # our own Markdown file, rendered with raw HTML switched off
    content = Markup(html)  # noqa: S704  # nosec B704
    return render_template("dashboard/definitions.html", content=content)
