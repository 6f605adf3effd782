"""Every route, for anonymous and for each role: the expected status.

A new endpoint without an entry in MATRIX fails `test_every_endpoint_has_an_entry`.
Objects in URLs belong to Horizon Jeugdhulp (provider) in 's-Gravenhage (municipality), so
"404" marks a role that may use the page but not for another organisation's object.
"""

from datetime import date

import pytest
from flask import current_app

from portal.domain.api_tokens import create_token
from portal.domain.codes import COD327, WJ758
from portal.domain.conversations import (
    ActionInput,
    ConversationInput,
    add_action,
    record_conversation,
)
from portal.domain.declarations import start_declaration, submit_declaration
from portal.domain.lists import Informant, LifeDomain, MeasurementMoment, YesNoUnknown
from portal.domain.measurements import Answers, record_measurement
from portal.domain.payment_exports import create_export
from portal.domain.plans import GoalText, add_goal
from portal.domain.pseudonyms import pseudonym
from portal.domain.requests import AllocationWish, request_allocation, request_change
from portal.domain.review import approve_line
from portal.domain.trajectories import ChildDetails
from portal.extensions import db
from portal.ijw.receiving import receive_message
from portal.jobs.records import organisation_of
from portal.models import User
from portal.models.jobs import Job, JobKind, JobStatus
from tests.conftest import login_as, refresh_figures, undone
from tests.factories import next_bsn
from tests.ijw.messages import jw301, product
from tests.layers import shared_layer

ROLES = ("anonymous", "provider_staff", "provider_admin", "access_staff", "reviewer",
         "contract_manager", "administrator")
PROVIDER = {"provider_staff", "provider_admin"}
MUNICIPAL = {"access_staff", "reviewer"}
EVERYONE = set(ROLES) - {"anonymous"}


def only(*groups, otherwise="403", **special) -> dict[str, str]:
    """`ok` for the roles in groups, `login` for anonymous, `otherwise` for the rest."""
    allowed = set().union(*groups)
    expected = {role: "ok" if role in allowed else otherwise for role in ROLES}
    expected["anonymous"] = "login"
    expected.update(special)
    return expected


PUBLIC = dict.fromkeys(ROLES, "ok")
PROVIDER_PAGE = only(PROVIDER)
ACCESS_STAFF_PAGE = only({"access_staff"})
ADMINS = only({"administrator", "provider_admin"})
OWN_JOB = only(PROVIDER, otherwise="404")


def get_post(expected: dict) -> dict:
    return {"GET": expected, "POST": expected}


