"""Statements as records: the verification code, keeping the PDF of a closed period, and
checking a code with the figures printed beside it."""

import hashlib
import json
import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.domain.audit import record
from portal.domain.lists import StatementKind
from portal.extensions import db
from portal.models import Statement, User

CODE_LENGTH = 16  # hex digits: 64 bits, printed in groups of four


def verification_code(content: dict) -> str:
    """A hash of the statement's content, e.g. `3F9A-0C1B-77D2-E845`."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:CODE_LENGTH].upper()
    return "-".join(digest[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(text: str | None) -> str | None:
    """A code as typed (any case, with or without dashes or spaces); None when it cannot be
    one."""
    digits = re.sub(r"[\s-]", "", text or "").upper()
    if not re.fullmatch(rf"[0-9A-F]{{{CODE_LENGTH}}}", digits):
        return None
    return "-".join(digits[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def stamped(content: dict, generated_at: datetime) -> dict:
    """The content with its generation time: every rendering has its own code."""
    return {**content, "generated_at": generated_at.isoformat()}


def stored_statement(key: str) -> tuple[Statement, bytes] | None:
    """A closed period's statement and its kept PDF, if it was rendered before."""
    statement = db.session.scalar(select(Statement).where(Statement.key == key,
                                                          Statement.pdf.isnot(None)))
    return None if statement is None or statement.pdf is None else (statement, statement.pdf)


def keep_statement(kind: StatementKind, key: str, content: dict, generated_at: datetime,
                   actor: User, pdf: bytes | None) -> Statement:
    """A row for the code printed on this rendering; with `pdf` (a closed period) the
    rendering is kept. When another request kept the same statement a moment earlier, that
    one wins and is returned, so a closed period has exactly one PDF; the same content at
    the same moment has the same code, and so the same row."""
    statement = Statement(kind=kind, key=key, content=content, generated_at=generated_at,
                          code=verification_code(content), generated_by=actor, pdf=pdf)
    try:
        with db.session.begin_nested():
            db.session.add(statement)
            db.session.flush()
    except IntegrityError:  # its unique key (a kept PDF) or code: the row kept first wins
        kept = (Statement.key == key) & Statement.pdf.isnot(None) if pdf is not None else (
            Statement.code == statement.code)
        return db.session.scalars(select(Statement).where(kept)).one()
    return statement


def record_download(statement: Statement, actor: User, rendered: bool) -> None:
    record(actor, "statement.downloaded", statement,
           after={"key": statement.key, "code": statement.code, "rendered": rendered})


def verify(typed_code: str | None, declared_cents: int | None) -> Statement | None:
    """The statement with this code whose declared total is the one printed on it."""
    code = normalise_code(typed_code)
    if code is None or declared_cents is None:
        return None
    statement = db.session.scalar(select(Statement).where(Statement.code == code))
    if statement is None or statement.content["totals"]["declared"] != declared_cents:
        return None
    return statement
