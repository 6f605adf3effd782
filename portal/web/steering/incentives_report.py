"""The incentives watch's content: a column per provider (or the provider's own) beside the
region's, the case mix per column, and the ends with 38/39 that nothing followed."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from portal.domain.incentives import (
    AGE_GROUPS,
    HandedOnRow,
    Incentives,
    ProviderData,
    Share,
    compute,
)
from portal.extensions import db
from portal.models import Intensity, Profile, Provider


@dataclass(frozen=True)
class Column:
    label: str
    figures: Incentives
    region: bool = False


@dataclass(frozen=True)
class CaseMixTable:
    title: str
    field: str  # the Incentives attribute holding the shares
    labels: dict  # key -> name, in the order shown

    def cell(self, column: Column, key) -> Share | None:
        return next((s for s in getattr(column.figures, self.field) if s.key == key), None)


@dataclass(frozen=True)
class IncentivesReport:
    columns: list[Column]
    case_mix: list[CaseMixTable]
    without_follow_up: list[HandedOnRow]


def _names(model, ids) -> dict[int, str]:
    order = model.rank if model is Intensity else model.name
    return {o.id: o.name for o in db.session.scalars(
        select(model).where(model.id.in_(ids)).order_by(order))}


def build(data: dict[int, ProviderData], today: date,
          own_provider_id: int | None = None) -> IncentivesReport:
    """The region's providers each in a column, or only `own_provider_id`'s; the region's
    total always beside them. Only the shown providers' ends are listed."""
    shown = [own_provider_id] if own_provider_id is not None else list(data)
    providers = _names(Provider, shown)
    region = compute(sum(data.values(), ProviderData()), today)
    columns = [Column(name, compute(data.get(pid, ProviderData()), today))
               for pid, name in providers.items()]
    columns.append(Column(_("Hele regio"), region, region=True))
    keys = [key for rows in data.values() for key in rows.case_mix]
    case_mix = [
        CaseMixTable(_("Leeftijd bij de start"), "ages",
                     {lowest: str(label) for lowest, label in AGE_GROUPS}),
        CaseMixTable(_("Profiel"), "profiles", _names(Profile, {k[1] for k in keys})),
        CaseMixTable(_("Intensiteit"), "intensities", _names(Intensity, {k[2] for k in keys})),
    ]
    listed = [h for c in columns if not c.region for h in c.figures.without_follow_up]
    return IncentivesReport(columns, case_mix,
                            sorted(listed, key=lambda h: (h.ended_on, h.provider,
                                                          h.allocation_number)))
