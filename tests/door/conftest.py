"""The machine door against a live portal: served in a thread on a free port of 127.0.0.1
with its own SQLite file, called with a real HTTP client (urllib)."""

import threading
import urllib.error
import urllib.request
from dataclasses import dataclass

import flask_migrate
import pytest
from werkzeug.serving import make_server

from portal import create_app
from portal.domain.api_tokens import create_token
from portal.extensions import db
from tests.conftest import config_for


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes


@dataclass
class LiveDoor:
    url: str
    app: object
    tokens: dict  # "municipality", "provider", "other_provider" -> the token itself
    codes: dict  # "municipality" CBS code, "provider" / "other_provider" AGB codes
    trajectory_id: int  # an allocated trajectory of the provider
    declaration: bytes  # a JW323 of the provider that reads in

    def post(self, body: bytes, token: str | None = None, *,
             content_type: str = "application/xml", headers: dict | None = None) -> Reply:
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            self.url + "/api/ijw/berichten", data=body, method="POST")
        request.add_header("Content-Type", content_type)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  # nosec B310
                return Reply(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, dict(error.headers), error.read())


@pytest.fixture(scope="module")
def live_door(tmp_path_factory):
    from portal.domain.declarations import delete_concept
    from portal.ijw import jw323
    from portal.ijw.exporting import export
    from tests.declaring import declare
    from tests.factories import build_world

    path = tmp_path_factory.mktemp("door") / "portal.sqlite"
    app = create_app(config_for(f"sqlite:///{path}"))
    app.config.update(SERVER_NAME=None, WTF_CSRF_ENABLED=True)
    with app.app_context():
        flask_migrate.upgrade()
        world = build_world()
        tokens = {
            "municipality": create_token(world.municipalities[0], "Zaaksysteem",
                                         world.users["administrator"])[1],
            "provider": create_token(world.providers[0], "ECD",
                                     world.users["provider_admin"])[1],
        }
        trajectory = world.trajectory()  # allocated: its care starts through the door
        world.trajectory("started")  # a start tranche in February, declared by the JW323
        concept = declare(world)
        declaration = export(jw323.EXPORTER, concept, world.users["provider_staff"]).content
        delete_concept(concept, world.users["provider_staff"])
        db.session.commit()
        trajectory_id = trajectory.id
        codes = {"municipality": world.municipalities[0].cbs_code,
                 "provider": world.providers[0].agb_code,
                 "other_provider": world.providers[1].agb_code}
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveDoor(f"http://127.0.0.1:{server.server_port}", app, tokens, codes,
                   trajectory_id, declaration)
    server.shutdown()
    with app.app_context():
        db.engine.dispose()
