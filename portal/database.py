"""Engine settings that both databases need to behave alike, and bulk inserts."""

import logging
from typing import Any, cast

from flask import Flask, has_request_context, request
from sqlalchemy import event, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.sql import Executable

from portal.extensions import db


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    # pysqlite opens transactions lazily and breaks SAVEPOINT; let SQLAlchemy emit BEGIN
    # itself so nested transactions (and the tests' rollback per test) work as on PostgreSQL.
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writing_request() else "BEGIN")


def remove_session_safely(app: Flask) -> None:
    """End each request's session without letting a dead connection spoil the answer.

    Flask-SQLAlchemy removes the session when the app context ends, after the response was
    made; the ROLLBACK that closing sends fails when PostgreSQL was just stopped (AdminShutdown),
    and gunicorn then replaces the finished answer with a bare 500 (make faults found this).
    The connection is gone either way, so nothing is lost by letting it go."""
    app.teardown_appcontext_funcs[:] = [f for f in app.teardown_appcontext_funcs
                                        if f != db._teardown_session]

    @app.teardown_appcontext
    def _remove(_exc: BaseException | None) -> None:
        try:
            db.session.remove()
        except SQLAlchemyError as error:
            logging.getLogger("portal.database").warning(
                "session closed on a dead connection: %s", type(error).__name__)
            db.session.registry.clear()


def _writing_request() -> bool:
    """A request that may write (not GET/HEAD/OPTIONS). On SQLite it takes the write lock at
    its first statement: writers queue behind each other (busy_timeout) instead of reading
    the same state and colliding at the write, which SQLite answers with "database is
    locked" (a 503) instead of with the answer a later request gets (portal.domain.trajectories.
    lock_allocations does this with a row lock on PostgreSQL)."""
    return has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")


def rows_matched(statement: Executable) -> int:
    """Run a conditional UPDATE in the session: the rows it matched. Of two people acting at
    once only one matches (docs/races.md)."""
    # An UPDATE's result is a CursorResult; Session.execute is typed with the general Result.
    return cast("CursorResult[Any]", db.session.execute(statement)).rowcount


def upsert(model) -> postgresql.Insert | sqlite.Insert:
    """An INSERT of the session's dialect, which offers ON CONFLICT (on_conflict_do_update):
    both databases take a row whose unique key another transaction inserts at the same
    moment as an update, without an error."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def insert_rows(model, rows: list[dict]) -> list[int]:
    """Inserts `rows` (column values, the same columns in each) in the session's transaction
    and returns their new ids in order: thousands of rows in seconds.

    On PostgreSQL the ids are drawn from the table's sequence and the rows go in with one
    COPY, their values converted by the columns' own types; elsewhere (SQLite) as a batched
    INSERT ... RETURNING."""
    if not rows:
        return []
    if db.session.get_bind().dialect.name != "postgresql":
        return list(db.session.scalars(
            insert(model).returning(model.id, sort_by_parameter_order=True), rows))
    table = model.__table__
    ids = list(db.session.scalars(
        select(func.nextval(func.pg_get_serial_sequence(table.name, "id")))
        .select_from(func.generate_series(1, len(rows)))))
    names = ["id", *rows[0]]
    dialect = db.session.get_bind().dialect
    convert = [table.c[name].type.bind_processor(dialect) for name in names]
    columns = ", ".join(f'"{name}"' for name in names)
    connection = db.session.connection().connection.driver_connection
    if connection is None:  # only a connection already closed has none
        raise RuntimeError("the session's database connection is closed")
    statement = f'COPY "{table.name}" ({columns}) FROM STDIN'
    try:
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row_id, row in zip(ids, rows, strict=True):
                values = (row_id, *row.values())
                copy.write_row([value if fn is None or value is None else fn(value)
                                for fn, value in zip(convert, values, strict=True)])
    except dialect.loaded_dbapi.IntegrityError as error:  # as SQLAlchemy reports it elsewhere
        raise IntegrityError(statement, None, error) from error
    return ids
