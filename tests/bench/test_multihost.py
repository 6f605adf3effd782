"""The two-host drill's pure parts: HAProxy's configuration and reading its runtime API."""

import shutil
import socketserver
import threading

import pytest

from bench.multihost.haproxy import RuntimeApi, Server, check, config

SERVERS = [Server("host1", 8131), Server("host2", 8132)]


def test_config_balances_both_hosts_and_checks_their_health(tmp_path):
    text = config(8130, SERVERS, tmp_path / "admin.sock", per_server=2)
    lines = [line.strip() for line in text.splitlines()]
    assert "bind 127.0.0.1:8130" in lines
    assert "balance roundrobin" in lines
    assert "option httpchk GET /healthz" in lines
    assert "http-check expect status 200" in lines
    assert "server host1 127.0.0.1:8131" in lines and "server host2 127.0.0.1:8132" in lines
    defaults = next(line for line in lines if line.startswith("default-server"))
    assert "check" in defaults.split() and "maxconn 2" in defaults
    assert f"stats socket {tmp_path / 'admin.sock'} mode 600 level admin" in lines


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="HAProxy is not installed")
def test_haproxy_accepts_the_config(tmp_path):
    path = tmp_path / "haproxy.cfg"
    path.write_text(config(8130, SERVERS, tmp_path / "admin.sock", per_server=2))
    check(path)  # raises with HAProxy's complaint
    path.write_text(path.read_text().replace("balance roundrobin", "balance no-such-way"))
    with pytest.raises(RuntimeError, match="balance only supports"):
        check(path)


SHOW_STAT = (
    "# pxname,svname,qcur,qmax,scur,smax,slim,stot,status\n"
    "web,FRONTEND,,,3,5,1024,120,OPEN\n"
    "portal,host1,0,0,2,2,2,70,UP\n"
    "portal,host2,1,4,0,2,2,50,MAINT\n"
    "portal,BACKEND,1,4,2,4,103,120,UP\n\n")


class _FakeHaproxy(socketserver.StreamRequestHandler):
    def handle(self):
        command = self.rfile.readline().decode().strip()
        self.server.commands.append(command)
        answer = SHOW_STAT if command == "show stat" else self.server.answers.get(command, "")
        self.wfile.write(answer.encode())


@pytest.fixture
def fake_api(tmp_path):
    path = tmp_path / "admin.sock"
    server = socketserver.UnixStreamServer(str(path), _FakeHaproxy)
    server.commands, server.answers = [], {
        "set server portal/host9 state ready": "No such server.\n"}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield RuntimeApi(path), server
    server.shutdown()
    server.server_close()


def test_servers_are_read_from_show_stat(fake_api):
    api, _server = fake_api
    assert api.servers() == {
        "host1": {"status": "UP", "active": 2, "queued": 0, "served": 70},
        "host2": {"status": "MAINT", "active": 0, "queued": 1, "served": 50}}


def test_a_state_change_is_sent_and_a_refusal_raised(fake_api):
    api, server = fake_api
    api.set_state("host1", "maint")
    assert server.commands == ["set server portal/host1 state maint"]
    with pytest.raises(RuntimeError, match="No such server"):
        api.set_state("host9", "ready")
