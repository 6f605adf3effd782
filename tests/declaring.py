"""Helpers for the declaration tests: declare, submit and measure in one call."""

from datetime import date

from portal.domain.declarations import start_declaration, submit_declaration
from portal.domain.lists import Informant, MeasurementMoment, YesNoUnknown
from portal.extensions import db
from portal.models import Declaration, Measurement, Trajectory

TODAY = date(2026, 11, 23)


def declare(world, period=date(2026, 2, 1), municipality=0, provider=0) -> Declaration:
    user = world.users["provider_staff" if provider == 0 else "other_provider_staff"]
    declaration, _created = start_declaration(world.providers[provider],
                                              world.municipalities[municipality], period,
                                              user, TODAY)
    return declaration


def submit(world, declaration, provider=0, today=TODAY) -> bool:
    user = world.users["provider_staff" if provider == 0 else "other_provider_staff"]
    return submit_declaration(declaration, user, today)


def measure_end(trajectory: Trajectory, user) -> Measurement:
    """A minimal end measurement: the end tranche waits for one."""
    measurement = Measurement(
        trajectory=trajectory, moment=MeasurementMoment.END, informant=Informant.PARENT,
        measured_on=trajectory.ended_on, goes_to_school_or_work=YesNoUnknown.YES,
        grows_up_at_home=YesNoUnknown.YES, takes_part=YesNoUnknown.YES,
        is_safe=YesNoUnknown.YES, satisfaction=8, submitted_by=user)
    db.session.add(measurement)
    db.session.flush()
    return measurement
