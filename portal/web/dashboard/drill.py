"""Behind a figure: the trajectories a dashboard or trend figure counts (issue #18)."""


from flask import abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.domain.figure_rows import (
    DRILLS,
    FACT_LABELS,
    Subject,
    is_pseudonymised,
    pseudonymised_facts,
    record_views,
    row_page,
    summary,
)
from portal.domain.figures import Period
from portal.domain.identifiers import parse_id
from portal.domain.indicator_queries import group_name_in_region, group_names
from portal.domain.indicators import SOCIETAL_ITEMS, SPECS
from portal.domain.lists import PROVIDER_ROLES, Role
from portal.domain.paging import id_cursor
from portal.domain.pseudonyms import pseudonym, trajectory_id_of
from portal.domain.working_days import today_in_amsterdam
from portal.extensions import db
from portal.web.access import render_page_or_fragment, roles_required
from portal.web.dashboard.forms import GROUPING_CHOICES, ProviderPeriodForm
from portal.web.dashboard.views import REGION_READERS, bp
from portal.web.regions import chosen_region

# The counts beside the indicators: their names on this page.
LABELS = {"ended": _l("Beëindigde trajecten (02, 31–35)"),
          "handed_on": _l("Overgedragen (36–39), niet in de basis"),
          **{spec.name: spec.label for spec in SPECS}}


def _group(region_id: int) -> tuple[str | None, int | None, str | None]:
    """The group whose figure it is: none (the region's), or one of the viewer's region. A
    provider's group can only be itself; anything else is a 404."""
    per = request.args.get("per", "")
    if not per:
        return None, None, None
    grouping = next((key for value, key, _label in GROUPING_CHOICES if value == per), None)
    group_id = parse_id(request.args.get("id"))
    if grouping is None or group_id is None:
        abort(404)
    if current_user.role in PROVIDER_ROLES and (grouping, group_id) != (
            "provider", current_user.provider_id):
        abort(404)
    name = group_name_in_region(grouping, group_id, region_id)
    if name is None:
        abort(404)
    return grouping, group_id, name


def _period(form: ProviderPeriodForm) -> tuple[Period | None, list[str]]:
    """The period asked for (the last twelve months by default), or the form's messages."""
    form.validate()
    errors = [*form.van.errors, *form.tot.errors]
    if errors:
        return None, errors
    default = Period.twelve_months_until(today_in_amsterdam())
    return Period(form.van.data or default.start, form.tot.data or default.end), []


def _key() -> bytes:
    """The pseudonyms' key: the app's secret (a text, checked at start-up)."""
    return str(current_app.config["SECRET_KEY"]).encode()


def _names(rows) -> dict[str, dict[int, str]]:
    """The names of the page's arrangements, municipalities and providers (three queries,
    whatever the number of rows)."""
    return {kind: group_names(kind, {getattr(row, f"{kind}_id") for row in rows})
            for kind in ("arrangement", "municipality", "provider")}


@bp.route("/achter-het-cijfer")
@roles_required(*REGION_READERS, *PROVIDER_ROLES)
def figure_rows():
    indicator = request.args.get("indicator", "")
    if indicator not in DRILLS:
        abort(404)
    form = ProviderPeriodForm(request.args)
    region_id = chosen_region(form)
    grouping, group_id, group_name = _group(region_id)
    period, errors = _period(form)
    context = {"label": LABELS[indicator], "group_name": group_name, "errors": errors,
               "period": period, "drill": DRILLS[indicator], "fact_labels": FACT_LABELS,
               "fact_columns": [(FACT_LABELS[name], "portal-num")
                                for name in DRILLS[indicator].facts],
               "pseudonymised": is_pseudonymised(current_user)}
    if period is None:
        return render_page_or_fragment("dashboard/figure_rows.html",
                                       "dashboard/_figure_rows.html", **context)
    subject = Subject(region_id, period, indicator, grouping, group_id)
    today = today_in_amsterdam()
    page = row_page(current_user, subject, today, id_cursor(request.args.get("na")),
                    current_app.config["PAGE_SIZE"])
    key = _key()
    pseudonyms = {row.trajectory_id: pseudonym(row.trajectory_id, key) for row in page.rows
                  } if context["pseudonymised"] else {}
    totals = summary(current_user, subject, today)
    record_views(current_user, page.rows)
    db.session.commit()
    return render_page_or_fragment(
        "dashboard/figure_rows.html", "dashboard/_figure_rows.html", **context, page=page,
        summary=totals, names=_names(page.rows), pseudonyms=pseudonyms)


@bp.route("/achter-het-cijfer/<pseudonym_text>")
@roles_required(Role.CONTRACT_MANAGER)
def pseudonymised_trajectory(pseudonym_text: str):
    """One trajectory of the region under its pseudonym: a pseudonym typed by hand or of
    another region is not found."""
    trajectory_id = trajectory_id_of(pseudonym_text, _key())
    found = pseudonymised_facts(current_user, trajectory_id) if trajectory_id else None
    if found is None:
        abort(404)
    fact, upscalings = found
    record_views(current_user, [fact])
    db.session.commit()
    return render_template(
        "dashboard/pseudonymised_trajectory.html", pseudonym=pseudonym_text, fact=fact,
        upscalings=upscalings, fact_labels=FACT_LABELS, societal_items=SOCIETAL_ITEMS,
        names={kind: group_names(kind, [getattr(fact, f"{kind}_id")])
               for kind in ("arrangement", "municipality", "provider")})
