"""Error pages that need no database: an outage answers a Dutch 503 with every security
header (pages, HTMX requests, /healthz with a session cookie), a transaction that collided
with another a Dutch 409, a failed statement still gets its error page, and numbers from the
query string never reach a query out of range."""

import logging
import threading

import psycopg
import pytest
from flask import request
from flask_login import current_user
from psycopg import errors as pg_errors
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from portal import create_app
from portal.extensions import db
from portal.models import User
from portal.web.auth.sessions import stamp
from tests.conftest import POSTGRES_URL, config_for, in_parallel, login_as

HX = {"HX-Request": "true"}
# Nothing listens on port 9 (discard) here: every connection is refused at once.
UNREACHABLE = "postgresql://postgres@127.0.0.1:9/portal"
UNAVAILABLE = "Het portaal is tijdelijk niet beschikbaar"


def assert_security_headers(response) -> None:
    """The headers every answer carries (tests/web/test_security_headers.py)."""
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "HX-Request" in response.headers["Vary"]


@pytest.fixture
def outage():
    """The portal with its database gone, and a browser holding a signed-in session."""
    app = create_app(config_for(UNREACHABLE))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:token"
        stamp(session, two_factor=True)
    yield client
    with app.app_context():
        db.engine.dispose()


@pytest.mark.committed  # no per-test transaction: there is no database to hold one
@pytest.mark.parametrize("url", ["/", "/trajecten", "/beoordelen?min_amount=1"])
def test_an_outage_answers_a_dutch_503_page_with_every_header(outage, url):
    response = outage.get(url)
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert UNAVAILABLE in body and "<html" in body and 'id="portal-notice"' in body
    assert response.headers["Retry-After"] and response.headers["Cache-Control"] == "no-store"
    assert_security_headers(response)


@pytest.mark.committed
def test_an_outage_answers_an_htmx_request_with_a_notice_for_the_page(outage):
    response = outage.get("/trajecten?tekst=x", headers=HX)
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert UNAVAILABLE in body and "<html" not in body and 'role="alert"' in body
    assert response.headers["HX-Retarget"] == "#portal-notice"
    assert response.headers["HX-Reswap"] == "innerHTML"
    assert_security_headers(response)
    posted = outage.post("/inloggen", data={"email": "a@example.test", "password": "x"},
                         headers=HX)
    assert posted.status_code == 503 and posted.headers["HX-Retarget"] == "#portal-notice"


@pytest.mark.committed
def test_healthz_answers_json_503_whatever_cookie_it_gets(outage):
    for client_cookie in (True, False):
        if not client_cookie:
            outage.delete_cookie("session", domain="portal.test")
        response = outage.get("/healthz")
        assert response.status_code == 503
        assert response.get_json() == {"status": "error", "database": "unavailable"}
        assert_security_headers(response)


def test_base_page_lets_htmx_swap_a_503_into_the_notice_area(client):
    html = client.get("/inloggen").get_data(as_text=True)
    assert '{"code": "503", "swap": true, "error": true}' in html
    assert 'id="portal-notice"' in html


def test_a_failed_statement_still_gets_the_error_page_for_the_signed_in_user(database_url,
                                                                           world):
    session_id = world.users["reviewer"].get_id()  # before create_app ends the session
    app = create_app(config_for(database_url) | {"PROPAGATE_EXCEPTIONS": False})

    @app.route("/kapot")
    def broken():  # the statement fails; on PostgreSQL the transaction is then aborted
        db.session.execute(text("INSERT INTO client (bsn) VALUES (NULL)"))
        return "unreachable"

    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        stamp(session, two_factor=True)
    response = client.get("/kapot")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Er ging iets mis" in body and "reviewer" in body  # the header names the user
    assert_security_headers(response)
    assert response.headers["Cache-Control"] == "no-store"


COLLIDED = "Iemand anders werkte tegelijk aan dezelfde gegevens; er is niets opgeslagen."
STATEMENT = "UPDATE client SET family_name = %(name)s WHERE bsn = %(bsn)s"