# endpoint: (url(objects), {method: expected per role})
MATRIX = {
    "static": (lambda o: "/static/css/portal.css", {"GET": PUBLIC}),
    "main.healthz": (lambda o: "/healthz", {"GET": PUBLIC}),
    "main.set_language": (lambda o: "/taal/en", {"POST": PUBLIC}),
    "auth.login": (lambda o: "/inloggen", get_post(PUBLIC)),
    # Logging out lands on the login page, whoever asks.
    "auth.logout": (lambda o: "/uitloggen", {"POST": dict.fromkeys(ROLES, "login")}),
    # Without a login halfway, the code step sends anyone back to the login page.
    "auth.second_factor": (lambda o: "/inloggen/code",
                           get_post(dict.fromkeys(ROLES, "login"))),
    "auth.enrol": (lambda o: "/tweestapsverificatie", get_post(only(EVERYONE))),
    "auth.account": (lambda o: "/account", {"GET": only(EVERYONE)}),
    "auth.password": (lambda o: "/account/wachtwoord", get_post(only(EVERYONE))),
    "auth.notices": (lambda o: "/account/meldingen", get_post(only(EVERYONE))),
    "main.home": (lambda o: "/", {"GET": only(EVERYONE)}),
    "trajectories.index": (lambda o: "/trajecten", {"GET": only(PROVIDER, MUNICIPAL)}),
    "trajectories.inbox": (lambda o: "/trajecten/inbox", {"GET": PROVIDER_PAGE}),
    "trajectories.show": (lambda o: f"/trajecten/{o['trajectory']}",
                          {"GET": only(PROVIDER, MUNICIPAL)}),
    "trajectories.start": (lambda o: f"/trajecten/{o['trajectory']}/start",
                           get_post(PROVIDER_PAGE)),
    "trajectories.new_goal": (lambda o: f"/trajecten/{o['trajectory']}/doelen/nieuw",
                              get_post(PROVIDER_PAGE)),
    "trajectories.goal": (lambda o: f"/trajecten/{o['trajectory']}/doelen/{o['goal']}",
                          get_post(PROVIDER_PAGE)),
    "trajectories.change_request": (lambda o: f"/trajecten/{o['trajectory']}/wijzigingsverzoek",
                                    get_post(PROVIDER_PAGE)),
    "trajectories.end": (lambda o: f"/trajecten/{o['trajectory']}/beeindigen",
                         get_post(PROVIDER_PAGE)),
    "trajectories.contact": (lambda o: f"/trajecten/{o['trajectory']}/contact",
                             get_post(ACCESS_STAFF_PAGE)),
    "trajectories.end_allocation_view": (
        lambda o: f"/trajecten/{o['trajectory']}/toewijzing-beeindigen",
        get_post(ACCESS_STAFF_PAGE)),
    "trajectories.delivery": (lambda o: f"/trajecten/{o['trajectory']}/uitvoering",
                              get_post(PROVIDER_PAGE)),
    "subcontractors.index": (lambda o: "/onderaannemers", get_post(PROVIDER_PAGE)),
    "allocations.new": (lambda o: "/toewijzingen/nieuw", get_post(ACCESS_STAFF_PAGE)),
    "allocations.import_csv": (lambda o: "/toewijzingen/importeren", get_post(ACCESS_STAFF_PAGE)),
    "allocations.import_example": (lambda o: "/toewijzingen/importeren/voorbeeld.csv",
                                   {"GET": ACCESS_STAFF_PAGE}),
    "allocations.codes": (lambda o: "/toewijzingen/codes", {"GET": ACCESS_STAFF_PAGE}),
    "requests.index": (lambda o: "/verzoeken", {"GET": only(PROVIDER, {"access_staff"})}),
    "requests.new_allocation_request": (lambda o: "/verzoeken/toewijzing/nieuw",
                                        get_post(PROVIDER_PAGE)),
    "requests.allocation": (lambda o: f"/verzoeken/toewijzing/{o['allocation_request']}",
                            {"GET": only(PROVIDER, {"access_staff"}),
                             "POST": ACCESS_STAFF_PAGE}),
    "requests.change": (lambda o: f"/verzoeken/wijziging/{o['change_request']}",
                        {"GET": only(PROVIDER, {"access_staff"}), "POST": ACCESS_STAFF_PAGE}),
    "ijw.upload": (lambda o: "/toewijzingen/ijw", get_post(ACCESS_STAFF_PAGE)),
    "ijw.allocation_message": (lambda o: f"/toewijzingen/{o['allocation']}/jw301",
                               {"POST": ACCESS_STAFF_PAGE}),
    "ijw.start_message": (lambda o: f"/trajecten/{o['trajectory']}/jw305", {"POST": PROVIDER_PAGE}),
    # The trajectory has not ended: the provider is sent back to it with a message.
    "ijw.stop_message": (lambda o: f"/trajecten/{o['trajectory']}/jw307", {"POST": PROVIDER_PAGE}),
    "ijw.allocation_request_message": (
        lambda o: f"/verzoeken/toewijzing/{o['allocation_request']}/jw315",
        {"POST": PROVIDER_PAGE}),
    "ijw.declaration_message": (lambda o: f"/declaraties/{o['concept']}/jw323",
                                {"POST": only(PROVIDER, otherwise="403")}),
    "ijw.declaration_answer_message": (lambda o: f"/declaraties/{o['concept']}/jw325",
                                       {"POST": only(PROVIDER, otherwise="403")}),
    "ijw.change_request_message": (lambda o: f"/verzoeken/wijziging/{o['change_request']}/jw317",
                                   {"POST": PROVIDER_PAGE}),
    "ijw.allocation_request_answer": (
        lambda o: f"/verzoeken/toewijzing/{o['allocation_request']}/jw319",
        {"POST": ACCESS_STAFF_PAGE}),
    "ijw.change_request_answer": (lambda o: f"/verzoeken/wijziging/{o['change_request']}/jw319",
                                  {"POST": ACCESS_STAFF_PAGE}),
    "admin.index": (lambda o: "/beheer", {"GET": ADMINS}),
    "door.tokens": (lambda o: "/beheer/api-sleutels", get_post(ADMINS)),
    # The token is the provider's: the region's administrator manages municipalities' tokens.
    "door.revoke": (lambda o: f"/beheer/api-sleutels/{o['api_token']}/intrekken",
                    {"POST": only({"provider_admin"}, administrator="404")}),
    "door.answer": (lambda o: f"/ijw/antwoorden/{o['answer']}",
                    {"GET": only({"access_staff"}, provider_staff="404",
                                 provider_admin="404", reviewer="ok")}),
    # Only an API token opens the machine door; a session is no key.
    "door.receive": (lambda o: "/api/ijw/berichten", {"POST": dict.fromkeys(ROLES, "401")}),
    "admin.new_user": (lambda o: "/beheer/gebruikers/nieuw", get_post(ADMINS)),
    "admin.toggle_user": (lambda o: f"/beheer/gebruikers/{o['user']}/actief", {"POST": ADMINS}),
    "admin.unlock_second_factor": (lambda o: f"/beheer/gebruikers/{o['user']}/deblokkeren",
                                   {"POST": ADMINS}),
    "admin.new_municipality": (lambda o: "/beheer/gemeenten/nieuw",
                               get_post(only({"administrator"}))),
    "admin.new_provider": (lambda o: "/beheer/aanbieders/nieuw",
                           get_post(only({"administrator"}))),
    "admin.access_log": (lambda o: "/beheer/toegangslog", get_post(only({"administrator"}))),
    "measurements.index": (lambda o: "/metingen", {"GET": only(PROVIDER, {"reviewer"})}),
    "measurements.new": (lambda o: f"/trajecten/{o['trajectory']}/metingen/nieuw/tussentijds",
                         get_post(PROVIDER_PAGE)),
    "measurements.show": (
        lambda o: f"/trajecten/{o['trajectory']}/metingen/{o['measurement']}",
        {"GET": only(PROVIDER, MUNICIPAL)}),
    "measurements.accept_view": (lambda o: f"/metingen/{o['measurement']}/accepteren",
                                 {"POST": only({"reviewer"})}),
    "measurements.ask_view": (lambda o: f"/metingen/{o['measurement']}/toelichting-vragen",
                              {"POST": only({"reviewer"})}),
    "measurements.explain_view": (lambda o: f"/metingen/{o['measurement']}/toelichting",
                                  {"POST": PROVIDER_PAGE}),
    "dashboard.region": (lambda o: "/stuurinformatie",
                         {"GET": only({"reviewer", "contract_manager"})}),
    "dashboard.region_csv": (lambda o: "/stuurinformatie/export.csv",
                             {"GET": only({"reviewer", "contract_manager"})}),
    "dashboard.provider": (lambda o: f"/stuurinformatie/aanbieders/{o['provider']}",
                           {"GET": only(PROVIDER, {"reviewer", "contract_manager"})}),
    "dashboard.provider_csv": (
        lambda o: f"/stuurinformatie/aanbieders/{o['provider']}/export.csv",
                               {"GET": only(PROVIDER, {"reviewer", "contract_manager"})}),
    # A provider sees its own trend; the region's readers the region's or a group's.
    "dashboard.trend": (lambda o: f"/stuurinformatie/trend?per=aanbieder&id={o['provider']}",
                        {"GET": only(PROVIDER, {"reviewer", "contract_manager"})}),
    # The trajectories behind a provider's figure: its own, a municipality's children or,
    # for the contract manager, pseudonymised (tests/web/test_figure_rows_web.py).
    "dashboard.figure_rows": (
        lambda o: f"/stuurinformatie/achter-het-cijfer?indicator=drop_out&per=aanbieder"
                  f"&id={o['provider']}",
        {"GET": only(PROVIDER, {"reviewer", "contract_manager"})}),
    "dashboard.pseudonymised_trajectory": (
        lambda o: "/stuurinformatie/achter-het-cijfer/"
                  + pseudonym(o["trajectory"], current_app.secret_key.encode()),
        {"GET": only({"contract_manager"})}),
    "steering.timeliness": (lambda o: "/sturing/tijdigheid",
                            {"GET": only(PROVIDER, MUNICIPAL, {"contract_manager"})}),
    "steering.incentives": (lambda o: "/sturing/prikkels",
                            {"GET": only(PROVIDER, {"contract_manager"})}),
    "declarations.index": (lambda o: "/declaraties", {"GET": PROVIDER_PAGE}),
    "declarations.new": (lambda o: "/declaraties/nieuw", get_post(PROVIDER_PAGE)),
    "declarations.show": (lambda o: f"/declaraties/{o['concept']}", {"GET": PROVIDER_PAGE}),
    "declarations.add": (lambda o: f"/declaraties/{o['concept']}/regels",
                         {"POST": PROVIDER_PAGE}),
    "declarations.propose": (lambda o: f"/declaraties/{o['concept']}/voorstel",
                             {"POST": PROVIDER_PAGE}),
    "declarations.remove": (
        lambda o: f"/declaraties/{o['concept']}/regels/{o['concept_line']}/verwijderen",
        {"POST": PROVIDER_PAGE}),
    "declarations.delete": (lambda o: f"/declaraties/{o['concept']}/verwijderen",
                            {"POST": PROVIDER_PAGE}),
    "declarations.submit": (lambda o: f"/declaraties/{o['concept']}/indienen",
                            {"POST": PROVIDER_PAGE}),
    "declarations.credit": (lambda o: f"/declaraties/regels/{o['approved_line']}/crediteren",
                            {"POST": PROVIDER_PAGE}),
    "review.queue": (lambda o: "/beoordelen", {"GET": only({"reviewer"})}),
    "review.line": (lambda o: f"/beoordelen/regels/{o['submitted_line']}",
                    {"GET": only({"reviewer"})}),
    "review.approve": (lambda o: f"/beoordelen/regels/{o['submitted_line']}/goedkeuren",
                       {"POST": only({"reviewer"})}),
    "review.reject": (lambda o: f"/beoordelen/regels/{o['submitted_line']}/afkeuren",
                      {"POST": only({"reviewer"})}),
    "review.approve_pair": (
        lambda o: f"/beoordelen/regels/{o['submitted_line']}/correctie-goedkeuren",
        {"POST": only({"reviewer"})}),
    "review.approve_selected": (lambda o: "/beoordelen/goedkeuren", {"POST": only({"reviewer"})}),
    "review.exports": (lambda o: "/beoordelen/betaalbestanden", get_post(only({"reviewer"}))),
    "review.download": (lambda o: f"/beoordelen/betaalbestanden/{o['export']}.csv",
                        {"GET": only({"reviewer"})}),
    "contracts.index": (lambda o: "/contracten", {"GET": only({"contract_manager"})}),
    "contracts.tariffs": (lambda o: "/contracten/tarieven", {"GET": only({"contract_manager"})}),
    "contracts.new_tariff": (lambda o: f"/contracten/tarieven/nieuw/{o['arrangement']}",
                             get_post(only({"contract_manager"}))),
    "contracts.edit": (lambda o: f"/contracten/tarieven/{o['tariff']}",
                       get_post(only({"contract_manager"}))),
    "contracts.payment_scheme": (lambda o: f"/contracten/{o['contract']}/betaalschema",
                                 get_post(only({"contract_manager"}))),
    "contracts.contract": (lambda o: f"/contracten/{o['contract']}",
                           get_post(only({"contract_manager"}))),
    "contracts.targets": (lambda o: f"/contracten/{o['contract']}/streefwaarden",
                          get_post(only({"contract_manager"}))),
    "contracts.year_copy": (lambda o: "/contracten/nieuw-jaar",
                            get_post(only({"contract_manager"}))),
    "contracts.year_copy_confirm": (lambda o: "/contracten/nieuw-jaar/bevestigen",
                                    {"POST": only({"contract_manager"})}),
    "catalogue.index": (lambda o: "/catalogus", {"GET": only({"contract_manager"})}),
    "catalogue.profile": (lambda o: f"/catalogus/profielen/{o['profile']}",
                          get_post(only({"contract_manager"}))),
    "catalogue.intensity": (lambda o: f"/catalogus/intensiteiten/{o['intensity']}",
                            get_post(only({"contract_manager"}))),
    "catalogue.arrangement": (lambda o: f"/catalogus/arrangementen/{o['arrangement']}",
                              get_post(only({"contract_manager"}))),
    "catalogue.delete_tariff_version": (
        lambda o: f"/catalogus/tarieven/{o['tariff']}/verwijderen",
        {"POST": only({"contract_manager"})}),
    "dashboard.definitions": (lambda o: "/stuurinformatie/definities",
                              {"GET": only(PROVIDER, {"reviewer", "contract_manager"})}),
    "statements.index": (lambda o: "/overzichten",
                         {"GET": only(PROVIDER, {"reviewer", "contract_manager"})}),
    "statements.contract": (lambda o: f"/overzichten/contracten/{o['contract']}",
                            {"GET": only(PROVIDER, {"reviewer", "contract_manager"})}),
    "statements.declaration": (lambda o: f"/overzichten/declaraties/{o['declaration']}.pdf",
                               {"GET": only(PROVIDER, {"reviewer", "contract_manager"})}),
    # Anyone holding a statement may check its verification code.
    "statements.check": (lambda o: "/verify", get_post(PUBLIC)),
    "conversations.index": (lambda o: "/sturingsgesprekken",
                            {"GET": only(PROVIDER, {"contract_manager"})}),
    "conversations.actions": (lambda o: "/sturingsgesprekken/acties",
                              {"GET": only(PROVIDER, {"contract_manager"})}),
    "conversations.new": (lambda o: "/sturingsgesprekken/nieuw",
                          get_post(only({"contract_manager"}))),
    "conversations.show": (lambda o: f"/sturingsgesprekken/{o['conversation']}",
                           {"GET": only(PROVIDER, {"contract_manager"})}),
    "conversations.report": (lambda o: f"/sturingsgesprekken/{o['conversation']}.pdf",
                             {"GET": only(PROVIDER, {"contract_manager"})}),
    "conversations.new_action": (lambda o: f"/sturingsgesprekken/{o['conversation']}/acties",
                                 {"POST": only({"contract_manager"})}),
    "conversations.response": (lambda o: f"/sturingsgesprekken/{o['conversation']}/reactie",
                               {"POST": only(PROVIDER)}),
    "conversations.finish": (
        lambda o: f"/sturingsgesprekken/acties/{o['conversation_action']}/afronden",
        {"POST": only(PROVIDER, {"contract_manager"})}),
    # A job (here a provider's statement) is its organisation's: others get a 404.
    "jobs.show": (lambda o: f"/taken/{o['job']}", {"GET": OWN_JOB}),
    "jobs.status": (lambda o: f"/taken/{o['job']}/voortgang", {"GET": OWN_JOB}),
    "jobs.download": (lambda o: f"/taken/{o['job']}/bestand", {"GET": OWN_JOB}),
}


