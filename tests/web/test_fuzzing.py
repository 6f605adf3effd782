"""Hostile input: arbitrary text, numbers and dates in the main forms, hostile query strings
on every page, hostile CSV files and iJw messages: a clear answer, never a 500."""

import io
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import login_as, undone
from tests.ijw.messages import jw301, product
from tests.layers import shared_layer

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


@pytest.fixture
def form_post(app, world, role, template, fields):
    """A client logged in as `role`, the form's path and its valid values, made once per test;
    each example then posts inside its own SAVEPOINT (`undone`), so every example starts from
    the same started trajectory."""
    trajectory = world.trajectory("started")
    client = app.test_client()
    if role != "anonymous":
        login_as(client, world.users[role])
    ids = {"{provider}": world.providers[0].id, "{municipality}": world.municipalities[0].id,
           "{arrangement}": world.arrangements["ontw_midden"].id,
           "{heavier}": world.arrangements["ontw_zwaar"].id}
    return (client, template.format(t=trajectory.id),
            {k: str(ids.get(v, v)) for k, v in fields.items()})


@pytest.mark.parametrize("role, template, fields", FORMS, ids=[f[1] for f in FORMS])
@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_main_forms_never_answer_500(form_post, data):
    client, path, valid = form_post
    posted = data.draw(form_data(valid))
    with undone():
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


# GET: every page without an id in its path, with hostile query strings ----------------------

# The role that may see each page; a new page without an entry fails the test below.
PAGES = {
    "/": "provider_staff", "/account": "provider_staff", "/account/wachtwoord": "provider_staff",
    "/account/meldingen": "provider_staff",
    "/beheer": "administrator", "/beheer/toegangslog": "administrator",
    "/beheer/aanbieders/nieuw": "administrator", "/beheer/gebruikers/nieuw": "administrator",
    "/beheer/gemeenten/nieuw": "administrator", "/beheer/api-sleutels": "administrator",
    "/beoordelen": "reviewer", "/beoordelen/betaalbestanden": "reviewer",
    "/contracten": "contract_manager", "/contracten/tarieven": "contract_manager",
    "/contracten/nieuw": "contract_manager", "/contracten/nieuw-jaar": "contract_manager",
    "/catalogus": "contract_manager", "/catalogus/arrangementen/nieuw": "contract_manager",
    "/catalogus/intensiteiten/nieuw": "contract_manager",
    "/catalogus/profielen/nieuw": "contract_manager",
    "/declaraties": "provider_staff", "/declaraties/nieuw": "provider_staff",
    "/metingen": "reviewer", "/onderaannemers": "provider_admin",
    "/overzichten": "contract_manager",
    "/stuurinformatie": "contract_manager", "/stuurinformatie/definities": "contract_manager",
    "/stuurinformatie/export.csv": "contract_manager",
    "/stuurinformatie/aanbieder": "provider_staff",
    "/stuurinformatie/aanbieder/export.csv": "provider_staff",
    "/stuurinformatie/trend": "contract_manager",
    "/stuurinformatie/achter-het-cijfer": "contract_manager",
    "/sturing/tijdigheid": "reviewer", "/sturing/prikkels": "contract_manager",
    "/sturingsgesprekken": "contract_manager", "/sturingsgesprekken/nieuw": "contract_manager",
    "/sturingsgesprekken/acties": "provider_staff",
    "/toewijzingen/ijw": "access_staff", "/toewijzingen/importeren": "access_staff",
    "/toewijzingen/nieuw": "access_staff", "/trajecten": "access_staff",
    "/toewijzingen/codes": "access_staff",
    "/toewijzingen/importeren/voorbeeld.csv": "access_staff",
    "/trajecten/inbox": "provider_staff", "/tweestapsverificatie": "provider_staff",
    "/verzoeken": "access_staff", "/verzoeken/toewijzing/nieuw": "provider_staff",
    "/verify": "anonymous", "/inloggen": "anonymous", "/inloggen/code": "anonymous",
    "/healthz": "anonymous",
}
# Every query parameter a page reads, and then some.
PARAMETERS = ["na", "na_toewijzing", "na_wijziging", "status", "sort", "provider", "arrangement",
              "organisation", "overdue", "min_amount", "max_amount", "first_month", "last_month",
              "q", "moment", "van", "tot", "per", "periode", "indicator", "id", "regio", "next",
              "lang", "code", "page"]
hostile = st.one_of(
    values,
    st.sampled_from(["9" * 30, "99999999999999999999", "2147483648", "-2147483649", "²", "١٢٣",
                     "1e400", "NaN", "-0", "0x1f", "1_000", "2026-13-01", "2026-00", "9999-12",
                     "0001-01-01", "1_1", "_", "2026-01-01_9999999999999", "9" * 30 + "_1",
                     "\u202e", "\x1b[2J", "%00", "../../etc/passwd", "a" * 5000]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
)
query = st.dictionaries(st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=8)), hostile,
                        min_size=1, max_size=5)


def test_every_page_without_an_id_is_fuzzed(app):
    pages = {rule.rule for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and not rule.arguments - set(rule.defaults or {})}
    assert pages == set(PAGES)


