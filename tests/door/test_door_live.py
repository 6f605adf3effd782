"""The machine door end to end: a real HTTP client against the live test server."""

import json
import re
from datetime import date

import pytest
from lxml import etree
from sqlalchemy import func, select

from portal.extensions import db, limiter
from portal.ijw.parsing import schema_findings, xsd_dir
from portal.ijw.rules import stylesheet_findings
from portal.ijw.standard import KINDS
from portal.models import Allocation, ApiToken, AuditEvent, IjwMessage
from tests.factories import next_bsn
from tests.ijw.messages import jw301, product

pytestmark = pytest.mark.committed

JW302 = {"m": KINDS["JW302"].namespace}


def allocation_message(door, number: int, identification: str, **kwargs) -> bytes:
    return jw301(product(number, **kwargs), sender=door.codes["municipality"],
                 receiver=door.codes["provider"], bsn=next_bsn(),
                 identification=identification)


def in_live_db(door, query):
    with door.app.app_context():
        try:
            return db.session.scalar(query)
        finally:
            db.session.remove()


def answer(door, reply):
    """The answer message, checked against its XSD and the chain's stylesheet."""
    assert reply.headers["Content-Type"].startswith("application/xml")
    root = etree.fromstring(reply.body)
    with door.app.app_context():
        assert schema_findings(root, KINDS["JW302"], xsd_dir()) == []
        assert stylesheet_findings(root) == []
    return root


def codes(root, path: str) -> list[str]:
    return [code.text for code in root.findall(f"{path}/m:RetourCodes/m:RetourCode", JW302)]


def test_a_municipality_posts_a_jw301_and_gets_its_jw302(live_door):
    reply = live_door.post(allocation_message(live_door, 700001, "DOOR1"),
                           live_door.tokens["municipality"])
    assert reply.status == 200
    assert "Set-Cookie" not in reply.headers
    root = answer(live_door, reply)
    assert root.findtext("m:Header/m:IdentificatieRetour", namespaces=JW302)
    assert root.findtext("m:Header/m:BerichtIdentificatie/{*}Identificatie",
                         namespaces=JW302) == "DOOR1"
    assert codes(root, "m:Header") == []
    assert codes(root, "m:Client") == ["0200"]
    assert codes(root, "m:Client/m:ToegewezenProducten/m:ToegewezenProduct") == ["0200"]
    assert in_live_db(live_door, select(func.count()).where(Allocation.number == 700001)) == 1
    token = in_live_db(live_door, select(ApiToken).where(ApiToken.name == "Zaaksysteem"))
    assert token.last_used_at is not None
    event = in_live_db(live_door, select(AuditEvent).where(AuditEvent.action == "ijw.door")
                       .order_by(AuditEvent.id.desc()).limit(1))
    assert (event.object_id, event.after["status"], event.after["kind"],
            event.after["identification"]) == (token.id, 200, "JW301", "DOOR1")


def test_a_refused_allocation_is_answered_with_its_return_code(live_door):
    reply = live_door.post(allocation_message(live_door, 700002, "DOOR2", code="99X"),
                           live_door.tokens["municipality"])
    assert reply.status == 200  # processed: the answer refuses it
    root = answer(live_door, reply)
    assert codes(root, "m:Client/m:ToegewezenProducten/m:ToegewezenProduct") == ["S329"]
    assert codes(root, "m:Client") == ["0200"]
    assert in_live_db(live_door, select(func.count()).where(Allocation.number == 700002)) == 0
    assert in_live_db(live_door, select(func.count()).where(
        IjwMessage.identification == "DOOR2")) == 0


@pytest.mark.parametrize("token", [None, "rpj_guessed", "not-even-the-form"])
def test_without_a_valid_token_nothing_is_read(live_door, token):
    reply = live_door.post(allocation_message(live_door, 700003, "DOOR3"), token)
    assert reply.status == 401
    assert reply.headers["WWW-Authenticate"].startswith("Bearer")
    assert json.loads(reply.body)["error"] == "unauthorised"
    assert in_live_db(live_door, select(func.count()).where(Allocation.number == 700003)) == 0
    assert in_live_db(live_door, select(func.count()).where(
        AuditEvent.action == "ijw.door_refused")) >= 1


def test_a_session_cookie_is_no_key_and_none_is_set(live_door):
    reply = live_door.post(allocation_message(live_door, 700004, "DOOR4"), None,
                           headers={"Cookie": "session=anything"})
    assert reply.status == 401
    assert "Set-Cookie" not in reply.headers


