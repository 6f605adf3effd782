"""gunicorn with the production settings of gunicorn.conf.py, its workers' memory, and the job
worker beside it."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with exit code {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not listen on port {port} within {seconds} s")


@contextmanager
def gunicorn(app: str, port: int, log: Path, env: dict[str, str]):
    """Serves `app` on 127.0.0.1:port; yields the master's pid."""
    environment = {**os.environ, **env, "PORTAL_BIND": f"127.0.0.1:{port}",
                   "PYTHONPATH": str(ROOT)}
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), app],
            cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_for_port(port, process)
            yield process.pid
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)


@contextmanager
def job_worker(log: Path, env: dict[str, str]):
    """The Huey consumer beside the portal, as `make run` and a host start it (docs/jobs.md),
    on the same queue (the portal's JOBS_URL from `env`)."""
    consumer = Path(sys.executable).with_name("huey_consumer")
    with open(log, "w") as out:
        process = subprocess.Popen(
            [str(consumer), "portal.jobs.worker.huey", "--workers", "1"], cwd=ROOT,
            env={**os.environ, **env, "PYTHONPATH": str(ROOT)}, stdout=out,
            stderr=subprocess.STDOUT)
        try:
            yield process.pid
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)


def _stat_fields(stat: Path) -> list[str] | None:
    try:
        # The command may hold spaces: the fields after its closing parenthesis.
        return stat.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None  # the process ended while we looked


def workers_cpu_seconds(master_pid: int) -> float:
    """User and system CPU time the workers have used so far: those running, and those the
    master has reaped (recycled after max_requests), which the kernel adds to its children's
    times. Per request it hardly moves with what else the machine's cores do, unlike
    requests per second."""
    ticks = os.sysconf("SC_CLK_TCK")
    master = _stat_fields(Path(f"/proc/{master_pid}/stat"))
    total = int(master[13]) + int(master[14]) if master else 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat_fields(stat)
        if fields and fields[1] == str(master_pid):
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def worker_rss_mib(master_pid: int) -> list[float]:
    """Resident memory of each worker (the master's children), from /proc."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines()
                          if ":" in line)
        except OSError:
            continue  # the process ended while we looked
        if fields.get("PPid", "").strip() == str(master_pid) and "VmRSS" in fields:
            sizes.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
    return sorted(sizes)
