"""Background jobs: work that runs beside the request (portal/jobs) and what came of it."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.codes import CodeList
from portal.extensions import Model
from portal.models.types import CodeColumn, UTCDateTime, utcnow
from portal.models.users import User


class JobKind(CodeList):
    CONTRACT_STATEMENT = "contract_statement", _l("Contractoverzicht")
    ALLOCATION_IMPORT = "allocation_import", _l("Import van toewijzingen")
    IJW_IMPORT = "ijw_import", _l("Inlezen van een iJw-bericht")
    PAYMENT_EXPORT = "payment_export", _l("Betaalbestand")


class JobStatus(CodeList):
    QUEUED = "queued", _l("In de wachtrij")
    RUNNING = "running", _l("Bezig")
    DONE = "done", _l("Klaar")
    FAILED = "failed", _l("Mislukt")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(Model):
    """One piece of work for an organisation, from the moment it is asked for.

    `organisation` is the creator's organisation as `provider:3`, `municipality:5` or
    `region:1`: the job is visible to that organisation only. While a job is queued or
    running, a second one with the same input fingerprint for the same organisation is
    refused by the partial unique index, and the first one is reused."""

    __table_args__ = (
        Index("uq_job_active_fingerprint", "organisation", "fingerprint", unique=True,
              sqlite_where=text("status IN ('queued', 'running')"),
              postgresql_where=text("status IN ('queued', 'running')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[JobKind] = mapped_column(CodeColumn(JobKind, 30))
    organisation: Mapped[str] = mapped_column(String(40), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[JobStatus] = mapped_column(CodeColumn(JobStatus), default=JobStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)  # 0-100
    # What the job works on: ids and dates (`params`), an uploaded file (`input`).
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    input: Mapped[bytes | None] = mapped_column(LargeBinary)
    # SHA-256 of the kind, the params and the input.
    fingerprint: Mapped[str] = mapped_column(String(64))
    # The result: a reference (`statement:12`, `payment_export:4`), a summary for the result
    # page, and a file to download (a statement's PDF).
    result_ref: Mapped[str | None] = mapped_column(String(60))
    result: Mapped[dict | None] = mapped_column(JSON)
    output: Mapped[bytes | None] = mapped_column(LargeBinary)
    output_name: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(String(2000))  # Dutch, for the user
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Moves with every progress step: a running job that stops moving was lost with its worker.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    created_by: Mapped[User] = relationship()

    @property
    def finished(self) -> bool:
        return self.status not in ACTIVE