@shared_layer(on="world")
def listed_world(world):
    """Something on every list, so cursors and filters reach real pages: built once."""
    for _ in range(3):
        world.trajectory("started")
    return world


@pytest.mark.parametrize("path", sorted(PAGES))
@settings(max_examples=30, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=query, htmx=st.booleans())
def test_query_strings_never_answer_500(app, listed_world, path, params, htmx):
    client = app.test_client()
    if PAGES[path] != "anonymous":
        login_as(client, listed_world.users[PAGES[path]])
    response = client.get(path, query_string=params,
                          headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code < 500, (path, params)


# Every list keyed by id with its cursor parameter: a cursor that is no id gives the first
# page (the accounts, keyed by e-mail address, get the hostile query strings above).
LIST_CURSORS = [
    ("/trajecten", "na"), ("/trajecten/inbox", "na"), ("/declaraties", "na"),
    ("/verzoeken", "na_toewijzing"), ("/verzoeken", "na_wijziging"), ("/metingen", "na"),
    ("/beoordelen", "na"), ("/beoordelen/betaalbestanden", "na"),
]


@pytest.mark.parametrize("path, parameter", LIST_CURSORS)
@pytest.mark.parametrize("cursor", ["9" * 30, "2147483648", "-1", "0", "1e3", "١٢٣"])
def test_a_cursor_that_is_no_id_gives_the_first_page(client, listed_world, path, parameter,
                                                     cursor):
    login_as(client, listed_world.users[PAGES[path]])
    first = client.get(path)
    response = client.get(path, query_string={parameter: cursor})
    assert response.status_code == 200, (path, cursor)
    assert response.get_data(as_text=True).count("<tr") == \
        first.get_data(as_text=True).count("<tr")


def test_an_access_log_cursor_that_is_no_id_gives_the_first_page(client, listed_world):
    login_as(client, listed_world.users["administrator"])
    response = client.post("/beheer/toegangslog", data={"na": "9" * 30})
    assert response.status_code == 200
    assert "Geen gebeurtenissen gevonden." not in response.get_data(as_text=True)


# Uploads: CSV files and iJw messages, hostile in form and in content --------------------------

CSV_HEADER = ("bsn;geboortedatum;voornaam;achternaam;agb_code;productcategorie;productcode;"
              "startdatum;einddatum")
cell = st.one_of(hostile, st.sampled_from(["999900006", "17-05-2015", "Sam", "Vos", "45",
                                           "01M", "01-02-2026", "31-07-2026"]))
csv_row = st.lists(cell, min_size=0, max_size=11).map(lambda cells: ";".join(
    c.replace(";", ",").replace("\n", " ").replace("\r", " ") for c in cells))
csv_text = st.builds(lambda header, rows, ending: header + ending + ending.join(rows),
                     st.one_of(st.just(CSV_HEADER), st.just(CSV_HEADER.replace(";", ",")),
                               st.text(max_size=40)),
                     st.lists(csv_row, max_size=6), st.sampled_from(["\n", "\r\n", "\r"]))
csv_bytes = st.one_of(
    csv_text.map(lambda text: text.encode("utf-8", "surrogatepass")),
    csv_text.map(lambda text: "\ufeff".encode() + text.encode("utf-8", "surrogatepass")),
    csv_text.map(lambda text: text.encode("utf-16", "surrogatepass")),
    st.binary(max_size=300),
)


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=csv_bytes, name=st.sampled_from(["t.csv", "t.xml", "", "../t.csv", "t\x00.csv"]))
def test_csv_uploads_never_answer_500(app, world, data, name):
    client = app.test_client()
    login_as(client, world.users["access_staff"])
    response = client.post("/toewijzingen/importeren", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(data), name)})
    assert response.status_code < 500, data


def _jw301(bsn: str, given: str, family: str, number: str, start: str, agb: str) -> bytes:
    text = jw301(product(1).replace("<jw301:ToewijzingNummer>1<",
                                    f"<jw301:ToewijzingNummer>{escape(number)}<")
                 .replace("2026-02-01", escape(start)),
                 receiver=agb, bsn=escape(bsn), given_names=escape(given),
                 surname=escape(family))
    return text if isinstance(text, bytes) else text.encode()


# Only characters XML 1.0 allows: the rest is a parse error, fuzzed with raw bytes below.
xml_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"],
                                          exclude_characters="\x00\x01\x02\x03\x04\x05\x06"
                                          "\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15"
                                          "\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\ufffe\uffff"),
                   max_size=150)
xml_value = st.one_of(xml_text, st.sampled_from(["999900006", "9" * 30, "-1", "0", "2026-02-30",
                                                 "\u202eSam", "S" * 200, "\x85", "１２３"]))


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bsn=xml_value, given=xml_value, family=xml_value, number=xml_value, start=xml_value,
       raw=st.one_of(st.none(), st.binary(max_size=300)))
def test_ijw_uploads_never_answer_500(app, world, bsn, given, family, number, start, raw):
    client = app.test_client()
    login_as(client, world.users["access_staff"])
    data = raw if raw is not None else _jw301(bsn, given, family, number, start,
                                              world.providers[0].agb_code)
    response = client.post("/toewijzingen/ijw", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(data), "bericht.xml")})
    assert response.status_code < 500, data[:500]
