"""JW307 stop zorg: the provider tells the municipality when and why care stopped."""

from flask_babel import lazy_gettext as _l

from portal.domain.lists import PROVIDER_ROLES, TrajectoryStatus
from portal.ijw.building import Builder
from portal.ijw.deliveries import FIRST_DELIVERY, deliveries, provider_to_municipality
from portal.ijw.exporting import Exporter
from portal.ijw.standard import KINDS
from portal.models import Trajectory


def _refusal(trajectory: Trajectory):
    if trajectory.status != TrajectoryStatus.ENDED or trajectory.started_on is None:
        return _l("Er is geen stopbericht: de zorg in dit traject is niet gestart of nog niet "
                  "beëindigd.")
    return None


def _body(builder: Builder, trajectory: Trajectory) -> None:
    client = builder.client(trajectory.client.bsn, trajectory.client)
    products = builder.add(client, "StopProducten")
    for delivery in deliveries(trajectory):
        item = builder.add(products, "StopProduct")
        builder.add(item, "ToewijzingNummer", delivery.allocation.number)
        builder.product(item, delivery.allocation.arrangement)
        builder.add(item, "ToewijzingIngangsdatum", delivery.allocation.start_date)
        builder.add(item, "Begindatum", delivery.begin)
        builder.add(item, "RedenBeeindiging", delivery.reason)
        builder.add(item, "Einddatum", delivery.end)
        builder.add(item, "StatusAanlevering", FIRST_DELIVERY)


EXPORTER = Exporter(KINDS["JW307"], Trajectory, PROVIDER_ROLES, _l("Stopbericht (JW307)"),
                    _refusal, provider_to_municipality, _body)
