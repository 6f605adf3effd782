"""The rules every declaration line must meet, each with its WJ001 return code (domain.md 6).

Each rule is a small named function registered with its code. It looks at one line and a
`CheckContext` that holds everything the rules need for a batch of lines, loaded in a fixed
number of queries, so checking a page of lines costs the same whatever its length.
The rules run when the provider submits and again when the municipality reviews. They never
look at start or stop registrations: those never block payment of a valid declaration.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

from portal.domain.codes import COD043, JZ002, WJ001
from portal.domain.lists import LineStatus, Tranche
from portal.domain.tranches import (
    PaymentScheme,
    allocation_end,
    end_amount,
    start_tranche_cents,
)
from portal.extensions import db
from portal.formatting import format_cents, format_date
from portal.models import Allocation, Declaration, DeclarationLine

# A line claims its amount once the provider submitted it, and keeps it once approved.
DECLARED = (LineStatus.SUBMITTED, LineStatus.APPROVED)


class Stage(Enum):
    """When the rules run: proposing or submitting (provider), or reviewing (municipality)."""

    SUBMIT = "submit"
    REVIEW = "review"


@dataclass(frozen=True)
class Finding:
    code: WJ001
    explanation: str


# Lines ------------------------------------------------------------------------------------


class LineIndex:
    """Declaration lines by tranche of an allocation and by reference."""

    def __init__(self, lines: Iterable[DeclarationLine]):
        self.by_tranche: dict[tuple[int, Tranche], list[DeclarationLine]] = defaultdict(list)
        self.by_allocation: dict[int, list[DeclarationLine]] = defaultdict(list)
        self.by_reference: dict[tuple[int, str], list[DeclarationLine]] = defaultdict(list)
        for line in sorted(set(lines), key=lambda x: x.id):
            self.by_tranche[line.allocation_id, line.tranche].append(line)
            self.by_allocation[line.allocation_id].append(line)
            self.by_reference[line.provider_id, line.reference].append(line)

    @classmethod
    def load(cls, allocation_ids: set[int], references: set[tuple[int, str]]) -> "LineIndex":
        if not allocation_ids and not references:
            return cls([])
        lines = db.session.scalars(
            select(DeclarationLine)
            .options(joinedload(DeclarationLine.declaration))
            # The provider beside the reference, so both halves use an index.
            .where(or_(DeclarationLine.allocation_id.in_(allocation_ids),
                       and_(DeclarationLine.provider_id.in_({p for p, _ref in references}),
                            DeclarationLine.reference.in_({ref for _p, ref in references}))))
        ).all()
        return cls(line for line in lines if line.allocation_id in allocation_ids
                   or (line.provider_id, line.reference) in references)

    def same_reference(self, line: DeclarationLine, kind: COD043) -> list[DeclarationLine]:
        return [other for other in self.by_reference[line.provider_id, line.reference]
                if other.debit_credit == kind and other.id != line.id]


def credit_counts(credit: DeclarationLine, declaration_id: int, stage: Stage,
                  approving: frozenset[int] = frozenset()) -> bool:
    """Whether a credit cancels its debit: on review once approved (or approved in the same
    decision, `approving`); before, once submitted or when it travels in the same
    declaration."""
    if stage == Stage.REVIEW:
        return credit.status == LineStatus.APPROVED or credit.id in approving
    return credit.status in (LineStatus.SUBMITTED, LineStatus.APPROVED) or (
        credit.status == LineStatus.CONCEPT and credit.declaration_id == declaration_id)


def tranche_holder(index: LineIndex, allocation_id: int, tranche: Tranche, declaration_id: int,
                   stage: Stage, exclude: int | None = None,
                   approving: frozenset[int] = frozenset()) -> DeclarationLine | None:
    """The debit line that already claims this tranche: one under way, or an approved one
    that no credit cancels. A rejected line claims nothing."""
    for debit in index.by_tranche[allocation_id, tranche]:
        if debit.id == exclude or debit.debit_credit != COD043.DEBIT:
            continue
        if debit.status == LineStatus.APPROVED:
            credits = index.same_reference(debit, COD043.CREDIT)
            if not any(credit_counts(c, declaration_id, stage, approving) for c in credits):
                return debit
        elif debit.status == LineStatus.SUBMITTED or (
                debit.status == LineStatus.CONCEPT and stage == Stage.SUBMIT):
            return debit
    return None


def declared_start_cents(index: LineIndex, allocation_id: int) -> int | None:
    """The start tranche declared for the allocation: the latest submitted or approved debit
    that no submitted or approved credit cancels; None while there is none."""
    live = [debit for debit in index.by_tranche[allocation_id, Tranche.START]
            if debit.debit_credit == COD043.DEBIT and debit.status in DECLARED
            and not any(credit.status in DECLARED
                        for credit in index.same_reference(debit, COD043.CREDIT))]
    return live[-1].amount_cents if live else None


# Context ----------------------------------------------------------------------------------


@dataclass
class CheckContext:
    stage: Stage
    index: LineIndex
    duplicate_numbers: set[tuple[int, str]] = field(default_factory=set)
    # Credits approved in the same decision as the lines checked (a bulk approval).
    approving: frozenset[int] = frozenset()

    @classmethod
    def load(cls, lines: list[DeclarationLine], stage: Stage,
             approving: frozenset[int] = frozenset()) -> "CheckContext":
        if not lines:
            return cls(stage, LineIndex([]))
        allocation_ids = {line.allocation_id for line in lines}
        # Loaded once into the session with what the rules read of them.
        db.session.scalars(
            select(Allocation)
            .options(joinedload(Allocation.trajectory), joinedload(Allocation.arrangement),
                     joinedload(Allocation.tariff), joinedload(Allocation.scheme_version))
            .where(Allocation.id.in_(allocation_ids))).all()
        index = LineIndex.load(allocation_ids, {(ln.provider_id, ln.reference) for ln in lines})
        numbers = {(line.declaration.provider_id, line.declaration.number) for line in lines}
        duplicates = db.session.execute(
            select(Declaration.provider_id, Declaration.number)
            .where(Declaration.provider_id.in_({p for p, _n in numbers}),
                   Declaration.number.in_({n for _p, n in numbers}))
            .group_by(Declaration.provider_id, Declaration.number)
            .having(func.count() > 1)).all()
        return cls(stage, index, {(p, n) for p, n in duplicates}, approving)

    def expected_amount(self, line: DeclarationLine) -> int:
        """The debit's amount as the tariff version and payment scheme version the allocation
        keeps make it. The end of the allocation sets the end tranche, the declared start
        tranche its rest; the start registration plays no part."""
        allocation = line.allocation
        scheme, tariff = PaymentScheme.of_allocation(allocation), allocation.tariff.amount_cents
        if line.tranche == Tranche.START:
            return start_tranche_cents(tariff, scheme)
        end = allocation_end(allocation, allocation.trajectory)
        if end is None:  # nothing to compare with: a registration never blocks payment
            return line.amount_cents
        return end_amount(allocation, end, scheme, tariff,
                          declared_start_cents(self.index, allocation.id))


# The rules --------------------------------------------------------------------------------

Rule = Callable[[DeclarationLine, CheckContext], str | None]


@dataclass(frozen=True)
class Check:
    code: WJ001
    rule: Rule

    @property
    def name(self) -> str:
        return self.rule.__name__


LINE_CHECKS: list[Check] = []


def check(code: WJ001):
    """Register a rule: it returns a Dutch explanation when the line breaks it, else None."""

    def register(rule: Rule) -> Rule:
        LINE_CHECKS.append(Check(code, rule))
        return rule

    return register


@check(WJ001.TARIFF_DIFFERS)
def amount_follows_contract_tariff(line, ctx):
    if line.debit_credit == COD043.CREDIT:
        debits = ctx.index.same_reference(line, COD043.DEBIT)
        expected = debits[0].amount_cents if debits else line.amount_cents
    else:
        expected = ctx.expected_amount(line)
    if line.amount_cents != expected:
        return _l("Het bedrag %(amount)s wijkt af van %(expected)s volgens het contracttarief "
                  "en het betaalschema.", amount=format_cents(line.amount_cents),
                  expected=format_cents(expected))
    return None


@check(WJ001.REFERENCE_ALREADY_SUBMITTED)
def reference_used_once(line, ctx):
    if line.debit_credit == COD043.DEBIT and ctx.index.same_reference(line, COD043.DEBIT):
        return _l("Referentie %(reference)s is al eerder gebruikt.", reference=line.reference)
    return None


@check(WJ001.REFERENCE_ALREADY_SUBMITTED)
def tranche_declared_once(line, ctx):
    if line.debit_credit != COD043.DEBIT:
        return None
    holder = tranche_holder(ctx.index, line.allocation_id, line.tranche, line.declaration_id,
                            ctx.stage, exclude=line.id, approving=ctx.approving)
    if holder is not None and holder.status != LineStatus.APPROVED:
        return _l("Deze tranche is al gedeclareerd in declaratie %(number)s (regel "
                  "%(reference)s).", number=holder.declaration.number,
                  reference=holder.reference)
    return None


def _within_allocation(day, allocation: Allocation, message) -> str | None:
    if allocation.start_date <= day <= allocation.end_date:
        return None
    return message % {"day": format_date(day), "start": format_date(allocation.start_date),
                      "end": format_date(allocation.end_date)}


@check(WJ001.START_OUTSIDE_ALLOCATION)
def period_starts_in_allocation(line, ctx):
    return _within_allocation(line.period_start, line.allocation, _l(
        "De prestatie begint op %(day)s, buiten de toewijzing (%(start)s t/m %(end)s)."))


@check(WJ001.END_OUTSIDE_ALLOCATION)
def period_ends_in_allocation(line, ctx):
    return _within_allocation(line.period_end, line.allocation, _l(
        "De prestatie eindigt op %(day)s, buiten de toewijzing (%(start)s t/m %(end)s)."))


@check(WJ001.NOT_IN_ONE_PERIOD)
def period_in_one_month(line, ctx):
    month = (line.period_start.year, line.period_start.month)
    if month != (line.period_end.year, line.period_end.month):
        return _l("De productperiode loopt over meer dan één kalendermaand.")
    if line.period_start.replace(day=1) > line.declaration.period:
        return _l("De productperiode ligt na de declaratiemaand.")
    return None


@check(WJ001.EXCEEDS_ALLOCATED)
def total_within_allocation(line, ctx):
    if line.debit_credit != COD043.DEBIT:
        return None
    declared = line.amount_cents + sum(
        other.signed_amount_cents for other in ctx.index.by_allocation[line.allocation_id]
        if other.id != line.id and (
            other.status in (LineStatus.SUBMITTED, LineStatus.APPROVED)
            or (other.status == LineStatus.CONCEPT
                and other.declaration_id == line.declaration_id)))
    if declared > line.allocation.amount_cents:
        return _l("Samen %(declared)s gedeclareerd, meer dan het toegewezen bedrag "
                  "%(allocated)s.", declared=format_cents(declared),
                  allocated=format_cents(line.allocation.amount_cents))
    return None


@check(WJ001.NUMBER_NOT_UNIQUE)
def declaration_number_unique(line, ctx):
    declaration = line.declaration
    if (declaration.provider_id, declaration.number) in ctx.duplicate_numbers:
        return _l("Declaratienummer %(number)s komt vaker voor.", number=declaration.number)
    return None


@check(WJ001.NO_ALLOCATION)
def allocation_of_this_provider(line, ctx):
    allocation, declaration = line.allocation, line.declaration
    if not (allocation.trajectory.provider_id == line.provider_id == declaration.provider_id
            and allocation.municipality_id == line.municipality_id
            == declaration.municipality_id):
        return _l("Toewijzing %(number)s is niet aan uw organisatie door deze gemeente "
                  "afgegeven.", number=allocation.number)
    return None


@check(WJ001.CATEGORY_DIFFERS)
def product_category_as_allocated(line, ctx):
    allocated = line.allocation.arrangement.product_category
    if line.product_category != allocated:
        return _l("Productcategorie %(declared)s, toegewezen is %(allocated)s.",
                  declared=line.product_category.value, allocated=allocated.value)
    return None


@check(WJ001.CODE_DIFFERS)
def product_code_as_allocated(line, ctx):
    allocated = line.allocation.arrangement.product_code
    if line.product_code != allocated:
        return _l("Productcode %(declared)s, toegewezen is %(allocated)s.",
                  declared=line.product_code, allocated=allocated)
    return None


@check(WJ001.ALLOCATION_DELETED)
def allocation_not_deleted(line, ctx):
    if line.allocation.change_reason == JZ002.DELETED:
        return _l("Toewijzing %(number)s is verwijderd (reden wijziging 13); er kan niets op "
                  "worden gedeclareerd.", number=line.allocation.number)
    return None


@check(WJ001.CREDIT_WITHOUT_DEBIT)
def credit_has_approved_debit(line, ctx):
    if line.debit_credit != COD043.CREDIT:
        return None
    debits = ctx.index.same_reference(line, COD043.DEBIT)
    if not any(d.status == LineStatus.APPROVED for d in debits):
        return _l("Er is geen goedgekeurde debetregel met referentie %(reference)s.",
                  reference=line.reference)
    return None


@check(WJ001.DEBIT_WITHOUT_CREDIT)
def correction_debit_has_credit(line, ctx):
    if line.debit_credit != COD043.DEBIT:
        return None
    holder = tranche_holder(ctx.index, line.allocation_id, line.tranche, line.declaration_id,
                            ctx.stage, exclude=line.id, approving=ctx.approving)
    if holder is not None and holder.status == LineStatus.APPROVED:
        if ctx.stage == Stage.REVIEW:
            return _l("Regel %(reference)s voor deze tranche is goedgekeurd en de creditregel "
                      "ervoor is nog niet goedgekeurd.", reference=holder.reference)
        return _l("Regel %(reference)s voor deze tranche is al goedgekeurd. Crediteer die "
                  "regel eerst.", reference=holder.reference)
    return None


@check(WJ001.ALREADY_CREDITED)
def credited_once(line, ctx):
    if line.debit_credit != COD043.CREDIT:
        return None
    if ctx.index.same_reference(line, COD043.CREDIT):
        return _l("Regel %(reference)s is al gecrediteerd.", reference=line.reference)
    return None


def findings_for(line: DeclarationLine, ctx: CheckContext) -> list[Finding]:
    return [Finding(c.code, str(explanation)) for c in LINE_CHECKS
            if (explanation := c.rule(line, ctx)) is not None]


def run_checks(lines: list[DeclarationLine], stage: Stage,
               approving: frozenset[int] = frozenset()) -> dict[int, list[Finding]]:
    """The findings per line id (an empty list for a line that meets every rule); the
    credits in `approving` count as approved."""
    ctx = CheckContext.load(lines, stage, approving)
    return {line.id: findings_for(line, ctx) for line in lines}
