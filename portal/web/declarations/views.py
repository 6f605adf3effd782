"""The provider's declarations: list, new concept, lines, submit and corrections."""

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.domain import permissions as can
from portal.domain.catalogue import all_municipalities, choices
from portal.domain.declaration_queries import (
    DeclarationFilter,
    declaration_counts,
    declaration_detail,
    declaration_page,
)
from portal.domain.declarations import (
    add_line,
    credit_line,
    delete_concept,
    propose_lines,
    remove_line,
    start_declaration,
    submit_declaration,
)
from portal.domain.lists import PROVIDER_ROLES, DeclarationStatus, Tranche
from portal.domain.paging import id_cursor
from portal.domain.regions import region_ids_of
from portal.domain.working_days import today_in_amsterdam
from portal.formatting import format_date
from portal.models import Declaration, DeclarationLine
from portal.web.access import apply_domain, load_scoped, roles_required
from portal.web.declarations.forms import ActionForm, AddLineForm, NewDeclarationForm
from portal.web.responses import done

bp = Blueprint("declarations", __name__, url_prefix="/declaraties")
PROVIDERS = tuple(PROVIDER_ROLES)


@bp.route("")
@roles_required(*PROVIDERS)
def index():
    asked = request.args.get("status", "")
    status = DeclarationStatus(asked) if asked in set(DeclarationStatus) else None
    filters = DeclarationFilter(status=status)
    page = declaration_page(current_user, filters, id_cursor(request.args.get("na")),
                            current_app.config["PAGE_SIZE"])
    return render_template("declarations/index.html", page=page, status=status,
                           counts=declaration_counts(current_user, filters))


@bp.route("/nieuw", methods=["GET", "POST"])
@roles_required(*PROVIDERS)
def new():
    form = NewDeclarationForm()
    municipalities = all_municipalities(region_ids_of(current_user))
    form.municipality.choices = [(None, _("Kies…")), *choices(municipalities)]
    if request.method == "GET":
        form.period.data = today_in_amsterdam().replace(day=1)
    if form.validate_on_submit():
        municipality = next(m for m in municipalities if m.id == form.municipality.data)
        result, ok = apply_domain(form, start_declaration, current_user.provider, municipality,
                                  form.period.data, current_user, today_in_amsterdam())
        if ok:
            declaration, created = result
            return done(_("Declaratie %(number)s is aangemaakt met %(count)s voorgestelde regels.",
                          number=declaration.number, count=len(declaration.lines)) if created else
                        _("Er was al een concept voor deze gemeente en maand; dat is geopend."),
                        "declarations.show", "ok" if created else "info",
                        declaration_id=declaration.id)
    return render_template(
        "_form_page.html", form=form, heading=_("Nieuwe declaratie"),
        intro=_("Een declaratie gaat naar één gemeente en gaat over één kalendermaand. Het "
                "portaal stelt de regels voor: de starttranches van gestarte trajecten en de "
                "eindtranches van beëindigde trajecten met een eindmeting, die nog niet zijn "
                "gedeclareerd. De bedragen berekent het portaal."),
        submit_label=_("Declaratie aanmaken"), cancel_url=url_for("declarations.index"))


def _load(declaration_id: int) -> Declaration:
    return load_scoped(Declaration, declaration_id, can.declaration_scope(current_user))


def _show(declaration: Declaration, add_form=None, action_form=None):
    detail = declaration_detail(declaration)
    return render_template(
        "declarations/show.html", declaration=declaration, detail=detail,
        add_form=add_form or AddLineForm(formdata=None), action_form=action_form or ActionForm(),
        may_edit=can.can_edit_declaration(current_user, declaration),
        failing=sum(1 for findings in detail.findings.values() if findings),
        today=today_in_amsterdam())


@bp.route("/<int:declaration_id>")
@roles_required(*PROVIDERS)
def show(declaration_id: int):
    return _show(_load(declaration_id))


