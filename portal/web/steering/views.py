"""Steering beside the outcomes: the municipality's own timeliness and the incentives watch
(issue 18, items 5 and 6). Each page reads its period from the query string; a malformed or
future period gets a Dutch message and the default period's figures."""

from datetime import date

from flask import Blueprint, render_template, request
from flask_login import current_user

from portal.domain import DomainError
from portal.domain.incentives_queries import load_incentives
from portal.domain.lists import MUNICIPAL_ROLES, PROVIDER_ROLES, Role
from portal.domain.quarters import parse_period, parse_quarter
from portal.domain.timeliness_queries import Scope
from portal.domain.working_days import today_in_amsterdam
from portal.web.access import roles_required
from portal.web.regions import chosen_region
from portal.web.steering.forms import SteeringForm
from portal.web.steering.incentives_report import build
from portal.web.steering.timeliness_report import kind_reports

bp = Blueprint("steering", __name__, url_prefix="/sturing")
TIMELINESS_READERS = (Role.CONTRACT_MANAGER, *MUNICIPAL_ROLES, *PROVIDER_ROLES)
INCENTIVES_READERS = (Role.CONTRACT_MANAGER, *PROVIDER_ROLES)


def _parsed(form: SteeringForm, parse, today: date):
    """The period asked for; on bad input the message goes on the form and the default
    period is shown."""
    try:
        return parse(form.periode.data, today)
    except DomainError as error:
        form.periode.errors = [str(error)]
        return parse(None, today)


def _form() -> SteeringForm:
    form = SteeringForm(request.args)
    form.validate()  # fills `data`; the period's own check follows
    form.periode.errors = []
    return form


@bp.route("/tijdigheid")
@roles_required(*TIMELINESS_READERS)
def timeliness():
    today, form = today_in_amsterdam(), _form()
    region_id = chosen_region(form)
    quarter = _parsed(form, parse_quarter, today)
    form.periode.data = quarter.label
    if current_user.role in PROVIDER_ROLES:
        scope = Scope(region_id, provider_id=current_user.provider_id)
    elif current_user.role in MUNICIPAL_ROLES:
        scope = Scope(region_id, municipality_id=current_user.municipality_id)
    else:
        scope = Scope(region_id)
    quarters = quarter.last()
    return render_template("steering/timeliness.html", form=form, quarter=quarter,
                           quarters=quarters, reports=kind_reports(scope, quarters, today))


@bp.route("/prikkels")
@roles_required(*INCENTIVES_READERS)
def incentives():
    today, form = today_in_amsterdam(), _form()
    region_id = chosen_region(form)
    label, period = _parsed(form, parse_period, today)
    form.periode.data = label
    own = current_user.provider_id if current_user.role in PROVIDER_ROLES else None
    # The region's rows make its total; a provider's page lists only its own ends.
    report = build(load_incentives(period, region_id), today, own)
    return render_template("steering/incentives.html", form=form, label=label, period=period,
                           report=report)
