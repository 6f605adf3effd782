"""The demo region's results: measurements, reviews and later care that tell a story."""


from sqlalchemy import func, select

from portal.domain.figures import Period
from portal.domain.indicator_queries import load_indicator_data
from portal.domain.indicators import GROUPINGS, compute_by
from portal.domain.lists import MeasurementMoment, MeasurementStatus
from portal.extensions import db
from portal.models import Measurement, Provider, Region, Trajectory
from tests.conftest import DEMO_DAY as TODAY


def test_demo_measurements_reviews_and_later_care(seeded_demo):
    region_id = db.session.scalar(select(Region.id))
    per_moment = dict(db.session.execute(
        select(Measurement.moment, func.count()).group_by(Measurement.moment)).all())
    assert all(per_moment[m] > 10 for m in MeasurementMoment)
    per_status = dict(db.session.execute(
        select(Measurement.status, func.count()).group_by(Measurement.status)).all())
    assert all(per_status[s] > 0 for s in MeasurementStatus)
    children_with_new_care = db.session.scalar(select(func.count()).select_from(
        select(Trajectory.client_id).group_by(Trajectory.client_id)
        .having(func.count() > 1).subquery()))
    assert children_with_new_care > 0

    period = Period.twelve_months_until(TODAY)
    figures = compute_by(load_indicator_data(period, region_id), period, TODAY,
                         GROUPINGS["provider"])
    by_name = {name: figures[pid] for pid, name in db.session.execute(
        select(Provider.id, Provider.name))}
    best, worst = by_name["Horizon Jeugdhulp"], by_name["Lichtpunt Jeugdbehandeling"]
    assert best.satisfaction.value > worst.satisfaction.value
    assert best.without_help.value > worst.without_help.value
    assert best.drop_out.value < worst.drop_out.value
