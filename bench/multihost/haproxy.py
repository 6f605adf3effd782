"""HAProxy in front of the hosts: its configuration (docs/deployment.md says why each line)
and its runtime API, through which a host is drained before a restart."""

import csv
import io
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

BACKEND = "portal"


@dataclass(frozen=True)
class Server:
    name: str
    port: int


def config(port: int, servers: list[Server], admin_socket: Path, per_server: int) -> str:
    """`per_server`: requests one host serves at once (its gunicorn workers x threads); HAProxy
    queues the rest, so a drained host has at most that many requests to finish."""
    lines = [
        "global",
        f"    stats socket {admin_socket} mode 600 level admin",
        "    maxconn 1024",
        "",
        "defaults",
        "    mode http",
        "    option forwardfor",
        "    option redispatch",
        "    retries 2",
        "    timeout connect 2s",
        "    timeout client 30s",
        "    timeout http-request 10s",
        "    timeout queue 30s",
        "    timeout server 65s",
        "    timeout check 5s",
        "",
        "frontend web",
        f"    bind 127.0.0.1:{port}",
        f"    default_backend {BACKEND}",
        "",
        f"backend {BACKEND}",
        "    balance roundrobin",
        "    option httpchk GET /healthz",
        "    http-check expect status 200",
        f"    default-server check inter 1s fastinter 250ms downinter 500ms rise 2 fall 3 "
        f"maxconn {per_server}",
    ]
    lines += [f"    server {server.name} 127.0.0.1:{server.port}" for server in servers]
    return "\n".join(lines) + "\n"


def check(path: Path) -> None:
    """`haproxy -c`: raises with HAProxy's own words when it would not start."""
    checked = subprocess.run(["haproxy", "-c", "-f", str(path)], capture_output=True,
                             text=True, timeout=30)
    if checked.returncode != 0:
        raise RuntimeError(f"HAProxy refuses {path}: {checked.stdout}{checked.stderr}")


class RuntimeApi:
    """HAProxy's stats socket: one command per connection."""

    def __init__(self, path: Path):
        self.path = path

    def command(self, text: str) -> str:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(5)
            connection.connect(str(self.path))
            connection.sendall(text.encode() + b"\n")
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def set_state(self, server: str, state: str) -> None:
        """`ready`, `drain` (no new requests, health checks go on) or `maint`."""
        answer = self.command(f"set server {BACKEND}/{server} state {state}").strip()
        if answer:
            raise RuntimeError(f"HAProxy refused 'state {state}' for {server}: {answer}")

    def servers(self) -> dict[str, dict]:
        """Per server: status (UP, DOWN, DRAIN, MAINT ...), requests in progress and queued,
        and the sessions it has served in all."""
        text = self.command("show stat").removeprefix("# ")
        servers = {}
        for row in csv.DictReader(io.StringIO(text)):
            if row["pxname"] == BACKEND and row["svname"] not in ("FRONTEND", "BACKEND"):
                servers[row["svname"]] = {"status": row["status"], "active": int(row["scur"]),
                                          "queued": int(row["qcur"]),
                                          "served": int(row["stot"])}
        return servers