# A provider's figures are steering information for every municipality of the region.
SHARED_IN_REGION = {"dashboard.provider", "dashboard.provider_csv", "dashboard.trend"}
# A contract covers the region: another municipality's reviewer gets its own part of it.
SHARED_WITH = {"statements.contract": {"other_reviewer"}}


@shared_layer(on="world")
def matrix_objects(world):
    """The objects in MATRIX urls and the users' ids: built once for every test here."""
    staff = world.users["provider_staff"]
    trajectory = world.trajectory("started")
    goal = add_goal(trajectory, GoalText(LifeDomain.HEALTH, "Slaapt goed", "Minder onrust",
                                         "Naar school"), staff)
    change = request_change(trajectory, reason=WJ758.CARE_PLAN,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=date(2026, 7, 31), motivation="Zwaarder", actor=staff)
    wish = request_allocation(world.providers[0], AllocationWish(
        ChildDetails(next_bsn(), date(2012, 1, 1), "Ali", "Vos"), world.municipalities[0],
        COD327.GENERAL_PRACTITIONER, world.arrangements["ontw_midden"], date(2026, 3, 1),
        date(2026, 8, 31), "Verwezen", referrer_name="Huisarts Jansen"), staff)
    measurement = record_measurement(trajectory, Answers(
        MeasurementMoment.START, Informant.PARENT, date(2026, 2, 3), YesNoUnknown.NO,
        YesNoUnknown.YES, YesNoUnknown.NO, YesNoUnknown.YES), staff, today=date(2026, 3, 1))
    # A submitted and approved start tranche in February, its payment export, a concept
    # in March with the start tranche of a second trajectory, and one line under review.
    reviewer = world.users["reviewer"]
    february, _new = start_declaration(world.providers[0], world.municipalities[0],
                                       date(2026, 2, 1), staff, today=date(2026, 3, 2))
    submit_declaration(february, staff, today=date(2026, 3, 2))
    approved = february.lines[0]
    approve_line(approved, reviewer)
    export = create_export(world.municipalities[0], date(2026, 2, 1), date(2026, 2, 1),
                           reviewer)
    world.trajectory(start=date(2026, 3, 1), end=date(2026, 8, 31), started_on=date(2026, 3, 2))
    march, _new = start_declaration(world.providers[0], world.municipalities[0],
                                    date(2026, 3, 1), staff, today=date(2026, 4, 1))
    world.trajectory(start=date(2026, 4, 1), end=date(2026, 9, 30), started_on=date(2026, 4, 2))
    april, _new = start_declaration(world.providers[0], world.municipalities[0],
                                    date(2026, 4, 1), staff, today=date(2026, 5, 1))
    submit_declaration(april, staff, today=date(2026, 5, 1))
    tariff = world.arrangements["ontw_midden"].tariffs[-1]
    api_token, _token = create_token(world.providers[0], "ECD", world.users["provider_admin"])
    answer = receive_message(jw301(product(300201), receiver=world.providers[0].agb_code,
                                   bsn=next_bsn()), actor=world.users["access_staff"],
                             municipality=world.municipalities[0], source="t.xml").answer
    job = Job(kind=JobKind.CONTRACT_STATEMENT, organisation=organisation_of(staff),
              created_by=staff, params={}, fingerprint="0" * 64, status=JobStatus.DONE,
              output=b"%PDF-", output_name="overzicht.pdf")
    db.session.add(job)
    manager = world.users["contract_manager"]
    conversation = record_conversation(world.contracts[0], ConversationInput(
        2026, 1, date(2026, 4, 2), "Ans, Bo", ["Minder uitval"]), manager, date(2026, 4, 2))
    conversation_action = add_action(conversation, ActionInput(
        "Bo", "provider", "Uitval analyseren", date(2026, 5, 1)), manager, date(2026, 4, 2))
    db.session.commit()
    refresh_figures()  # as the worker does: the pseudonymised trajectory is in the store
    objects = {"trajectory": trajectory.id, "goal": goal.id, "change_request": change.id,
               "allocation_request": wish.id, "user": world.users["provider_staff"].id,
               "allocation": trajectory.current_allocation.id, "measurement": measurement.id,
               "provider": world.providers[0].id, "concept": march.id,
               "concept_line": march.lines[0].id, "approved_line": approved.id,
               "submitted_line": april.lines[0].id, "export": export.id,
               "arrangement": world.arrangements["ontw_midden"].id, "tariff": tariff.id,
               "contract": world.contracts[0].id, "declaration": february.id,
               "profile": world.arrangements["ontw_midden"].profile_id,
               "intensity": world.arrangements["ontw_midden"].intensity_id,
               "api_token": api_token.id, "answer": answer.record.id, "job": job.id,
               "conversation": conversation.id, "conversation_action": conversation_action.id}
    return {"objects": objects, "user_ids": {role: user.id for role, user in world.users.items()}}


