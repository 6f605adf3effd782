"""What an import found and did: findings that point into the file, and the counts."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l

from portal.formatting import format_datetime


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a message: a Dutch message, where it is (line and element path),
    the iJw code that applies, e.g. 'WJ001 S300' or 'WJ759 6', and the iJw rule it breaks
    where one does (e.g. 'TR358')."""

    message: str
    line: int | None = None
    path: str | None = None
    code: str | None = None
    rule: str | None = None


@dataclass
class Outcome:
    """What an importer did with a message; anything in `findings` means nothing is kept."""

    created: int = 0
    changed: int = 0
    unchanged: int = 0
    findings: list[Finding] = field(default_factory=list)
    declaration_id: int | None = None  # the declaration a JW323 became


@dataclass
class ImportReport:
    source: str  # the file name
    kind: str | None = None
    identification: str | None = None
    findings: list[Finding] = field(default_factory=list)
    # What the portal accepted although the standard asks otherwise (OP192).
    warnings: list[Finding] = field(default_factory=list)
    outcome: Outcome | None = None
    # Set when exactly this message was imported before: nothing was done again.
    imported_before: datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        """One Dutch line on what happened to the file."""
        name = " ".join(part for part in (self.kind, self.identification) if part) or "–"
        if self.findings:
            return str(_l("%(source)s (%(name)s): geweigerd, %(count)s fout(en); er is niets "
                          "ingelezen.", source=self.source, name=name,
                          count=len(self.findings)))
        if self.imported_before:
            return str(_l("%(source)s (%(name)s): dit bericht is al ingelezen op %(when)s; er "
                          "is niets gewijzigd.", source=self.source, name=name,
                          when=format_datetime(self.imported_before)))
        outcome = self.outcome
        if outcome is None:  # every import that was not refused records its outcome
            raise ValueError(f"import report of {self.source} has no outcome")
        if self.kind == "JW323":
            return str(_l("%(source)s (%(name)s): ingelezen; een ingediende declaratie met "
                          "%(created)s regel(s).", source=self.source, name=name,
                          created=outcome.created))
        if self.kind in ("JW302", "JW306", "JW308", "JW316", "JW318", "JW320", "JW325"):
            return str(_l("%(source)s (%(name)s): ingelezen; %(changed)s weigering(en) van de "
                          "ontvanger genoteerd.", source=self.source, name=name,
                          changed=outcome.changed))
        if self.kind in ("JW305", "JW307"):
            return str(_l("%(source)s (%(name)s): ingelezen; %(changed)s start(s) of einde(n) "
                          "van zorg verwerkt, %(unchanged)s al bekend.", source=self.source,
                          name=name, changed=outcome.changed, unchanged=outcome.unchanged))
        return str(_l("%(source)s (%(name)s): ingelezen; %(created)s nieuwe, %(changed)s "
                      "gewijzigde en %(unchanged)s ongewijzigde toewijzing(en).",
                      source=self.source, name=name, created=outcome.created,
                      changed=outcome.changed, unchanged=outcome.unchanged))
