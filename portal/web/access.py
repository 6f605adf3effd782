"""The first steps of every request: roles, organisation-scoped loading, domain calls."""

from functools import wraps

from flask import abort, current_app, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.domain import DomainError
from portal.extensions import db, htmx


def roles_required(*roles):
    """Signed in, and one of these roles; otherwise 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        # Read by may_open(); functools' wrapper type does not declare it.
        wrapped.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def may_open(endpoint: str) -> bool:
    """Whether the signed-in user may open this page by its route's roles: templates show a
    link exactly where following it would not answer 403."""
    roles = getattr(current_app.view_functions[endpoint], "allowed_roles", None)
    return current_user.is_authenticated and (roles is None or current_user.role in roles)


def load_scoped(model, object_id: int, scope, options=()):
    """The object when it belongs to the user's organisation; otherwise 404 (never 403,
    which would confirm that it exists). `options`: loader options for what the page shows."""
    obj = db.session.scalar(select(model).options(*options).where(model.id == object_id,
                                                                  scope))
    if obj is None:
        abort(404)
    return obj


def apply_domain(form, action, *args, **kwargs):
    """Run a domain function; a DomainError goes onto the form and nothing is kept."""
    try:
        return action(*args, **kwargs), True
    except DomainError as error:
        db.session.rollback()
        show_error(form, error)
        return None, False


def show_error(form, error: DomainError) -> None:
    """Put a DomainError's message on the field it names, else on the form as a whole."""
    field = getattr(form, error.field, None) if error.field else None
    message = str(error)
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)


def wants_fragment() -> bool:
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page_or_fragment(page_template: str, fragment_template: str, **context):
    """The whole page, or only its fragment for an HTMX request (design.md, HTMX)."""
    return render_template(fragment_template if wants_fragment() else page_template, **context)
