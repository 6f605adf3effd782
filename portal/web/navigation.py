"""The navigation each role sees."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from portal.domain.lists import Role

# (endpoint, label) per role; the start page comes first for everyone.
_ITEMS = {
    Role.PROVIDER_STAFF: [("main.home", _l("Start"))],
    Role.PROVIDER_ADMIN: [("main.home", _l("Start"))],
    Role.ACCESS_STAFF: [("main.home", _l("Start"))],
    Role.REVIEWER: [("main.home", _l("Start"))],
    Role.CONTRACT_MANAGER: [("main.home", _l("Start"))],
    Role.ADMINISTRATOR: [("main.home", _l("Start"))],
}


def navigation_for(user) -> list[tuple[str, str, str]]:
    """(endpoint, url, label) for the signed-in user's role; nothing when anonymous."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [(endpoint, url_for(endpoint), label) for endpoint, label in _ITEMS[user.role]]