@pytest.fixture
def failing_app(database_url, world):
    """A portal whose /mislukt renames the signed-in reviewer and then fails with the
    driver error `?fout=` names, as PostgreSQL would at the UPDATE; and a client signed in
    as that reviewer."""
    raised = {"deadlock": pg_errors.DeadlockDetected("deadlock detected"),
              "serialization": pg_errors.SerializationFailure(
                  "could not serialize access due to concurrent update"),
              "shutdown": pg_errors.AdminShutdown("terminating connection"),
              "connection": psycopg.OperationalError("connection failed")}
    session_id = world.users["reviewer"].get_id()  # before create_app ends the session
    app = create_app(config_for(database_url))

    @app.route("/mislukt", methods=["GET", "POST"])
    def failing():
        current_user.name = "Half Gewijzigd"
        db.session.flush()
        raise OperationalError(STATEMENT, {"name": "X", "bsn": "111222333"},
                               raised[request.args["fout"]])

    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        stamp(session, two_factor=True)
    return client


@pytest.mark.parametrize(("failure", "sqlstate"), [("deadlock", "40P01"),
                                                  ("serialization", "40001")])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_collision_with_another_transaction_answers_a_dutch_409(failing_app, world, caplog,
                                                                 failure, sqlstate, method):
    """Not an outage: the work is rolled back (the header shows the reviewer's name as it
    was), the page says nothing was stored, logged as a warning without the statement."""
    name = world.users["reviewer"].name
    with caplog.at_level(logging.WARNING):
        response = getattr(failing_app, method)(f"/mislukt?fout={failure}")
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert COLLIDED in body and "<html" in body and 'id="portal-notice"' in body
    assert name in body and "Half Gewijzigd" not in body
    assert ("Opnieuw proberen" in body) == (method == "get")  # a form is sent again from it
    assert "Retry-After" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    assert_security_headers(response)
    db.session.expire_all()
    assert world.users["reviewer"].name == name
    [logged] = [r for r in caplog.records if "collided" in r.getMessage()]
    assert logged.levelno == logging.WARNING and f"SQLSTATE {sqlstate}" in logged.getMessage()
    assert "111222333" not in caplog.text and "UPDATE" not in caplog.text


