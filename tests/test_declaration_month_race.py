"""One declaration per provider, municipality and month, under a race on PostgreSQL: several
providers' staff start the month's declaration at once through the form; one wins, every
other gets the concept it made or the Dutch message of the sequential case, never a 500."""


from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Declaration, User
from tests.conftest import in_parallel, login_as
from tests.test_declaration_races import pytestmark

__all__ = ["pytestmark"]


def test_parallel_starts_of_one_month_leave_one_declaration(app, committed_world):
    world = committed_world
    world.trajectory("started")
    staff_id, municipality_id = world.users["provider_staff"].id, world.municipalities[0].id
    db.session.commit()

    def start(_n):
        client = app.test_client()
        with app.app_context():
            login_as(client, db.session.get(User, staff_id))
        response = client.post("/declaraties/nieuw", data={"municipality": municipality_id,
                                                            "period": "2026-02"})
        return response.status_code, response.get_data(as_text=True)

    results = in_parallel(app, start)
    assert all(status in (200, 302) for status, _body in results), results
    lost = [body for status, body in results if status == 200]
    assert all("Er is al een declaratie over februari 2026" in body for body in lost), lost
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Declaration)) == 1
