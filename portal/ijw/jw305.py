"""JW305 start zorg: the provider tells the municipality when care started."""

from flask_babel import lazy_gettext as _l

from portal.domain.lists import PROVIDER_ROLES
from portal.ijw.building import Builder
from portal.ijw.deliveries import FIRST_DELIVERY, deliveries, provider_to_municipality
from portal.ijw.exporting import Exporter
from portal.ijw.standard import KINDS
from portal.models import Trajectory


def _refusal(trajectory: Trajectory):
    if trajectory.started_on is None:
        return _l("De zorg in dit traject is nog niet gestart; er is nog geen startbericht.")
    return None


def _body(builder: Builder, trajectory: Trajectory) -> None:
    client = builder.client(trajectory.client.bsn, trajectory.client)
    products = builder.add(client, "StartProducten")
    for delivery in deliveries(trajectory):
        item = builder.add(products, "StartProduct")
        builder.add(item, "ToewijzingNummer", delivery.allocation.number)
        builder.product(item, delivery.allocation.arrangement)
        builder.add(item, "ToewijzingIngangsdatum", delivery.allocation.start_date)
        builder.add(item, "Begindatum", delivery.begin)
        builder.add(item, "StatusAanlevering", FIRST_DELIVERY)


EXPORTER = Exporter(KINDS["JW305"], Trajectory, PROVIDER_ROLES, _l("Startbericht (JW305)"),
                    _refusal, provider_to_municipality, _body)
