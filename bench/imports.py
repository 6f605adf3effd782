"""The CSV import of allocations at scale: the domain function and the web form, the same
file; and a file with one bad last row, which must import nothing."""

import re
import time
import uuid
from dataclasses import dataclass
from datetime import date

from flask import Flask
from sqlalchemy import func, select

from bench.national_rows import DEMO_FIRST_BSN, test_bsns
from bench.sessions import Browser
from portal.domain.allocation_import import COLUMNS, import_allocations
from portal.extensions import db
from portal.models import Client, Contract, Job, Trajectory, User
from portal.models.jobs import ACTIVE, JobStatus

FIRST_BSN = 500_000_000  # far beyond the bench data set's children


@dataclass(frozen=True)
class ImportTiming:
    rows: int
    seconds: float
    outcome: str

    @property
    def rows_per_second(self) -> float:
        return round(self.rows / self.seconds, 1)


def allocations_csv(rows: int, broken_last_row: bool = False) -> bytes:
    """`rows` allocations to the region's providers, each arrangement one they contracted."""
    offers = [(c.provider.agb_code, a.product_category.value, a.product_code)
              for c in db.session.scalars(select(Contract).order_by(Contract.id))
              for a in c.arrangements]
    # Children new to the database, also when an earlier run imported the same file.
    highest = db.session.scalar(select(func.max(Client.bsn)).where(
        Client.bsn < str(DEMO_FIRST_BSN)))
    bsns = test_bsns(max(FIRST_BSN, int(highest or 0) + 1))
    lines = [";".join(COLUMNS)]
    for n in range(rows):
        agb, category, code = offers[n % len(offers)]
        lines.append(f"{next(bsns)};17-05-2014;Sam;de Vries;{agb};{category};{code};"
                     f"01-{1 + n % 12:02d}-2026;31-12-2026")
    if broken_last_row:
        lines[-1] = lines[-1].replace("31-12-2026", "31-02-2026")
    return "\n".join(lines).encode()


def import_through_domain(app: Flask, email: str, data: bytes, rows: int) -> ImportTiming:
    """import_allocations as the web form calls it, then rolled back: the database stays."""
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.email == email))
        began = time.perf_counter()
        result = import_allocations(data, actor.municipality, actor)
        seconds = time.perf_counter() - began
        outcome = (f"{len(result.errors)} rows refused, nothing stored" if result.errors
                   else f"{len(result.created)} allocations")
        db.session.rollback()
    return ImportTiming(rows, round(seconds, 2), outcome)


def trajectory_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Trajectory))


def import_through_form(browser: Browser, data: bytes, rows: int,
                        app: Flask | None = None) -> ImportTiming:
    """Posts the file to /toewijzingen/importeren, as access staff would. A large file goes
    to a job (docs/jobs.md): with `app` (and a job worker beside the portal) timed until the
    job has finished, as the user waits for it on the job's page; without, until queued."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
            f"__CSRF__\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"toewijzingen-{date.today()}.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    began = time.perf_counter()
    url, _page = browser.post_form("/toewijzingen/importeren", {}, body,
                                   f"multipart/form-data; boundary={boundary}")
    job = re.search(r"/taken/(\d+)$", url)
    if job is not None:
        outcome = _finished(app, int(job.group(1))) if app else f"queued as job {job.group(1)}"
    else:
        outcome = "imported" if url.endswith("/trajecten") else "refused"
    return ImportTiming(rows, round(time.perf_counter() - began, 2), outcome)


def _finished(app: Flask, job_id: int, timeout: float = 600) -> str:
    """Wait for the job (run by the worker beside the portal) and say how it ended."""
    deadline = time.monotonic() + timeout
    with app.app_context():
        while time.monotonic() < deadline:
            job = db.session.get_one(Job, job_id)
            if job.status not in ACTIVE:
                return "imported" if job.status == JobStatus.DONE else f"failed: {job.error}"
            db.session.rollback()
            time.sleep(0.2)
    raise RuntimeError(f"the import job {job_id} did not finish within {timeout} s")
