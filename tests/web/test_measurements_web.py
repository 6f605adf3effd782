"""Measurement screens per role: the provider's forms, the review list and its actions."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.domain.lists import (
    Informant,
    LifeDomain,
    MeasurementMoment,
    MeasurementStatus,
    Role,
    YesNoUnknown,
)
from portal.domain.measurements import Answers, accept, record_measurement
from portal.domain.plans import GoalText, add_goal
from portal.extensions import db
from portal.models import AuditEvent, Measurement, MeasurementComment
from tests.conftest import login_as
from tests.factories import UserFactory

HTMX = {"HX-Request": "true"}


def societal(**values) -> dict:
    return {"informant": "young_person", "measured_on": "2026-03-01",
            "goes_to_school_or_work": "no", "grows_up_at_home": "yes", "takes_part": "no",
            "is_safe": "yes", **values}


def measured(world, trajectory, informant=Informant.YOUNG_PERSON) -> Measurement:
    no = YesNoUnknown.NO
    measurement = record_measurement(trajectory, Answers(
        moment=MeasurementMoment.START, informant=informant, measured_on=date(2026, 3, 1),
        goes_to_school_or_work=no, grows_up_at_home=no, takes_part=no, is_safe=no),
        world.users["provider_staff" if trajectory.provider == world.providers[0]
                    else "other_provider_staff"], date.today())
    db.session.commit()
    return measurement


def count_measurements(trajectory) -> int:
    return db.session.scalar(select(func.count()).select_from(Measurement)
                             .where(Measurement.trajectory_id == trajectory.id))


@pytest.fixture
def started(world):
    """Horizon's trajectory in Den Haag, with one goal in the plan."""
    trajectory = world.trajectory("started")
    add_goal(trajectory, GoalText(LifeDomain.HEALTH, "Slaapt weer goed", "Minder onrust",
                                  "Fit voor school"), world.users["provider_staff"])
    db.session.commit()
    return trajectory


def new_url(trajectory, moment="begin") -> str:
    return f"/trajecten/{trajectory.id}/metingen/nieuw/{moment}"


def show_url(measurement) -> str:
    return f"/trajecten/{measurement.trajectory_id}/metingen/{measurement.id}"


# The provider's forms ---------------------------------------------------------------------


def test_provider_records_a_start_measurement(client, world, started):
    login_as(client, world.users["provider_staff"])
    response = client.post(new_url(started), data=societal())
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/trajecten/{started.id}#metingen")
    measurement = db.session.scalar(select(Measurement).where(
        Measurement.trajectory_id == started.id))
    assert (measurement.moment, measurement.informant, measurement.status) == (
        MeasurementMoment.START, Informant.YOUNG_PERSON, MeasurementStatus.SUBMITTED)
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "measurement.submitted", AuditEvent.object_id == measurement.id))
    page = client.get(f"/trajecten/{started.id}").get_data(as_text=True)
    assert "De meting is opgeslagen" in page
    assert '>Beginmeting<span class="visually-hidden">, jongere' in page


def test_end_measurement_asks_goals_satisfaction_and_without_help(client, world, started):
    login_as(client, world.users["provider_staff"])
    goal = started.goals[0]
    start_form = client.get(new_url(started)).get_data(as_text=True)
    assert "Hoe bruikbaar was deze hulp?" not in start_form and "Slaapt weer goed" not in start_form
    end_form = client.get(new_url(started, "einde")).get_data(as_text=True)
    assert "Doel: Slaapt weer goed" in end_form and "Hoe bruikbaar was deze hulp?" in end_form
    assert "04 – Heeft geen verdere hulp nodig" in end_form
    response = client.post(new_url(started, "einde"), data=societal(
        treatment_result="reduced", satisfaction="8", without_help="04",
        **{f"goal_{goal.id}": "achieved"}))
    assert response.status_code == 302
    measurement = db.session.scalar(select(Measurement).where(
        Measurement.trajectory_id == started.id))
    assert (measurement.satisfaction, measurement.without_help.value) == (8, "04")
    assert [(s.goal_id, s.score.value) for s in measurement.goal_scores] == [
        (goal.id, "achieved")]


