"""Every process the drill starts, in one place, so that each is stopped whatever happens: a
failed check, an exception, Ctrl-C or a TERM."""

import os
import signal
import subprocess
import sys
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from bench.server import ROOT, _wait_for_port

GRACE_SECONDS = 40  # more than gunicorn's graceful_timeout (30 s)


class Processes:
    """Starts processes in sessions of their own; on exit each still running gets a TERM, then
    its whole process group a KILL (a gunicorn worker or Huey thread left behind included)."""

    def __init__(self):
        self._started: list[subprocess.Popen] = []

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        for process in reversed(self._started):
            stop(process)

    def start(self, command: list[str], log: Path, env: dict[str, str] | None = None,
              port: int | None = None) -> subprocess.Popen:
        """Starts `command` with its output in `log`; with `port`, waits until it listens."""
        with log.open("a") as out:
            process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})},
                                       stdout=out, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        self._started.append(process)
        if port is not None:
            _wait_for_port(port, process)
        return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=GRACE_SECONDS)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


@dataclass
class Host:
    """One "host": gunicorn with gunicorn.conf.py on a port of its own, and its Huey worker."""

    name: str
    port: int
    env: dict[str, str]
    logs: Path
    gunicorn: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def gunicorn_log(self) -> Path:
        return self.logs / f"multihost-{self.name}.log"

    @property
    def worker_log(self) -> Path:
        return self.logs / f"multihost-{self.name}-worker.log"

    def start(self, processes: Processes) -> None:
        env = {**self.env, "PORTAL_BIND": f"127.0.0.1:{self.port}", "PYTHONPATH": str(ROOT)}
        self.gunicorn = processes.start(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
             "wsgi:app"], self.gunicorn_log, env, port=self.port)

    def start_worker(self, processes: Processes) -> None:
        consumer = Path(sys.executable).with_name("huey_consumer")
        processes.start([str(consumer), "portal.jobs.worker.huey", "--workers", "1"],
                        self.worker_log, {**self.env, "PYTHONPATH": str(ROOT)})

    def stop(self) -> None:
        """A graceful stop: the master closes its socket, running requests finish."""
        stop(self.gunicorn)
