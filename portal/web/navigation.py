"""The navigation each role sees."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from portal.domain.lists import Role

# (endpoint, label) per role; the start page comes first for everyone.
_PROVIDER = [
    ("main.home", _l("Start")),
    ("trajectories.inbox", _l("Inbox")),
    ("trajectories.index", _l("Trajecten")),
    ("requests.index", _l("Verzoeken")),
    ("measurements.index", _l("Metingen")),
    ("dashboard.provider", _l("Stuurinformatie")),
    ("conversations.index", _l("Sturingsgesprekken")),
    ("declarations.index", _l("Declaraties")),
    ("statements.index", _l("Overzichten")),
    ("subcontractors.index", _l("Onderaannemers")),
]
_ITEMS = {
    Role.PROVIDER_STAFF: _PROVIDER,
    Role.PROVIDER_ADMIN: [*_PROVIDER, ("admin.index", _l("Beheer"))],
    Role.ACCESS_STAFF: [
        ("main.home", _l("Start")),
        ("trajectories.index", _l("Trajecten")),
        ("allocations.new", _l("Nieuwe toewijzing")),
        ("allocations.import_csv", _l("Importeren")),
        ("ijw.upload", _l("iJw-berichten")),
        ("requests.index", _l("Verzoeken")),
    ],
    Role.REVIEWER: [
        ("main.home", _l("Start")),
        ("trajectories.index", _l("Trajecten")),
        ("review.queue", _l("Declaraties beoordelen")),
        ("review.exports", _l("Betaalbestanden")),
        ("measurements.index", _l("Metingen beoordelen")),
        ("dashboard.region", _l("Stuurinformatie")),
        ("statements.index", _l("Overzichten")),
    ],
    Role.CONTRACT_MANAGER: [
        ("main.home", _l("Start")),
        ("dashboard.region", _l("Stuurinformatie")),
        ("conversations.index", _l("Sturingsgesprekken")),
        ("catalogue.index", _l("Catalogus")),
        ("contracts.tariffs", _l("Tarieven")),
        ("contracts.index", _l("Contracten")),
        ("statements.index", _l("Overzichten")),
    ],
    Role.ADMINISTRATOR: [
        ("main.home", _l("Start")),
        ("admin.index", _l("Beheer")),
        ("admin.access_log", _l("Toegangslog")),
    ],
}


def navigation_for(user) -> list[tuple[str, str, str]]:
    """(endpoint, url, label) for the signed-in user's role; nothing when anonymous."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [(endpoint, url_for(endpoint), label) for endpoint, label in _ITEMS[user.role]]
