"""Inserting a row whose unique key someone else may be inserting at the same moment."""

from sqlalchemy.exc import IntegrityError

from portal.domain import DomainError
from portal.extensions import db


def insert_unique(row, clash: DomainError) -> None:
    """Add and flush `row`; a unique key taken meanwhile by a row committed by someone else
    raises `clash`, the message of the check that would have caught it a moment later."""
    db.session.add(row)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise clash from None