@bp.route("/<int:declaration_id>/regels", methods=["POST"])
@roles_required(*PROVIDERS)
def add(declaration_id: int):
    declaration = _load(declaration_id)
    form = AddLineForm()
    if form.validate_on_submit():
        line, ok = apply_domain(form, add_line, declaration, form.allocation_number.data,
                                Tranche(form.tranche.data), current_user, today_in_amsterdam())
        if ok:
            return done(_("Regel %(reference)s is toegevoegd.",
                          reference=line.reference),
                        "declarations.show", declaration_id=declaration.id)
    return _show(declaration, add_form=form)


@bp.route("/<int:declaration_id>/voorstel", methods=["POST"])
@roles_required(*PROVIDERS)
def propose(declaration_id: int):
    declaration = _load(declaration_id)
    form = ActionForm()
    if form.validate_on_submit():
        lines, ok = apply_domain(form, propose_lines, declaration, current_user,
                                 today_in_amsterdam())
        if ok:
            return done(_("%(count)s regels toegevoegd.", count=len(lines)),
                        "declarations.show", declaration_id=declaration.id)
    return _show(declaration, action_form=form)


@bp.route("/<int:declaration_id>/regels/<int:line_id>/verwijderen", methods=["POST"])
@roles_required(*PROVIDERS)
def remove(declaration_id: int, line_id: int):
    declaration = _load(declaration_id)
    line = load_scoped(DeclarationLine, line_id,
                       can.provider_line_scope(current_user)
                       & (DeclarationLine.declaration_id == declaration.id))
    form = ActionForm()
    if form.validate_on_submit():
        reference = line.reference
        _r, ok = apply_domain(form, remove_line, line, current_user)
        if ok:
            return done(_("Regel %(reference)s is verwijderd.",
                          reference=reference),
                        "declarations.show", declaration_id=declaration.id)
    return _show(declaration, action_form=form)


@bp.route("/<int:declaration_id>/indienen", methods=["POST"])
@roles_required(*PROVIDERS)
def submit(declaration_id: int):
    declaration = _load(declaration_id)
    form = ActionForm()
    if form.validate_on_submit():
        submitted, ok = apply_domain(form, submit_declaration, declaration, current_user,
                                     today_in_amsterdam())
        if ok and submitted:
            return done(_("Declaratie %(number)s is ingediend. De gemeente "
                          "beantwoordt haar uiterlijk op %(day)s.",
                          number=declaration.number,
                          day=format_date(declaration.due_on)),
                        "declarations.show", declaration_id=declaration.id)
        if ok:
            return done(_("Deze declaratie was al ingediend; er is niets "
                          "opnieuw ingediend."),
                        "declarations.show", "info", declaration_id=declaration.id)
    return _show(declaration, action_form=form)


@bp.route("/<int:declaration_id>/verwijderen", methods=["POST"])
@roles_required(*PROVIDERS)
def delete(declaration_id: int):
    declaration = _load(declaration_id)
    form = ActionForm()
    if form.validate_on_submit():
        number = declaration.number
        _r, ok = apply_domain(form, delete_concept, declaration, current_user)
        if ok:
            return done(_("Concept %(number)s is verwijderd.", number=number), "declarations.index")
    return _show(declaration, action_form=form)


@bp.route("/regels/<int:line_id>/crediteren", methods=["POST"])
@roles_required(*PROVIDERS)
def credit(line_id: int):
    line = load_scoped(DeclarationLine, line_id, can.provider_line_scope(current_user))
    form = ActionForm()
    if form.validate_on_submit():
        concept, ok = apply_domain(form, credit_line, line, current_user, today_in_amsterdam())
        if ok:
            return done(_("Regel %(reference)s is gecrediteerd in dit concept. "
                          "Controleer de nieuwe debetregel en dien het concept in.",
                          reference=line.reference),
                        "declarations.show", declaration_id=concept.id)
    return _show(line.declaration, action_form=form)
