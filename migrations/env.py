"""Alembic environment: runs the migrations against the Flask app's database."""

from alembic import context
from flask import current_app

config = context.config
migrate = current_app.extensions["migrate"]
target_metadata = migrate.db.metadata


def run_migrations_offline() -> None:
    context.configure(url=str(migrate.db.engine.url), target_metadata=target_metadata,
                      literal_binds=True, **migrate.configure_args)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty_revision(context_, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []

    with migrate.db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        # Batch mode recreates a table by copy, drop and rename, which SQLite refuses for a
        # table that others reference (contract, allocation). The pragma only works outside
        # a transaction; the keys are checked once the migrations ran.
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        context.configure(connection=connection, target_metadata=target_metadata,
                          process_revision_directives=skip_empty_revision,
                          **migrate.configure_args)
        try:
            with context.begin_transaction():
                context.run_migrations()
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("the migrations left rows with a broken foreign key")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
