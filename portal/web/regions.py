"""The region a page's figures are about, for every role: shared by the dashboards and the
steering pages."""

from flask import abort
from flask_login import current_user

from portal.domain.lists import PROVIDER_ROLES
from portal.domain.regions import regions_of, viewer_region_id


def own_region_id() -> int:
    """The region of the viewer's region or municipal account (all have one); a 404 for an
    account without one."""
    region_id = viewer_region_id(current_user)
    if region_id is None:
        abort(404)
    return region_id


def chosen_region(form) -> int:
    """The viewer's region, or for a provider one of the regions it holds a contract in,
    chosen with the form's `regio` field when there are several (removed when there is one or
    none to choose)."""
    if current_user.role not in PROVIDER_ROLES:
        del form.regio
        return own_region_id()
    regions = regions_of(current_user)
    if not regions:
        abort(404)
    chosen = next((r for r in regions if r.id == form.regio.data), regions[0])
    if len(regions) == 1:
        del form.regio
    else:
        form.regio.choices = [(r.id, r.name) for r in regions]
        form.regio.data = chosen.id
    return chosen.id