def test_a_collision_answers_an_htmx_request_with_a_notice_for_the_page(failing_app):
    response = failing_app.post("/mislukt?fout=deadlock", headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert COLLIDED in body and "<html" not in body and 'role="alert"' in body
    assert response.headers["HX-Retarget"] == "#portal-notice"
    assert response.headers["HX-Reswap"] == "innerHTML"
    assert_security_headers(response)


@pytest.mark.parametrize("failure", ["shutdown", "connection"])
def test_a_broken_connection_is_still_an_outage(failing_app, failure):
    response = failing_app.get(f"/mislukt?fout={failure}")
    assert response.status_code == 503
    assert UNAVAILABLE in response.get_data(as_text=True)
    assert response.headers["Retry-After"]


@pytest.mark.committed
@pytest.mark.postgres_only
@pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL's deadlock detection")
def test_a_real_deadlock_answers_409_to_one_request_and_lets_the_other_finish(
        database_url, committed_world):
    """Two requests lock two rows in opposite order: PostgreSQL breaks the deadlock by
    aborting one transaction (40P01); that request gets the 409, the other its answer."""
    world = committed_world
    rows = [world.users["reviewer"].id, world.users["access_staff"].id]
    session_id = world.users["reviewer"].get_id()
    app = create_app(config_for(database_url))
    each_holds_one = threading.Barrier(2, timeout=10)

    @app.route("/vergrendel/<int:first>/<int:second>", methods=["POST"])
    def lock_two(first: int, second: int):
        for row in (first, second):
            db.session.execute(select(User.id).where(User.id == row).with_for_update())
            if row == first:
                each_holds_one.wait()
        db.session.commit()
        return "klaar"

    def post(n: int):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = session_id
            stamp(session, two_factor=True)
        first, second = rows if n == 0 else rows[::-1]
        response = client.post(f"/vergrendel/{first}/{second}")
        return response.status_code, response.get_data(as_text=True)

    try:
        results = sorted(in_parallel(app, post, count=2))
    finally:
        with app.app_context():
            db.engine.dispose()
    assert [status for status, _body in results] == [200, 409], results
    assert results[0][1] == "klaar" and COLLIDED in results[1][1]


def test_base_page_lets_htmx_swap_a_409_into_the_notice_area(client):
    html = client.get("/inloggen").get_data(as_text=True)
    assert '{"code": "409", "swap": true, "error": true}' in html


LISTS = {
    "reviewer": ["/beoordelen", "/trajecten", "/metingen", "/beoordelen/betaalbestanden"],
    "provider_staff": ["/declaraties", "/trajecten", "/verzoeken", "/metingen"],
    "access_staff": ["/verzoeken", "/trajecten"],
    "administrator": ["/beheer", "/beheer/toegangslog"],
}
HUGE = "9" * 30


@pytest.mark.parametrize("role", sorted(LISTS))
@pytest.mark.parametrize("value", [HUGE, "-1", "²", "١٢", "0x10", "1e9", "2147483648"])
def test_cursors_beyond_ids_are_ignored_on_every_list(client, world, role, value):
    login_as(client, world.users[role])
    for url in LISTS[role]:
        for name in ("na", "na_toewijzing", "na_wijziging"):
            response = client.get(url, query_string={name: value})
            assert response.status_code == 200, (url, name, value)


@pytest.mark.parametrize("sort", ["termijn", "bedrag_hoog", "bedrag_laag", "nieuwste"])
def test_queue_cursors_out_of_range_are_ignored(client, world, sort):
    login_as(client, world.users["reviewer"])
    for cursor in (f"{HUGE}_{HUGE}", f"1_{HUGE}", f"{HUGE}_1", "2026-01-01_²", "_"):
        response = client.get("/beoordelen", query_string={"sorteer": sort, "sort": sort,
                                                           "na": cursor})
        assert response.status_code == 200, cursor


def test_an_amount_filter_beyond_any_amount_is_ignored_with_a_message(client, world):
    login_as(client, world.users["reviewer"])
    response = client.get("/beoordelen", query_string={"min_amount": "9" * 20})
    assert response.status_code == 200
    assert "Vul een bedrag in van ten hoogste € 21.474.836,47." in response.get_data(
        as_text=True)
    fragment = client.get("/beoordelen", query_string={"max_amount": "-" + "9" * 20},
                          headers=HX)
    assert fragment.status_code == 200


def test_ids_in_the_path_beyond_any_key_are_not_found(client, world):
    login_as(client, world.users["reviewer"])
    for url in (f"/trajecten/{HUGE}", "/trajecten/2147483648", f"/beoordelen/regels/{HUGE}"):
        assert client.get(url).status_code == 404, url


def test_a_nul_byte_in_the_query_string_is_refused(client, world):
    login_as(client, world.users["administrator"])
    response = client.get("/beheer", query_string={"na": "a\x00b"})
    assert response.status_code == 400
    assert "Het verzoek is niet geldig" in response.get_data(as_text=True)


@pytest.mark.parametrize("role, url", [("access_staff", "/trajecten"),
                                       ("provider_staff", "/trajecten/inbox"),
                                       ("reviewer", "/beoordelen"), ("reviewer", "/metingen")])
def test_a_blank_choice_in_the_query_string_is_no_choice(client, world, role, url):
    login_as(client, world.users[role])
    for name in ("status", "sort", "moment"):
        assert client.get(url, query_string={name: " "}).status_code == 200, name


@pytest.mark.committed  # its own app: the request's app context ends with the request
def test_a_connection_that_dies_at_the_end_of_a_request_keeps_its_answer(database_url,
                                                                        monkeypatch):
    """PostgreSQL stopped just after the page was made: closing the session fails, and the
    user still gets the page (make faults saw gunicorn turn it into a bare 500)."""
    app = create_app(config_for(database_url))

    @app.route("/even")
    def page():
        db.session.execute(text("SELECT 1"))
        return "klaar"

    def dead(*_args):
        raise OperationalError("ROLLBACK", {}, Exception("terminating connection"))

    monkeypatch.setattr(db.session, "remove", dead)
    response = app.test_client().get("/even")
    monkeypatch.undo()
    assert response.status_code == 200 and response.get_data(as_text=True) == "klaar"
    with app.app_context():
        db.engine.dispose()
