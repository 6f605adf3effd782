"""Declaration lines and requests in a given state, made directly, for the timeliness tests:
the figures count stored days and due days, so the rows are set up with them."""

from datetime import UTC, date, datetime
from itertools import count

from portal.domain.codes import COD043, WJ758
from portal.domain.lists import LineStatus, RequestStatus, Tranche
from portal.extensions import db
from portal.models import ChangeRequest, Declaration, DeclarationLine, Trajectory

_numbers = count(1)


def line(trajectory: Trajectory, due: date, days: int | None, user) -> DeclarationLine:
    """A submitted line due on `due`, answered after `days` working days (None: open)."""
    n = next(_numbers)
    allocation = trajectory.current_allocation
    declaration = Declaration(provider=trajectory.provider,
                              municipality=trajectory.municipality, number=f"T{n}",
                              period=date(2000 + n // 12, n % 12 + 1, 1), created_by=user,
                              is_correction=True)
    row = DeclarationLine(
        declaration=declaration, provider_id=trajectory.provider_id,
        municipality_id=trajectory.municipality_id, allocation_id=allocation.id,
        reference=f"R{n}", tranche=Tranche.START, period_start=allocation.start_date,
        period_end=allocation.start_date, amount_cents=100, debit_credit=COD043.DEBIT,
        status=LineStatus.SUBMITTED if days is None else LineStatus.APPROVED, due_on=due,
        answered_working_days=days, product_category=allocation.arrangement.product_category,
        product_code=allocation.arrangement.product_code)
    db.session.add(row)
    db.session.flush()
    return row


def change_request(trajectory: Trajectory, requested_at: datetime, days: int | None,
                   user) -> ChangeRequest:
    """A change request asked at `requested_at` (its due day follows from it), answered
    after `days` working days (None: still open)."""
    allocation = trajectory.current_allocation
    row = ChangeRequest(
        trajectory=trajectory, allocation=allocation, reason=WJ758.CLIENT_SITUATION,
        arrangement=allocation.arrangement, end_date=allocation.end_date, motivation="Test",
        requested_by=user, requested_at=requested_at,
        status=RequestStatus.OPEN if days is None else RequestStatus.REJECTED,
        decided_at=None if days is None else datetime(2026, 12, 1, tzinfo=UTC),
        answered_working_days=days)
    db.session.add(row)
    db.session.flush()
    return row