def test_bad_input_gets_dutch_messages_and_nothing_is_saved(client, world, started):
    login_as(client, world.users["provider_staff"])
    empty = client.post(new_url(started, "einde"), data={}).get_data(as_text=True)
    assert "Er is een probleem" in empty and "Dit veld is verplicht." in empty
    future = (date.today() + timedelta(days=1)).isoformat()
    html = client.post(new_url(started), data=societal(measured_on=future)).get_data(
        as_text=True)
    assert "De meetdatum ligt in de toekomst." in html
    assert 'id="measured_on-error"' in html  # on the field
    assert count_measurements(started) == 0


def test_radios_are_marked_invalid_only_when_their_answer_has_an_error(client, world, started):
    login_as(client, world.users["provider_staff"])
    fresh = client.get(new_url(started)).get_data(as_text=True)
    assert 'type="radio"' in fresh and "aria-invalid" not in fresh
    html = client.post(new_url(started), data=societal(takes_part="")).get_data(as_text=True)
    invalid = re.findall(r'<input[^>]*aria-invalid="([^"]*)"[^>]*>', html)
    assert invalid and set(invalid) == {"true"}
    assert all('name="takes_part"' in tag
               for tag in re.findall(r'<input[^>]*aria-invalid[^>]*>', html))


def test_a_second_start_measurement_of_the_same_informant_is_refused(client, world, started):
    login_as(client, world.users["provider_staff"])
    assert client.post(new_url(started), data=societal()).status_code == 302
    html = client.post(new_url(started), data=societal()).get_data(as_text=True)
    assert "Er is al een beginmeting van deze informant (jongere)." in html
    assert 'id="informant-error"' in html
    assert client.post(new_url(started), data=societal(informant="parent")).status_code == 302
    assert count_measurements(started) == 2
    page = client.get(f"/trajecten/{started.id}").get_data(as_text=True)
    assert "Beginmeting vastleggen" not in page and "Eindmeting vastleggen" in page


def test_no_measurement_before_the_start_of_care(client, world):
    allocated = world.trajectory()
    db.session.commit()
    login_as(client, world.users["provider_staff"])
    response = client.get(new_url(allocated))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "kan pas worden vastgelegd als de zorg is gestart" in page
    assert client.get(new_url(allocated, "halverwege")).status_code == 404


@pytest.mark.parametrize("role, status", [
    ("other_provider_staff", 404), ("reviewer", 403), ("access_staff", 403),
    ("contract_manager", 403), ("administrator", 403),
])
def test_only_the_own_provider_measures(client, world, started, role, status):
    login_as(client, world.users[role])
    assert client.get(new_url(started)).status_code == status
    assert client.post(new_url(started), data=societal()).status_code == status
    assert count_measurements(started) == 0


@pytest.mark.parametrize("role, status", [
    ("provider_staff", 200), ("reviewer", 200), ("access_staff", 200),
    ("other_provider_staff", 404), ("other_reviewer", 404), ("other_access_staff", 404),
    ("contract_manager", 403), ("administrator", 403),
])
def test_measurement_page_per_role(client, world, started, role, status):
    measurement = measured(world, started)
    login_as(client, world.users[role])
    response = client.get(show_url(measurement))
    assert response.status_code == status
    if status == 200:
        html = response.get_data(as_text=True)
        assert "Beginmeting, jongere" in html and "Gaat naar school of werk" in html


def test_trajectory_page_shows_the_measurements_to_a_reviewer_without_buttons(
        client, world, started):
    measured(world, started)
    login_as(client, world.users["reviewer"])
    html = client.get(f"/trajecten/{started.id}").get_data(as_text=True)
    assert "Resultaatmetingen" in html
    assert '>Beginmeting<span class="visually-hidden">, jongere' in html
    assert "vastleggen" not in html