@pytest.fixture
def objects(matrix_objects) -> dict[str, int]:
    return matrix_objects["objects"]


@pytest.fixture
def user_ids(matrix_objects) -> dict[str, int]:
    return matrix_objects["user_ids"]


def outcome(response) -> str:
    location = response.headers.get("Location", "")
    if response.status_code in (301, 302, 303) and location.startswith("/inloggen"):
        return "login"
    if response.status_code == 401 and "HX-Redirect" in response.headers:
        return "login"
    if response.status_code < 400:
        return "ok"
    return str(response.status_code)


def test_every_endpoint_has_an_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(MATRIX) == set(), "add the new endpoints to MATRIX"
    assert set(MATRIX) - endpoints == set(), "remove endpoints that no longer exist"


def test_every_method_has_an_entry(app):
    for rule in app.url_map.iter_rules():
        assert rule.methods - {"HEAD", "OPTIONS"} == set(MATRIX[rule.endpoint][1]), rule.endpoint


def request_as(app, user_ids, role, method, url):
    client = app.test_client()
    with undone():  # each request starts from the same objects
        if role != "anonymous":
            login_as(client, db.session.get(User, user_ids[role]))
        return outcome(client.open(url, method=method, data={}))


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_access(app, user_ids, objects, endpoint):
    url, expectations = MATRIX[endpoint]
    failures = [
        f"{method} {role}: expected {expected[role]}, got {got}"
        for method, expected in expectations.items()
        for role in ROLES
        if (got := request_as(app, user_ids, role, method, url(objects))) != expected[role]
    ]
    assert not failures, failures


@pytest.mark.parametrize("role", ["other_provider_staff", "other_access_staff",
                                  "other_reviewer"])
def test_another_organisations_objects_are_404(app, user_ids, objects, role):
    """Where the role may use the page, another organisation's object is a 404."""
    base = role.removeprefix("other_")
    failures, checked = [], 0
    for endpoint, (url, expectations) in MATRIX.items():
        path = url(objects)
        shared = endpoint in SHARED_IN_REGION or role in SHARED_WITH.get(endpoint, ())
        if shared or not any(f"/{value}" in path for value in objects.values()):
            continue
        for method, expected in expectations.items():
            if expected[base] != "ok":
                continue
            checked += 1
            if (got := request_as(app, user_ids, role, method, path)) != "404":
                failures.append(f"{method} {endpoint}: got {got}")
    assert not failures, failures
    assert checked, "the objects in MATRIX urls were not recognised"
