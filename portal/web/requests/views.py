"""Requests: providers ask for an allocation or a change; access staff decide."""

from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from portal.domain import permissions as can
from portal.domain.catalogue import all_municipalities, choices, contracted_arrangements
from portal.domain.codes import COD327, WJ759
from portal.domain.lists import PROVIDER_ROLES, RequestStatus, Role
from portal.domain.paging import id_cursor
from portal.domain.regions import region_ids_of
from portal.domain.request_queries import allocation_request_page, change_request_page
from portal.domain.requests import (
    AllocationWish,
    approve_allocation_request,
    approve_change,
    reject_allocation_request,
    reject_change,
    request_allocation,
)
from portal.extensions import db
from portal.models import AllocationRequest, ChangeRequest
from portal.web.access import apply_domain, load_scoped, roles_required
from portal.web.allocations.views import child_details
from portal.web.fields import given
from portal.web.requests.forms import (
    AllocationRequestForm,
    ApproveChangeForm,
    ApproveForm,
    RejectForm,
)
from portal.web.responses import done

bp = Blueprint("requests", __name__, url_prefix="/verzoeken")
PARTIES = (*PROVIDER_ROLES, Role.ACCESS_STAFF)


@bp.route("")
@roles_required(*PARTIES)
def index():
    asked = request.args.get("status", RequestStatus.OPEN.value)
    status = RequestStatus(asked) if asked in {s.value for s in RequestStatus} else None
    size = current_app.config["PAGE_SIZE"]
    allocation_after = id_cursor(request.args.get("na_toewijzing"))
    change_after = id_cursor(request.args.get("na_wijziging"))
    return render_template(
        "requests/index.html", status=status,
        allocation_requests=allocation_request_page(current_user, status, allocation_after,
                                                    size),
        change_requests=change_request_page(current_user, status, change_after, size))


@bp.route("/toewijzing/nieuw", methods=["GET", "POST"])
@roles_required(*PROVIDER_ROLES)
def new_allocation_request():
    form = AllocationRequestForm()
    regions = region_ids_of(current_user)
    municipalities = all_municipalities(regions)
    arrangements = contracted_arrangements(current_user.provider, date.today(), regions)
    form.municipality.choices = [(None, _("Kies…")), *choices(municipalities)]
    form.arrangement.choices = [(None, _("Kies…")), *choices(arrangements)]
    if form.validate_on_submit():
        wish = AllocationWish(
            child=child_details(form),
            municipality=next(m for m in municipalities if m.id == form.municipality.data),
            referrer=COD327(form.referrer.data), referrer_code=form.referrer_code.data,
            referrer_name=form.referrer_name.data,
            arrangement=next(a for a in arrangements if a.id == form.arrangement.data),
            start=given(form.start_date), end=given(form.end_date),
            motivation=form.motivation.data or "")
        created, ok = apply_domain(form, request_allocation, current_user.provider, wish,
                                   current_user)
        if ok:
            return done(_("Het verzoek om toewijzing is naar de gemeente gestuurd."),
                        "requests.allocation", request_id=created.id)
    return render_template(
        "_form_page.html", form=form, heading=_("Verzoek om toewijzing"),
        intro=_("Na een verwijzing door een huisarts, jeugdarts, medisch specialist, "
                "gecertificeerde instelling of justitie vraagt u de gemeente om een toewijzing."),
        submit_label=_("Verzoek versturen"), cancel_url=url_for("requests.index"))


def _decide(obj, approve_form, approve, approved_message: str, approved_url):
    """The two decision forms on a request's page; a response when a decision was taken.
    Only those who may decide post here: the others get a 403, and a request decided in the
    meantime a notice."""
    if request.method == "POST" and not can.is_access_staff(current_user):
        abort(403)
    reject_form = RejectForm(prefix="afwijzen")
    decision = request.form.get("besluit")
    if decision and not can.can_decide(current_user, obj):
        flash(_("Over dit verzoek is al besloten."), "warning")
    elif decision == "toekennen" and approve_form.validate_on_submit():
        _r, ok = apply_domain(approve_form, approve)
        if ok:
            db.session.commit()
            flash(approved_message, "ok")
            return redirect(approved_url()), reject_form
    elif decision == "afwijzen" and reject_form.validate_on_submit():
        reject = reject_change if isinstance(obj, ChangeRequest) else reject_allocation_request
        _r, ok = apply_domain(reject_form, reject, obj, WJ759(reject_form.rejection_reason.data),
                              reject_form.decision_note.data, current_user)
        if ok:
            db.session.commit()
            flash(_("Het verzoek is afgewezen."), "ok")
            return redirect(request.path), reject_form
    return None, reject_form


@bp.route("/toewijzing/<int:request_id>", methods=["GET", "POST"])
@roles_required(*PARTIES)
def allocation(request_id: int):
    wish = load_scoped(AllocationRequest, request_id, can.allocation_request_scope(current_user))
    approve_form = ApproveForm(prefix="toekennen")
    response, reject_form = _decide(
        wish, approve_form, lambda: approve_allocation_request(wish, current_user),
        _("Het verzoek is toegekend; de toewijzing is afgegeven."),
        lambda: url_for("trajectories.show", trajectory_id=wish.trajectory_id))
    if response:
        return response
    return render_template("requests/allocation.html", r=wish, approve_form=approve_form,
                           reject_form=reject_form, may_decide=can.can_decide(current_user, wish))


@bp.route("/wijziging/<int:request_id>", methods=["GET", "POST"])
@roles_required(*PARTIES)
def change(request_id: int):
    change = load_scoped(ChangeRequest, request_id, can.change_request_scope(current_user))
    approve_form = ApproveChangeForm(prefix="toekennen")
    if request.method == "GET":
        approve_form.effective.data = max(date.today(), change.allocation.start_date)
    response, reject_form = _decide(
        change, approve_form,
        lambda: approve_change(change, given(approve_form.effective), current_user),
        _("Het wijzigingsverzoek is toegekend; er is een nieuwe toewijzing afgegeven."),
        lambda: url_for("trajectories.show", trajectory_id=change.trajectory_id))
    if response:
        return response
    return render_template("requests/change.html", r=change, approve_form=approve_form,
                           reject_form=reject_form, may_decide=can.can_decide(current_user, change))