def test_a_message_of_another_organisation_is_refused_before_it_is_read(live_door):
    # The provider's token with the municipality's JW301, and one that would fail its XSD.
    for body in (allocation_message(live_door, 700005, "DOOR5"),
                 allocation_message(live_door, 700005, "DOOR5").replace(b"2026", b"20x6")):
        reply = live_door.post(body, live_door.tokens["provider"])
        assert reply.status == 403
        assert json.loads(reply.body)["error"] == "sender"
    assert in_live_db(live_door, select(func.count()).where(Allocation.number == 700005)) == 0


def test_what_is_no_message_gets_a_4xx(live_door):
    token = live_door.tokens["municipality"]
    doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>'
    assert live_door.post(doctype, token).status == 400
    assert live_door.post(b"not xml", token).status == 400
    assert live_door.post(b"{}", token, content_type="application/json").status == 415
    too_large = live_door.post(b" " * (8 * 1024 * 1024 + 1), token)
    assert too_large.status == 413
    assert json.loads(too_large.body)["error"] == "too_large"


def test_a_revoked_token_no_longer_opens_the_door(live_door):
    from portal.domain.api_tokens import create_token, revoke_token
    from portal.models import Provider, User

    with live_door.app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "provider_admin@example.test"))
        provider = db.session.scalar(select(Provider).where(
            Provider.agb_code == live_door.codes["provider"]))
        api_token, token = create_token(provider, "Oud", admin)
        revoke_token(api_token, admin)
        db.session.commit()
        db.session.remove()
    assert live_door.post(b"<x/>", token).status == 401


def test_calls_are_rate_limited_per_token(live_door):
    live_door.app.config["DOOR_RATE_LIMIT"] = "2 per minute"
    try:
        limiter.reset()
        statuses = [live_door.post(b"not xml", live_door.tokens["provider"]).status
                    for _ in range(3)]
        # Another token has its own count.
        other = live_door.post(b"not xml", live_door.tokens["municipality"]).status
    finally:
        live_door.app.config["DOOR_RATE_LIMIT"] = "60 per minute"
        limiter.reset()
    assert statuses == [400, 400, 429]
    assert other == 400


def test_a_provider_posts_a_jw305_and_gets_its_jw306(live_door):
    from portal.domain.lists import TrajectoryStatus
    from portal.models import Trajectory
    from tests.ijw.test_care_import import care_message

    with live_door.app.app_context():
        message = care_message("JW305", db.session.get(Trajectory, live_door.trajectory_id),
                               date(2026, 2, 4))
        db.session.remove()
    reply = live_door.post(message, live_door.tokens["provider"])
    assert reply.status == 200
    root = etree.fromstring(reply.body)
    ns = {"m": KINDS["JW306"].namespace}
    assert [c.text for c in root.findall(".//m:StartProduct/m:RetourCodes/m:RetourCode",
                                         ns)] == ["0200"]
    trajectory = in_live_db(live_door, select(Trajectory).where(
        Trajectory.id == live_door.trajectory_id))
    assert (trajectory.status, trajectory.started_on) == (TrajectoryStatus.STARTED,
                                                          date(2026, 2, 4))


def test_a_provider_posts_a_jw323_and_a_refused_one_gets_its_jw325(live_door):
    token = live_door.tokens["provider"]
    accepted = live_door.post(live_door.declaration, token)
    assert accepted.status == 202  # the JW325 follows the review
    assert json.loads(accepted.body)["status"] == "accepted"
    again = re.sub(rb"<ijw:Identificatie>\d+<", b"<ijw:Identificatie>424242<",
                   live_door.declaration, count=1)
    refused = live_door.post(again, token)
    assert refused.status == 200
    root = etree.fromstring(refused.body)
    ns = {"m": KINDS["JW325"].namespace}
    assert [c.text for c in root.findall("m:DeclaratieAntwoord/m:RetourCodes/m:RetourCode",
                                         ns)] == ["9333"]
    with live_door.app.app_context():
        assert schema_findings(root, KINDS["JW325"], xsd_dir()) == []
        assert stylesheet_findings(root) == []
    # The municipality's token cannot post the provider's declaration.
    assert live_door.post(again, live_door.tokens["municipality"]).status == 403


def test_guessed_tokens_are_capped_per_address(live_door):
    live_door.app.config["DOOR_ADDRESS_RATE_LIMIT"] = "3 per minute"
    try:
        limiter.reset()
        statuses = [live_door.post(b"<x/>", f"rpj_guess{n}").status for n in range(4)]
    finally:
        live_door.app.config["DOOR_ADDRESS_RATE_LIMIT"] = "600 per minute"
        limiter.reset()
    assert statuses == [401, 401, 401, 429]
