"""One declaration per provider, municipality and month, and one open concept per month,
under races on PostgreSQL: staff start the month's declaration and credit approved lines at
once through the portal. Every request ends where it would have ended a moment later, in
the one concept of the month, never with a 500."""

import io
import re
import threading
import time
from collections import Counter
from datetime import date, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from portal.domain import declarations
from portal.domain.codes import COD043
from portal.domain.declarations import month_start, start_declaration, submit_declaration
from portal.domain.lists import DeclarationStatus, LineStatus
from portal.domain.review import approve_lines
from portal.domain.working_days import today_in_amsterdam
from portal.extensions import db
from portal.ijw import jw323
from portal.models import AuditEvent, Declaration, User
from tests.conftest import in_parallel, login_as
from tests.ijw.declared_month import (
    FEBRUARY,
    exported_february,
    month_taken_message,
    renumbered,
)
from tests.test_declaration_races import THREADS, pytestmark

__all__ = ["pytestmark"]
# Each mixed race as it comes, and with its window held open: a request that found the
# month free waits until the rival that found it free at the same moment has committed.
WINDOW = pytest.mark.parametrize("window", ["as it comes", "held open"])
PAUSE = 1.5  # seconds; the first request commits well within it


def hold_open(monkeypatch, module, name: str) -> None:
    """`module.name` reads whether the month is free (None: it is). Every caller but the
    first that finds it free pauses after that read, long enough for the first to commit
    before its next read. Each must still end as one after the first would have."""
    original, calls, counting = getattr(module, name), [], threading.Lock()

    def paused(*args):
        found = original(*args)
        with counting:
            calls.append(args)
            first = len(calls) == 1
        if found is None and not first:
            time.sleep(PAUSE)
        return found

    monkeypatch.setattr(module, name, paused)


def client_of(app, user_id: int):
    client = app.test_client()
    with app.app_context():
        login_as(client, db.session.get(User, user_id))
    return client


def approved_lines(world, period: date, today: date) -> list[int]:
    """A submitted declaration of the month whose start tranches are all approved."""
    staff = world.users["provider_staff"]
    declaration, _created = start_declaration(world.providers[0], world.municipalities[0],
                                              period, staff, today)
    submit_declaration(declaration, staff, today)
    approve_lines(declaration.lines, world.users["reviewer"])
    return [line.id for line in declaration.lines]


def last_months_approved_lines(world, today: date) -> list[int]:
    """Half as many approved start tranches of last month as there are threads."""
    for _ in range(THREADS // 2):
        world.trajectory("started")
    return approved_lines(world, month_start(month_start(today) - timedelta(days=1)), today)


def concepts() -> list[Declaration]:
    db.session.expire_all()
    return db.session.scalars(select(Declaration).where(
        Declaration.status == DeclarationStatus.CONCEPT)).all()


def events(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == action))


def created_events() -> int:
    return events("declaration.created")


def kinds(declaration: Declaration) -> Counter:
    return Counter((line.debit_credit, line.status) for line in declaration.lines)


def test_parallel_starts_of_one_month_open_one_concept(app, committed_world):
    world = committed_world
    world.trajectory("started")
    staff_id, municipality_id = world.users["provider_staff"].id, world.municipalities[0].id
    db.session.commit()

    def start(_n):
        response = client_of(app, staff_id).post(
            "/declaraties/nieuw", data={"municipality": municipality_id, "period": "2026-02"})
        return response.status_code, response.headers.get("Location")

    results = in_parallel(app, start)
    assert {status for status, _location in results} == {302}, results
    [concept] = concepts()
    assert {location for _status, location in results} == {f"/declaraties/{concept.id}"}
    assert len(concept.lines) == 1  # proposed once, by the winner
    assert created_events() == 1


def test_parallel_credits_meet_in_one_correction_concept(app, committed_world):
    """The month's declaration is submitted: every credit goes into the one correction
    declaration of the month, with its corrected debit, as one after the other."""
    world = committed_world
    for _ in range(THREADS):
        world.trajectory("started")
    today = today_in_amsterdam()
    line_ids = approved_lines(world, month_start(today), today)
    staff_id = world.users["provider_staff"].id
    db.session.commit()

    def credit(n):
        response = client_of(app, staff_id).post(f"/declaraties/regels/{line_ids[n]}/crediteren")
        return response.status_code, response.headers.get("Location")

    results = in_parallel(app, credit)
    assert {status for status, _location in results} == {302}, results
    [concept] = concepts()
    assert concept.is_correction and concept.period == month_start(today)
    assert {location for _status, location in results} == {f"/declaraties/{concept.id}"}
    assert kinds(concept) == {(COD043.DEBIT, LineStatus.CONCEPT): THREADS,
                              (COD043.CREDIT, LineStatus.CONCEPT): THREADS}
    assert created_events() == 2  # the month's declaration and its correction declaration


