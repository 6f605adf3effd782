"""Declaring tranches (provider, domain.md sections 6 and 9).

A concept declaration for one municipality and one calendar month gets the lines the portal
proposes: the tranches earned and not yet declared. The provider removes or adds lines and
submits; amounts, declaration numbers and line references always come from the portal. A
correction credits an approved line in full and declares the tranche again.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload
from sqlalchemy.orm.exc import ObjectDeletedError

from portal.database import rows_matched
from portal.domain import DomainError
from portal.domain.audit import record, snapshot
from portal.domain.codes import COD043, JZ002, WJ001
from portal.domain.declaration_checks import (
    LineIndex,
    Stage,
    declared_start_cents,
    run_checks,
    tranche_holder,
)
from portal.domain.lists import DeclarationStatus, LineStatus, Tranche
from portal.domain.measurements import end_measurement_criterion, has_end_measurement
from portal.domain.states import is_concept
from portal.domain.tranches import (
    PaymentScheme,
    TrancheDue,
    allocation_end,
    care_start,
    month_bounds,
    tranches_due,
)
from portal.domain.working_days import answer_due
from portal.extensions import db
from portal.formatting import format_date, format_month
from portal.models import (
    Allocation,
    Contract,
    Declaration,
    DeclarationLine,
    Municipality,
    Provider,
    Trajectory,
    User,
)
from portal.models.types import utcnow

NUMBER_ATTEMPTS = 5
LINE_FIELDS = ("reference", "tranche", "debit_credit", "period_start", "period_end",
               "amount_cents", "status")


# Numbers ----------------------------------------------------------------------------------


def _numbers(column, provider_id: int, prefix: str, width: int):
    """Prefix + a zero-padded sequence per provider, from one past the highest issued."""
    highest = db.session.scalar(
        select(func.max(column)).where(column.like(f"{prefix}%"),
                                        column.table.c.provider_id == provider_id))
    number = int(highest[len(prefix):]) if highest else 0
    while True:
        number += 1
        yield f"{prefix}{number:0{width}d}"


def declaration_numbers(provider_id: int, year: int):
    return _numbers(Declaration.number, provider_id, f"D{year}-", 5)


def line_references(provider_id: int, year: int):
    return _numbers(DeclarationLine.reference, provider_id, f"P{year}-", 6)


def _with_fresh_numbers(build: Callable, code: WJ001, message):
    """Run `build` (it reads, issues numbers and adds rows) in a savepoint. When a concurrent
    transaction took a number (or the month's concept) first, a unique constraint refuses
    and `build` runs again on what that transaction committed."""
    for _attempt in range(NUMBER_ATTEMPTS):
        try:
            with db.session.begin_nested():
                result = build()
                db.session.flush()
            return result
        except IntegrityError:
            continue
    raise DomainError(message, code=code)


# Concepts ---------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def _still_concept(declaration: Declaration) -> bool:
    """Under the provider's lock, whether the declaration is a concept as committed now: a
    rival that submitted or deleted it (or is adding a credit line to it) has finished, and
    its lines are read again when next used."""
    lock_declaring(declaration.provider)
    db.session.expire(declaration, ["status", "lines"])
    try:
        return is_concept(declaration)
    except ObjectDeletedError:
        raise DomainError(_l("Deze declaratie is zojuist verwijderd.")) from None


def _check_concept(declaration: Declaration) -> None:
    if not _still_concept(declaration):
        raise DomainError(_l("Deze declaratie is al ingediend en kan niet meer worden "
                             "gewijzigd."))


def lock_declaring(provider: Provider) -> None:
    """Serialise whatever opens a declaration of `provider` (a new month, a correction
    declaration, a JW323) or changes one of its concepts (lines added or removed, submitted,
    deleted) until the transaction ends: a row lock on the provider on PostgreSQL, taken
    before any other lock of the transaction.

    Under READ COMMITTED every statement sees what was committed before it began, so
    without the lock a rival committing between two reads of the month (is a concept
    open? is the month declared? were these lines declared?) makes them disagree, and a
    request that should join the rival's concept is refused. Under it, every read sees
    the month as one after the other would. FOR NO KEY UPDATE: rows that only refer to the
    provider (their foreign key takes KEY SHARE) need not wait. SQLite has no row locks:
    there every writing request begins with BEGIN IMMEDIATE (portal/database.py)."""
    db.session.execute(select(Provider.id).where(Provider.id == provider.id)
                       .with_for_update(key_share=True))


def open_concept(provider: Provider, municipality: Municipality,
                 period: date) -> Declaration | None:
    return db.session.scalar(
        select(Declaration).where(Declaration.provider_id == provider.id,
                                  Declaration.municipality_id == municipality.id,
                                  Declaration.period == month_start(period),
                                  Declaration.status == DeclarationStatus.CONCEPT)
        .order_by(Declaration.id).limit(1))


def _concept(provider: Provider, municipality: Municipality, period: date, actor: User,
             today: date, correction: bool = False) -> tuple[Declaration, bool]:
    """The open concept for this municipality and month, or a new one (and True): the
    month's declaration, or with `correction` a marked correction declaration once the
    month's declaration is submitted.

    The month is decided under the provider's lock (`lock_declaring`): a request that
    arrives while a rival opens the month waits for its commit and goes on in its concept,
    as it would have a moment later. The partial unique indexes hold the rule beneath it."""
    period = month_start(period)
    if period > month_start(today):
        raise DomainError(_l("Declareer over een maand die al begonnen is."), field="period")
    lock_declaring(provider)

    def build():
        existing = open_concept(provider, municipality, period)
        if existing is not None:
            return existing, False
        month = _month_declaration(provider, municipality, period)
        marked = correction and month is not None
        if not marked:
            _refuse_taken(month, municipality, period)
        _check_contract_term(provider, municipality, period)
        number = next(declaration_numbers(provider.id, today.year))
        declaration = Declaration(provider=provider, municipality=municipality,
                                  number=number, period=period, is_correction=marked,
                                  status=DeclarationStatus.CONCEPT, created_by=actor)
        db.session.add(declaration)
        return declaration, True

    declaration, created = _with_fresh_numbers(
        build, WJ001.NUMBER_NOT_UNIQUE,
        _l("Er kon geen uniek declaratienummer worden uitgegeven. Probeer het opnieuw."))
    if created:
        record(actor, "declaration.created", declaration,
               after=snapshot(declaration, "number", "period", "municipality_id"))
    return declaration, created


def _month_declaration(provider: Provider, municipality: Municipality,
                       period: date) -> Declaration | None:
    return db.session.scalar(
        select(Declaration).where(Declaration.provider_id == provider.id,
                                  Declaration.municipality_id == municipality.id,
                                  Declaration.period == period, ~Declaration.is_correction))


def check_month_free(provider: Provider, municipality: Municipality, period: date) -> None:
    """One declaration per provider, municipality and month (a partial unique index holds
    it under races), whether made in the portal or read from a JW323; a correction goes into
    a marked correction declaration."""
    _refuse_taken(_month_declaration(provider, municipality, period), municipality, period)


def _refuse_taken(taken: Declaration | None, municipality: Municipality, period: date) -> None:
    if taken is not None:
        raise DomainError(
            _l("Er is al een declaratie over %(month)s aan %(municipality)s: %(number)s. Per "
               "maand is er één declaratie; een correctie gaat in een correctiedeclaratie "
               "(crediteer de goedgekeurde regel).", month=format_month(period),
               municipality=municipality.name, number=taken.number), field="period")


def _check_contract_term(provider: Provider, municipality: Municipality,
                         period: date) -> None:
    """No month before the term of the provider's contract with the municipality's region."""
    first = db.session.scalar(
        select(func.min(Contract.starts_on)).where(
            Contract.provider_id == provider.id,
            Contract.region_id == municipality.region_id))
    if first is None:
        raise DomainError(_l("%(provider)s heeft geen contract met de regio van "
                             "%(municipality)s.", provider=provider.name,
                             municipality=municipality.name), field="period")
    if month_bounds(period)[1] < first:
        raise DomainError(_l("%(month)s ligt vóór de looptijd van het contract (vanaf "
                             "%(day)s).", month=format_month(period).capitalize(),
                             day=format_date(first)), field="period")


def start_declaration(provider: Provider, municipality: Municipality, period: date,
                      actor: User, today: date) -> tuple[Declaration, bool]:
    """A concept for the month with the proposed lines; an open concept for the same
    municipality and month is reused (then False)."""
    declaration, created = _concept(provider, municipality, period, actor, today)
    if created:
        propose_lines(declaration, actor, today)
    return declaration, created


def delete_concept(declaration: Declaration, actor: User) -> None:
    _check_concept(declaration)
    for line in list(declaration.lines):
        _remove(line, actor)
    db.session.expire(declaration, ["lines"])
    record(actor, "declaration.deleted", declaration,
           before=snapshot(declaration, "number", "period", "municipality_id"))
    db.session.delete(declaration)
    db.session.flush()


# Proposing and adding lines ---------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    allocation: Allocation
    due: TrancheDue


def _why_not(allocation: Allocation, due: TrancheDue, measured: bool,
             declaration: Declaration, index: LineIndex) -> DomainError | None:
    """Why this earned tranche cannot go into this declaration, or None."""
    if due.period_start > month_bounds(declaration.period)[1]:
        return DomainError(_l("Deze tranche hoort bij de maand van %(day)s, na de "
                              "declaratiemaand.", day=format_date(due.period_start)),
                           code=WJ001.NOT_IN_ONE_PERIOD)
    if due.tranche == Tranche.END and allocation.is_current and not measured:
        return DomainError(_l("De eindtranche kan worden gedeclareerd zodra de eindmeting is "
                              "ingediend."))
    holder = tranche_holder(index, allocation.id, due.tranche, declaration.id, Stage.SUBMIT)
    if holder is not None and holder.status == LineStatus.APPROVED:
        return DomainError(_l("Deze tranche is al goedgekeurd (regel %(reference)s). "
                              "Crediteer die regel eerst.", reference=holder.reference),
                           code=WJ001.DEBIT_WITHOUT_CREDIT)
    if holder is not None:
        return DomainError(_l("Deze tranche is al gedeclareerd in declaratie %(number)s (regel "
                              "%(reference)s).", number=holder.declaration.number,
                              reference=holder.reference),
                           code=WJ001.REFERENCE_ALREADY_SUBMITTED)
    return None


def _earned(allocation: Allocation, index: LineIndex) -> list[TrancheDue]:
    return tranches_due(allocation, allocation.trajectory, PaymentScheme.of_allocation(allocation),
                        declared_start_cents(index, allocation.id))


def earned_tranches(allocation: Allocation) -> list[TrancheDue]:
    """The tranches the allocation has earned under its tariff and payment scheme."""
    return _earned(allocation, LineIndex.load({allocation.id}, set()))


def _declarable_allocations(*columns, declaration: Declaration):
    """`columns` of the provider's allocations from this municipality with care started by
    the end of the month, locked in one order: proposals and credits for the same
    declaration queue behind each other instead of each holding some rows the other needs."""
    return (select(*columns).join(Allocation.trajectory)
            .where(Trajectory.provider_id == declaration.provider_id,
                   Allocation.municipality_id == declaration.municipality_id,
                   Trajectory.started_on <= month_bounds(declaration.period)[1],
                   or_(Allocation.change_reason.is_(None),
                       Allocation.change_reason != JZ002.DELETED))
            .order_by(Allocation.start_date, Allocation.id)
            .with_for_update(of=Allocation))


def declarable(declaration: Declaration) -> list[Candidate]:
    """The earned tranches this declaration may still hold. The allocations are locked, so
    a concurrent proposal cannot claim the same tranche."""
    rows = db.session.execute(
        _declarable_allocations(Allocation, end_measurement_criterion().label("measured"),
                                declaration=declaration)
        .options(contains_eager(Allocation.trajectory), joinedload(Allocation.arrangement))
    ).all()
    index = LineIndex.load({allocation.id for allocation, _m in rows}, set())
    return [Candidate(allocation, due) for allocation, measured in rows
            for due in _earned(allocation, index)
            if _why_not(allocation, due, bool(measured), declaration, index) is None]


def _new_line(declaration: Declaration, allocation: Allocation, due: TrancheDue,
              reference: str) -> DeclarationLine:
    line = DeclarationLine(
        declaration=declaration, provider_id=declaration.provider_id,
        municipality_id=declaration.municipality_id, allocation=allocation,
        reference=reference, tranche=due.tranche, period_start=due.period_start,
        period_end=due.period_end, amount_cents=due.amount_cents,
        debit_credit=COD043.DEBIT, status=LineStatus.CONCEPT,
        product_category=allocation.arrangement.product_category,
        product_code=allocation.arrangement.product_code)
    db.session.add(line)
    return line


def _add_lines(declaration: Declaration, candidates: list[Candidate], actor: User,
               today: date) -> list[DeclarationLine]:
    def build():
        references = line_references(declaration.provider_id, today.year)
        return [_new_line(declaration, c.allocation, c.due, next(references))
                for c in candidates]

    lines = _with_fresh_numbers(
        build, WJ001.REFERENCE_ALREADY_SUBMITTED,
        _l("Er kon geen unieke regelreferentie worden uitgegeven. Probeer het opnieuw."))
    for line in lines:
        record(actor, "declaration_line.added", line, trajectory=line.allocation.trajectory,
               after=snapshot(line, *LINE_FIELDS))
    return lines


def propose_lines(declaration: Declaration, actor: User, today: date) -> list[DeclarationLine]:
    """Add every earned tranche that is not declared yet."""
    _check_concept(declaration)
    candidates = declarable(declaration)
    return _add_lines(declaration, candidates, actor, today) if candidates else []


def add_line(declaration: Declaration, allocation_number: int, tranche: Tranche, actor: User,
             today: date) -> DeclarationLine:
    """One tranche of one allocation, by its number; the portal computes the line."""
    _check_concept(declaration)
    allocation = db.session.scalar(
        select(Allocation).join(Allocation.trajectory)
        .where(Allocation.number == allocation_number,
               Allocation.municipality_id == declaration.municipality_id,
               Trajectory.provider_id == declaration.provider_id)
        .with_for_update(of=Allocation))
    if allocation is None:
        raise DomainError(
            _l("Toewijzing %(number)s is niet door %(municipality)s aan uw organisatie "
               "afgegeven.", number=allocation_number,
               municipality=declaration.municipality.name),
            code=WJ001.NO_ALLOCATION, field="allocation_number")
    if allocation.change_reason == JZ002.DELETED:
        raise DomainError(_l("Toewijzing %(number)s is verwijderd (reden wijziging 13); er kan "
                             "niets op worden gedeclareerd.", number=allocation_number),
                          code=WJ001.ALLOCATION_DELETED, field="allocation_number")
    index = LineIndex.load({allocation.id}, set())
    due = next((d for d in _earned(allocation, index) if d.tranche == tranche), None)
    if due is None:
        raise DomainError(_not_earned(allocation, tranche), field="tranche")
    measured = due.tranche == Tranche.END and has_end_measurement(allocation.trajectory)
    problem = _why_not(allocation, due, measured, declaration, index)
    if problem is not None:
        raise problem
    return _add_lines(declaration, [Candidate(allocation, due)], actor, today)[0]


def _not_earned(allocation: Allocation, tranche: Tranche):
    if care_start(allocation, allocation.trajectory) is None:
        return _l("De start van de zorg onder deze toewijzing is nog niet geregistreerd.")
    if tranche == Tranche.END and allocation_end(allocation, allocation.trajectory) is None:
        return _l("De eindtranche is verdiend zodra de zorg of de toewijzing is beëindigd.")
    return _l("Volgens het betaalschema is voor deze tranche niets verschuldigd.")


def remove_line(line: DeclarationLine, actor: User) -> None:
    _check_concept(line.declaration)
    _remove(line, actor)


def _remove(line: DeclarationLine, actor: User) -> None:
    record(actor, "declaration_line.removed", line, trajectory=line.allocation.trajectory,
           before=snapshot(line, *LINE_FIELDS))
    db.session.delete(line)
    db.session.flush()


# Submitting -------------------------------------------------------------------------------


def submit_declaration(declaration: Declaration, actor: User, today: date) -> bool:
    """Submit once: False when it was already submitted (a double click, a second tab).

    Every line must meet the rules; the answer is due 10 working days after today.
    """
    if not _still_concept(declaration):
        return False
    lines = list(declaration.lines)
    if not lines:
        raise DomainError(_l("Een declaratie zonder regels kan niet worden ingediend."))
    findings = run_checks(lines, Stage.SUBMIT)
    failing = sum(1 for line in lines if findings[line.id])
    if failing:
        raise DomainError(_l("%(count)s regel(s) voldoen niet aan de regels voor declaraties. "
                             "Verwijder ze of los de oorzaak op en dien dan opnieuw in.",
                             count=failing))
    due = answer_due(today)
    matched = rows_matched(
        update(Declaration)
        .where(Declaration.id == declaration.id,
               Declaration.status == DeclarationStatus.CONCEPT)
        .values(status=DeclarationStatus.SUBMITTED, submitted_at=utcnow(), due_on=due)
        .execution_options(synchronize_session=False))
    db.session.refresh(declaration)
    if matched != 1:
        return False
    # This transaction won the declaration; its lines follow.
    record(actor, "declaration.submitted", declaration,
           after=snapshot(declaration, "status", "due_on"))
    for line in lines:
        line.status, line.due_on = LineStatus.SUBMITTED, due
        record(actor, "declaration_line.submitted", line, trajectory=line.allocation.trajectory,
               after=snapshot(line, "status", "due_on"))
    db.session.flush()
    return True


# Corrections ------------------------------------------------------------------------------


def credit_line(debit: DeclarationLine, actor: User, today: date) -> Declaration:
    """A full credit of an approved debit line, with the same reference, in this month's
    concept (a correction declaration once this month's declaration is submitted); the
    tranche is proposed again in that concept as the corrected debit."""
    if debit.debit_credit != COD043.DEBIT or debit.status != LineStatus.APPROVED:
        raise DomainError(_l("Alleen een goedgekeurde debetregel kan worden gecrediteerd."),
                          code=WJ001.CREDIT_WITHOUT_DEBIT)
    index = LineIndex.load(set(), {(debit.provider_id, debit.reference)})
    if index.same_reference(debit, COD043.CREDIT):
        raise DomainError(_l("Regel %(reference)s is al gecrediteerd.",
                             reference=debit.reference), code=WJ001.ALREADY_CREDITED)
    declaration, _created = _concept(debit.declaration.provider, debit.declaration.municipality,
                                     today, actor, today, correction=True)
    # The credit's insert takes a key-share lock on its allocation, which conflicts with
    # the lock proposing takes: so take that lock first, or two parallel credits each hold
    # one allocation and wait for the other's.
    db.session.execute(_declarable_allocations(Allocation.id, declaration=declaration))
    copied = {name: getattr(debit, name) for name in (
        "provider_id", "municipality_id", "allocation_id", "reference", "tranche",
        "period_start", "period_end", "amount_cents", "product_category", "product_code")}
    try:
        with db.session.begin_nested():
            credit = DeclarationLine(declaration=declaration, debit_credit=COD043.CREDIT,
                                     status=LineStatus.CONCEPT, **copied)
            db.session.add(credit)
            db.session.flush()
    except IntegrityError:  # a second credit of the same reference at the same moment
        raise DomainError(_l("Regel %(reference)s is al gecrediteerd.",
                             reference=debit.reference), code=WJ001.ALREADY_CREDITED) from None
    record(actor, "declaration_line.added", credit, trajectory=debit.allocation.trajectory,
           after=snapshot(credit, *LINE_FIELDS))
    propose_lines(declaration, actor, today)
    return declaration
