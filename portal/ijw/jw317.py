"""JW317 verzoek om wijziging: a provider asks for another arrangement or a later end."""

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from portal.domain.lists import PROVIDER_ROLES
from portal.domain.tariffs import tariff_on
from portal.formatting import AMSTERDAM
from portal.ijw.building import Builder
from portal.ijw.exporting import Exporter
from portal.ijw.standard import KINDS
from portal.models import ChangeRequest


def reference(change: ChangeRequest) -> str:
    """ReferentieAanbieder: the provider's own reference to the request."""
    return f"VOW-{change.id}"


def wanted_start(change: ChangeRequest) -> date:
    """When another arrangement would start: the date the municipality approved, else the
    day after the message (TR380: a wish lies after the Dagtekening), at the earliest the day
    after the allocation in force started."""
    if change.new_allocation is not None:
        return change.new_allocation.start_date
    tomorrow = datetime.now(AMSTERDAM).date() + timedelta(days=1)
    return max(tomorrow, change.allocation.start_date + timedelta(days=1))


def _refusal(change: ChangeRequest):
    """An approved change to another arrangement that has started can no longer be asked
    for: its wished start would lie before the message (TR380)."""
    if (change.arrangement_id != change.allocation.arrangement_id
            and change.new_allocation is not None
            and change.new_allocation.start_date <= datetime.now(AMSTERDAM).date()):
        return _l("Dit verzoek is toegekend en de nieuwe toewijzing is al ingegaan; een "
                  "verzoek om wijziging vraagt alleen om een ingangsdatum na vandaag (TR380). "
                  "De toewijzing zelf staat in het toewijzingsbericht (JW301).")
    return None


def _parties(change: ChangeRequest) -> tuple[str, str]:
    trajectory = change.trajectory
    return trajectory.provider.agb_code, trajectory.municipality.cbs_code


def _changed_product(builder: Builder, request, change: ChangeRequest, end: date) -> None:
    """The allocation in force with the end date asked for (TeWijzigenProduct)."""
    current = change.allocation
    item = builder.add(builder.add(request, "TeWijzigenProducten"), "TeWijzigenProduct")
    builder.add(item, "ToewijzingNummer", current.number)
    builder.add(item, "GewensteIngangsdatum", current.start_date)
    builder.add(item, "Einddatum", end)
    builder.amount(item, current.amount_cents)


def _body(builder: Builder, change: ChangeRequest) -> None:
    client = builder.client(change.trajectory.client.bsn)
    request = builder.add(client, "Verzoek")
    builder.add(request, "ReferentieAanbieder", reference(change))
    builder.add(request, "RedenVerzoek", change.reason)
    if change.arrangement_id == change.allocation.arrangement_id:
        _changed_product(builder, request, change, change.end_date)
        return
    start = wanted_start(change)
    _changed_product(builder, request, change, start - timedelta(days=1))
    item = builder.add(builder.add(request, "NieuweProducten"), "NieuwProduct")
    builder.product(item, change.arrangement)
    builder.add(item, "GewensteIngangsdatum", start)
    builder.add(item, "Einddatum", change.end_date)
    if tariff := tariff_on(change.arrangement, start):
        builder.amount(item, tariff.amount_cents)


EXPORTER = Exporter(KINDS["JW317"], ChangeRequest, PROVIDER_ROLES,
                    _l("Verzoek om wijziging (JW317)"), _refusal, _parties, _body)
