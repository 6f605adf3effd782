"""What an import found and did: findings that point into the file, and the counts."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a message: a Dutch message, where it is (line and element path)
    and the iJw code that applies, e.g. 'WJ001 S300' or 'WJ759 6'."""

    message: str
    line: int | None = None
    path: str | None = None
    code: str | None = None


@dataclass
class Outcome:
    """What an importer did with a message; anything in `findings` means nothing is kept."""

    created: int = 0
    changed: int = 0
    unchanged: int = 0
    findings: list[Finding] = field(default_factory=list)


@dataclass
class ImportReport:
    source: str  # the file name
    kind: str | None = None
    identification: str | None = None
    findings: list[Finding] = field(default_factory=list)
    outcome: Outcome | None = None
    # Set when exactly this message was imported before: nothing was done again.
    imported_before: datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.findings
