"""Arbitrary text, numbers and dates in the main forms: a clear answer, never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import login_as

values = st.one_of(
    st.text(max_size=60),
    st.integers(-10**12, 10**12).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.strftime("%d-%m-%Y")),
    st.sampled_from(["", " ", "0", "-1", "2026-02-30", "9" * 40, "<script>", "' OR 1=1 --",
                     "\r\nX-Injected: 1", "\x00"]),
)


def form_data(fields: dict):
    """Each field either keeps its valid value or gets an arbitrary one, so that requests
    get past the form into the domain rules and the database as well."""
    return st.fixed_dictionaries({name: st.one_of(st.just(valid), values)
                                  for name, valid in fields.items()})


# (role, path template, {field: a valid value}) for the main POST forms; "{a:...}" keys
# are filled in from the world.
FORMS = [
    ("access_staff", "/toewijzingen/nieuw",
     {"bsn": "999900006", "birth_date": "2015-05-17", "given_name": "Sam", "family_name": "Vos",
      "provider": "{provider}", "arrangement": "{arrangement}", "start_date": "2026-02-01",
      "end_date": "2026-07-31"}),
    ("provider_staff", "/trajecten/{t}/start", {"started_on": "2026-02-03"}),
    ("provider_staff", "/trajecten/{t}/beeindigen", {"ended_on": "2026-05-01", "reason": "31"}),
    ("provider_staff", "/trajecten/{t}/wijzigingsverzoek",
     {"reason": "1", "arrangement": "{heavier}", "end_date": "2026-10-31",
      "motivation": "Meer hulp"}),
    ("provider_staff", "/trajecten/{t}/doelen/nieuw",
     {"life_domain": "family", "description": "Rust", "treatment_aim": "Minder ruzie",
      "societal_aim": "Thuis wonen"}),
    ("provider_staff", "/verzoeken/toewijzing/nieuw",
     {"bsn": "999900018", "birth_date": "2013-01-01", "given_name": "Ali", "family_name": "Kaya",
      "municipality": "{municipality}", "referrer": "02", "arrangement": "{arrangement}",
      "start_date": "2026-03-01", "end_date": "2026-08-31", "motivation": "Verwezen"}),
    ("access_staff", "/trajecten/{t}/toewijzing-beeindigen",
     {"end_date": "2026-04-30", "reason": "07"}),
    ("administrator", "/beheer/gemeenten/nieuw", {"cbs_code": "0637", "name": "Zoetermeer"}),
    ("administrator", "/beheer/aanbieders/nieuw",
     {"agb_code": "75759999", "kvk_number": "41159999", "name": "Nieuw"}),
    ("anonymous", "/inloggen", {"email": "x@example.test", "password": "geheim"}),
]


@pytest.mark.parametrize("role, template, fields", FORMS, ids=[f[1] for f in FORMS])
@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_main_forms_never_answer_500(app, world, role, template, fields, data):
    trajectory = world.trajectory("started")
    client = app.test_client()
    if role != "anonymous":
        login_as(client, world.users[role])
    path = template.format(t=trajectory.id)
    ids = {"{provider}": world.providers[0].id, "{municipality}": world.municipalities[0].id,
           "{arrangement}": world.arrangements["ontw_midden"].id,
           "{heavier}": world.arrangements["ontw_zwaar"].id}
    posted = data.draw(form_data({k: str(ids.get(v, v)) for k, v in fields.items()}))
    response = client.post(path, data=posted)
    assert response.status_code < 500, (path, posted)


def test_nul_bytes_are_refused_before_they_reach_the_database(client, world):
    trajectory = world.trajectory("started")
    login_as(client, world.users["provider_staff"])
    response = client.post(f"/trajecten/{trajectory.id}/doelen/nieuw", data={
        "life_domain": "family", "description": "a\x00b", "treatment_aim": "x",
        "societal_aim": "y"})
    assert response.status_code == 400
    assert "Het verzoek is niet geldig" in response.get_data(as_text=True)
    assert trajectory.goals == []
