"""The services a drill breaks: a fresh database, a Redis of the drill's own, gunicorn under a
small supervisor, and the local PostgreSQL cluster."""

import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import psycopg

from bench.server import ROOT, _wait_for_port

# systemd's Restart=on-failure with RestartSec=1 (docs/deployment.md), in a loop.
RESTART_SECONDS = 1.0


def admin_connection(url: str):
    """Autocommit connection to the cluster's maintenance database."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    info.pop("dbname", None)
    return psycopg.connect(**info, dbname="postgres", autocommit=True)


def recreate(url: str, name: str) -> None:
    with admin_connection(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


@contextmanager
def redis_server(port: int, log: Path):
    """A Redis of the drill's own (no persistence), so the shared one on 6379 is left alone.

    Yields a function that kills it (SIGKILL) and one that starts it again."""
    state = {}

    def start():
        state["process"] = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=log.open("a"), stderr=subprocess.STDOUT)
        _wait_for_port(port, state["process"], 10)

    def kill():
        state["process"].kill()
        state["process"].wait(timeout=10)

    start()
    try:
        yield kill, start
    finally:
        if state["process"].poll() is None:
            kill()


class Supervisor:
    """Keeps gunicorn running: when its master exits, whatever the cause, the rest of its
    process group goes too (systemd's KillMode=control-group) and it starts again after
    RESTART_SECONDS, as systemd's Restart=on-failure does in production."""

    def __init__(self, port: int, log: Path, env: dict[str, str]):
        self.port, self.log = port, log
        self.env = {**os.environ, **env, "PORTAL_BIND": f"127.0.0.1:{port}",
                    "PYTHONPATH": str(ROOT)}
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self):
        self._start()
        _wait_for_port(self.port, self.process)
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self._stopping.set()
        self._thread.join(timeout=10)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=30)
        self._kill_group()

    @property
    def master_pid(self) -> int:
        return self.process.pid

    def workers(self) -> list[int]:
        """The master's children (its workers), from /proc."""
        pids = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            if f"\nPPid:\t{self.process.pid}\n" in text:
                pids.append(int(status.parent.name))
        return sorted(pids)

    def _start(self):
        self.started_at = time.monotonic()
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
                 "wsgi:app"], cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)

    def _kill_group(self):
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def _watch(self):
        while not self._stopping.is_set():
            if self.process.poll() is None:
                time.sleep(0.1)
                continue
            self._kill_group()
            time.sleep(RESTART_SECONDS)
            if not self._stopping.is_set():
                self.restarts += 1
                self._start()


def postgres_cluster() -> tuple[str, str]:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return version, "main"


def pg_ctl(action: str) -> None:
    version, cluster = postgres_cluster()
    # stop uses pg_ctlcluster's default "fast" mode: open transactions are rolled back.
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, action],
                   check=True, timeout=60, capture_output=True)


def postgres_accepts(url: str) -> bool:
    try:
        with admin_connection(url) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True
