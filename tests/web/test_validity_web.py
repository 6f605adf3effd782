"""Validity before saving, through the forms: a Dutch message on the form, nothing saved."""

from datetime import date, timedelta

from sqlalchemy import func, select

from portal.domain.lists import TrajectoryStatus
from portal.domain.working_days import today_in_amsterdam
from portal.extensions import db
from portal.models import Declaration, Trajectory
from tests.conftest import login_as
from tests.declaring import declare, submit
from tests.web.test_allocations_and_requests_web import form

TODAY = today_in_amsterdam()  # the portal's day
TOMORROW = (TODAY + timedelta(days=1)).isoformat()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_allocation_form_refuses_implausible_ages(client, world):
    login_as(client, world.users["access_staff"])
    for overrides, message in (
        ({"birth_date": "2030-01-01"}, "De geboortedatum ligt in de toekomst of meer dan 120 "
                                       "jaar terug (TR002)."),
        ({"birth_date": "2026-03-01"}, "De geboortedatum (01-03-2026) ligt niet vóór de "
                                       "ingangsdatum van de toewijzing (01-02-2026)."),
        ({"birth_date": "1990-01-01"}, "Het kind is op de ingangsdatum 36 jaar."),
        ({"birth_date": "2006-01-01"}, "Vanaf 18 jaar kan alleen verlengde jeugdhulp"),
    ):
        html = client.post("/toewijzingen/nieuw", data=form(world, **overrides)).get_data(
            as_text=True)
        assert message in html, overrides
    assert count(Trajectory) == 0
    extended = form(world, birth_date="2006-01-01", extended_youth_care="y")
    assert client.post("/toewijzingen/nieuw", data=extended).status_code == 302
    trajectory = db.session.scalar(select(Trajectory))
    assert trajectory.current_allocation.extended_youth_care is True
    assert "Verlengde jeugdhulp" in client.get("/toewijzingen/nieuw").get_data(as_text=True)


def test_start_and_end_of_care_in_the_future_are_refused(client, world):
    trajectory = world.trajectory(start=TODAY - timedelta(days=30),
                                  end=TODAY + timedelta(days=150))
    login_as(client, world.users["provider_staff"])
    html = client.post(f"/trajecten/{trajectory.id}/start",
                       data={"started_on": TOMORROW}).get_data(as_text=True)
    assert "ligt in de toekomst" in html
    db.session.refresh(trajectory)
    assert trajectory.status == TrajectoryStatus.ALLOCATED
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    assert client.post(f"/trajecten/{trajectory.id}/start",
                       data={"started_on": yesterday}).status_code == 302
    html = client.post(f"/trajecten/{trajectory.id}/beeindigen",
                       data={"ended_on": TOMORROW, "reason": "31"}).get_data(as_text=True)
    assert "Het einde van de zorg" in html and "ligt in de toekomst" in html
    db.session.refresh(trajectory)
    assert trajectory.status == TrajectoryStatus.STARTED


def test_declaration_form_refuses_a_second_month_and_a_month_before_the_term(client, world):
    world.trajectory("started")
    submit(world, declare(world, date(2026, 2, 1)))
    db.session.commit()
    login_as(client, world.users["provider_staff"])
    municipality = world.municipalities[0].id
    again = client.post("/declaraties/nieuw", data={"municipality": municipality,
                                                     "period": "2026-02"})
    assert again.status_code == 200
    assert "Er is al een declaratie over februari 2026" in again.get_data(as_text=True)
    early = client.post("/declaraties/nieuw", data={"municipality": municipality,
                                                     "period": "2024-12"})
    assert "ligt vóór de looptijd van het contract" in early.get_data(as_text=True)
    assert count(Declaration) == 1