# The review ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role, status", [
    ("reviewer", 200), ("provider_staff", 200), ("provider_admin", 200),
    ("access_staff", 403), ("contract_manager", 403), ("administrator", 403),
])
def test_measurement_list_per_role(client, world, role, status):
    login_as(client, world.users[role])
    assert client.get("/metingen").status_code == status


def test_reviewer_lists_the_submitted_measurements_of_its_municipality(client, world, started):
    own = measured(world, started)
    elsewhere = measured(world, world.trajectory("started", provider=1, municipality=1))
    login_as(client, world.users["reviewer"])
    html = client.get("/metingen").get_data(as_text=True)
    assert show_url(own) in html and show_url(elsewhere) not in html
    assert '<option selected value="submitted">' in html
    login_as(client, world.users["other_reviewer"])
    html = client.get("/metingen").get_data(as_text=True)
    assert show_url(elsewhere) in html and show_url(own) not in html


def test_list_filters_answer_htmx_with_the_fragment(client, world, started):
    measurement = measured(world, started)
    login_as(client, world.users["reviewer"])
    response = client.get("/metingen?status=accepted", headers=HTMX)
    html = response.get_data(as_text=True)
    assert "<html" not in html and "Geen metingen gevonden" in html
    assert "HX-Request" in response.headers["Vary"]
    assert show_url(measurement) in client.get("/metingen?status=alle&moment=start").get_data(
        as_text=True)


def test_accept_in_place_with_htmx(client, world, started):
    measurement = measured(world, started)
    login_as(client, world.users["reviewer"])
    response = client.post(f"/metingen/{measurement.id}/accepteren", headers=HTMX,
                           data={f"meting-{measurement.id}-text": "Akkoord."})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith(f'<div class="portal-review" id="beoordeling-{measurement.id}"')
    assert "De meting is geaccepteerd." in html and "accepteerde de meting" in html
    db.session.refresh(measurement)
    assert measurement.status == MeasurementStatus.ACCEPTED
    assert [c.text for c in measurement.comments] == ["Akkoord."]


def test_asking_without_a_question_is_a_200_fragment_with_the_message(client, world, started):
    measurement = measured(world, started)
    login_as(client, world.users["reviewer"])
    response = client.post(f"/metingen/{measurement.id}/toelichting-vragen", headers=HTMX,
                           data={f"meting-{measurement.id}-text": " "})
    assert response.status_code == 200
    assert "Schrijf welke toelichting u van de aanbieder nodig hebt." in response.get_data(
        as_text=True)
    db.session.refresh(measurement)
    assert measurement.status == MeasurementStatus.SUBMITTED and not measurement.comments


def test_without_javascript_the_forms_post_and_redirect(client, world, started):
    measurement = measured(world, started)
    login_as(client, world.users["reviewer"])
    invalid = client.post(f"/metingen/{measurement.id}/toelichting-vragen",
                          data={"next": "/metingen"})
    assert invalid.status_code == 200 and "<html" in invalid.get_data(as_text=True)
    assert "Schrijf welke toelichting" in invalid.get_data(as_text=True)
    response = client.post(f"/metingen/{measurement.id}/toelichting-vragen", data={
        f"meting-{measurement.id}-text": "Waarom gaat het kind niet naar school?",
        "next": "/metingen?status=alle"})
    assert response.status_code == 302 and response.headers["Location"] == "/metingen?status=alle"
    evil = client.post(f"/metingen/{measurement.id}/toelichting",
                       data={"next": "//evil.example"})
    assert evil.status_code == 403  # a reviewer does not answer


