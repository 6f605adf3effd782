"""A main provider's subcontractors (onderaannemers), registered on its contracts."""

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.domain.lists import PROVIDER_ROLES
from portal.domain.subcontractors import add_subcontractor, subcontractors_of
from portal.extensions import db
from portal.models import Contract
from portal.web.access import apply_domain, roles_required
from portal.web.responses import done
from portal.web.subcontractors.forms import SubcontractorForm

bp = Blueprint("subcontractors", __name__, url_prefix="/onderaannemers")


@bp.route("", methods=["GET", "POST"])
@roles_required(*PROVIDER_ROLES)
def index():
    contracts = list(db.session.scalars(
        select(Contract).where(Contract.provider_id == current_user.provider_id)
        .order_by(Contract.starts_on, Contract.number)))
    form = SubcontractorForm()
    form.contract.choices = [(None, _("Kies…")), *((c.id, c.number) for c in contracts)]
    if form.validate_on_submit():
        contract = next(c for c in contracts if c.id == form.contract.data)
        added, ok = apply_domain(form, add_subcontractor, contract, form.agb_code.data,
                                 form.name.data, current_user)
        if ok:
            return done(_("%(name)s staat als onderaannemer op contract %(contract)s.",
                          name=added.name, contract=contract.number),
                        "subcontractors.index")
    return render_template("subcontractors/index.html", form=form, contracts=contracts,
                           subcontractors=subcontractors_of(contracts))