@WINDOW
def test_credits_and_new_declarations_of_one_month_meet_in_one_concept(app, committed_world,
                                                                      monkeypatch, window):
    """This month is not declared yet: credits of last month's lines and starts of this
    month's declaration at once all end in the month's one concept, also those that found
    no open concept while the first request was opening it."""
    world = committed_world
    today = today_in_amsterdam()
    line_ids = last_months_approved_lines(world, today)
    staff_id, municipality_id = world.users["provider_staff"].id, world.municipalities[0].id
    db.session.commit()
    if window == "held open":
        hold_open(monkeypatch, declarations, "open_concept")

    def credit_or_start(n):
        client = client_of(app, staff_id)
        if n % 2:
            response = client.post(f"/declaraties/regels/{line_ids[n // 2]}/crediteren")
        else:
            response = client.post("/declaraties/nieuw", data={
                "municipality": municipality_id, "period": today.strftime("%Y-%m")})
        return response.status_code, response.headers.get("Location")

    results = in_parallel(app, credit_or_start)
    assert {status for status, _location in results} == {302}, results
    [concept] = concepts()
    assert not concept.is_correction and concept.period == month_start(today)
    assert {location for _status, location in results} == {f"/declaraties/{concept.id}"}
    assert kinds(concept) == {(COD043.DEBIT, LineStatus.CONCEPT): THREADS // 2,
                              (COD043.CREDIT, LineStatus.CONCEPT): THREADS // 2}
    assert created_events() == 2


@WINDOW
def test_parallel_jw323_imports_of_one_month_store_one_declaration(app, committed_world,
                                                                   monkeypatch, window):
    """Six JW323 messages for February, each with a number of its own and the same lines,
    uploaded at once: one becomes the month's declaration; the others are refused as one
    after the other would be, with the message of the provider's form (not that their
    lines were declared), never a 500."""
    world = committed_world
    data, _allocations = exported_february(world)
    messages = [re.sub(rb"<ijw:Identificatie>\d+<", f"<ijw:Identificatie>{900 + n}<".encode(),
                       renumbered(data, f"ECD{n:06d}"), count=1) for n in range(THREADS)]
    staff_id = world.users["access_staff"].id
    db.session.commit()
    if window == "held open":
        hold_open(monkeypatch, jw323, "check_month_free")

    def upload(n):
        response = client_of(app, staff_id).post(
            "/toewijzingen/ijw", data={"file": (io.BytesIO(messages[n]), f"d{n}.xml")},
            content_type="multipart/form-data")
        return response.status_code, response.get_data(as_text=True)

    results = in_parallel(app, upload)
    assert sorted(status for status, _page in results) == [200] * (THREADS - 1) + [302]
    db.session.expire_all()
    [declaration] = db.session.scalars(select(Declaration)).all()
    assert (declaration.period, declaration.status) == (FEBRUARY, DeclarationStatus.SUBMITTED)
    taken = str(escape(month_taken_message(world)))
    assert all(taken in page for status, page in results if status == 200)
    assert (events("ijw.imported"), events("ijw.import_refused")) == (1, THREADS - 1)


def test_credits_joining_a_concept_while_it_is_submitted_are_never_left_behind(
        app, committed_world, monkeypatch):
    """This month's concept is submitted while credits of last month's lines join it. A
    credit that came before the submission is submitted with it; one that came after goes
    into the month's correction declaration: no concept line is left in a submitted
    declaration, and every request ends as one after the other would."""
    world = committed_world
    today = today_in_amsterdam()
    line_ids = last_months_approved_lines(world, today)
    world.trajectory("started")  # this month's concept holds its start tranche
    staff = world.users["provider_staff"]
    concept, _created = start_declaration(world.providers[0], world.municipalities[0],
                                          month_start(today), staff, today)
    staff_id, concept_id = staff.id, concept.id
    db.session.commit()
    checks = declarations.run_checks

    def slow_checks(*args):  # the submission reads its lines, then takes its time
        time.sleep(PAUSE)
        return checks(*args)

    monkeypatch.setattr(declarations, "run_checks", slow_checks)

    def submit_or_credit(n):
        client = client_of(app, staff_id)
        if n % 2:
            return client.post(f"/declaraties/regels/{line_ids[n // 2]}/crediteren").status_code
        return client.post(f"/declaraties/{concept_id}/indienen").status_code

    results = in_parallel(app, submit_or_credit)
    assert set(results) == {302}, results
    db.session.expire_all()
    submitted = db.session.get(Declaration, concept_id)
    assert submitted.status == DeclarationStatus.SUBMITTED
    assert {line.status for line in submitted.lines} == {LineStatus.SUBMITTED}
    credits = [line for declaration in db.session.scalars(select(Declaration))
               for line in declaration.lines if line.debit_credit == COD043.CREDIT]
    assert len(credits) == THREADS // 2
    for line in credits:  # submitted with the month, or waiting in its correction concept
        assert (line.declaration_id == concept_id) == (line.status == LineStatus.SUBMITTED)
        assert line.declaration.status == (DeclarationStatus.SUBMITTED
                                           if line.declaration_id == concept_id
                                           else DeclarationStatus.CONCEPT)