def test_of_two_reviewers_the_second_gets_a_clear_message(client, world, started):
    measurement = measured(world, started)
    colleague = UserFactory(role=Role.REVIEWER, organisation=world.municipalities[0],
                            name="Tweede beoordelaar")
    db.session.commit()
    login_as(client, colleague)
    client.post(f"/metingen/{measurement.id}/accepteren", headers=HTMX)
    login_as(client, world.users["reviewer"])
    response = client.post(f"/metingen/{measurement.id}/toelichting-vragen", headers=HTMX,
                           data={f"meting-{measurement.id}-text": "Nog een vraag"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ("Deze meting is intussen gewijzigd door Tweede beoordelaar; de status is nu "
            "‘Geaccepteerd’.") in html
    assert db.session.scalar(select(func.count()).select_from(MeasurementComment)) == 1


def test_provider_answers_and_the_history_stays_visible(client, world, started):
    measurement = measured(world, started)
    login_as(client, world.users["reviewer"])
    client.post(f"/metingen/{measurement.id}/toelichting-vragen", headers=HTMX,
                data={f"meting-{measurement.id}-text": "Klopt het schoolbezoek?"})
    login_as(client, world.users["provider_staff"])
    listed = client.get("/metingen").get_data(as_text=True)  # asked for an explanation
    assert show_url(measurement) in listed and "Toelichting versturen" in listed
    response = client.post(f"/metingen/{measurement.id}/toelichting", headers=HTMX,
                           data={f"meting-{measurement.id}-text": "Ja, het kind is geschorst."})
    assert "Uw toelichting is naar de gemeente gestuurd." in response.get_data(as_text=True)
    login_as(client, world.users["reviewer"])
    html = client.get(show_url(measurement)).get_data(as_text=True)
    assert html.index("Klopt het schoolbezoek?") < html.index("Ja, het kind is geschorst.")
    assert "Accepteren" in html


@pytest.mark.parametrize("role, status", [
    ("other_reviewer", 404), ("provider_staff", 403), ("access_staff", 403),
    ("contract_manager", 403),
])
def test_only_the_municipalitys_reviewers_accept(client, world, started, role, status):
    measurement = measured(world, started)
    login_as(client, world.users[role])
    assert client.post(f"/metingen/{measurement.id}/accepteren").status_code == status
    db.session.refresh(measurement)
    assert measurement.status == MeasurementStatus.SUBMITTED


def test_another_providers_answer_is_a_404(client, world, started):
    measurement = measured(world, started)
    login_as(client, world.users["other_provider_staff"])
    assert client.post(f"/metingen/{measurement.id}/toelichting").status_code == 404


def test_htmx_posts_carry_the_csrf_token_in_a_header(client, world, started, csrf):
    measurement = measured(world, started)
    login_as(client, world.users["reviewer"])
    page = client.get("/metingen").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    refused = client.post(f"/metingen/{measurement.id}/accepteren", headers=HTMX)
    assert refused.status_code == 400
    allowed = client.post(f"/metingen/{measurement.id}/accepteren",
                          headers={**HTMX, "X-CSRFToken": token})
    assert allowed.status_code == 200 and "De meting is geaccepteerd." in allowed.get_data(
        as_text=True)


@pytest.mark.parametrize("page_size", [2, 25])
def test_list_query_count_does_not_grow_with_rows(app, client, world, count_queries,
                                                  page_size):
    app.config["PAGE_SIZE"] = page_size
    try:
        login_as(client, world.users["reviewer"])
        first = world.trajectory("started")
        accept(measured(world, first), world.users["reviewer"])
        measured(world, first, Informant.PARENT)
        db.session.commit()
        with count_queries() as few:
            client.get("/metingen?status=alle")
        for _ in range(3):
            trajectory = world.trajectory("started")
            accept(measured(world, trajectory), world.users["reviewer"])
            measured(world, trajectory, Informant.PARENT)
        db.session.commit()
        with count_queries() as many:
            client.get("/metingen?status=alle")
        assert len(few) == len(many)
    finally:
        app.config["PAGE_SIZE"] = 25


@pytest.mark.parametrize("query", [
    "provider=abc&moment=xyz&status=zzz&na=abc", "na=99999999999999999999", "status=alle&na=-1",
])
def test_odd_list_filters_fall_back_instead_of_failing(client, world, query):
    login_as(client, world.users["reviewer"])
    assert client.get(f"/metingen?{query}").status_code == 200
