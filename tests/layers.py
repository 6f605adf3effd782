"""Test data built once and shared: SAVEPOINT layers on one connection per test run.

The connection holds an outer transaction for as long as it lives; it is never committed.
On it lie the data layers a test asks for (each a SAVEPOINT: the `world`, the objects of
the access matrix on top of it, or the seeded demo region) and, per test, one more
SAVEPOINT that is rolled back after the test. A test thus sees exactly the data it asks for,
as if built for it alone, while a layer is built once for all the tests that ask for it in a
row; `layer_key` orders the tests so they come in a row. Tests marked `committed` need the
database to themselves: the connection is closed before them.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, fields, is_dataclass

import pytest
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from portal.extensions import db


@dataclass
class Builder:
    on: str | None  # the layer this one is built on
    build: Callable  # takes the value of `on` (if any), builds in db.session


BUILDERS: dict[str, Builder] = {}
SERVED: set[str] = set()  # the layers whose fixtures gave the running test their value


def shared_layer(on: str | None = None):
    """Turns `build` into a fixture of the same name whose data is built once per run of
    tests that ask for it (in a committed test: built for the test, as a plain fixture)."""

    def register(build: Callable):
        name = build.__name__
        # Tests stand on layers by fixture name, across modules: a name is one layer's only.
        assert name not in BUILDERS, f"a layer named {name} exists already"
        BUILDERS[name] = Builder(on, build)

        @pytest.fixture(name=name)
        def fixture(request, _transaction):
            SERVED.add(name)
            if "committed" in request.keywords:
                return build(*[request.getfixturevalue(on)] if on else [])
            return attached(db.session, _transaction.value(name))

        return fixture

    return register


def stack(name: str) -> tuple[str, ...]:
    """The layer `name` and those it is built on, bottom first."""
    below = BUILDERS[name].on
    return (*stack(below), name) if below else (name,)


def chain(fixturenames) -> tuple[str, ...]:
    """The layers a test needs, bottom first (a layer's fixture does not ask for the layers
    below it, so they need not be among `fixturenames`)."""
    stacks = [stack(name) for name in BUILDERS if name in fixturenames]
    if not stacks:
        return ()
    top = max(stacks, key=len)
    assert all(top[:len(s)] == s for s in stacks), \
        f"a test can stand on one stack of layers, not on {[s[-1] for s in stacks]}"
    return top


def check_served(fixturenames) -> None:
    """Every layer among a test's fixture names gave the test its value. Another fixture or a
    parametrize argument of a layer's name would have the layer built under the test unseen."""
    taken = {name for name in BUILDERS if name in fixturenames} - SERVED
    assert not taken, f"{sorted(taken)}: a layer's name, taken by another fixture or argument"


def layer_key(item) -> tuple:
    """Committed tests first, the others grouped by the layers they stand on. The committed
    ones wait much (on locks, on a job worker's poll): first, their waits fall while the
    other processes of `make test` still run; last, they left the machine half idle."""
    committed = item.get_closest_marker("committed") is not None
    return (not committed, () if committed else chain(getattr(item, "fixturenames", ())))


def session_on(connection) -> scoped_session:
    """A session whose commits release a SAVEPOINT on `connection` instead of committing.

    A plain Session: Flask-SQLAlchemy's own picks the engine and ignores `bind`."""
    return scoped_session(sessionmaker(bind=connection, join_transaction_mode="create_savepoint"))


@contextmanager
def swapped_session(connection):
    """`db.session` (as the portal and the factories use it) bound to `connection`."""
    original, db.session = db.session, session_on(connection)
    try:
        yield db.session
    finally:
        db.session.remove()
        db.session = original


@dataclass
class Layer:
    name: str
    savepoint: object
    value: object  # what the layer's fixture gives: detached objects, ids, a CLI result


class SharedConnection:
    """The run's connection, its outer transaction and the stack of layers on it."""

    def __init__(self):
        self.connection = None
        self.outer = None
        self.layers: list[Layer] = []

    def close(self) -> None:
        if self.connection is not None:
            self.outer.rollback()
            self.connection.close()
        self.connection = self.outer = None
        self.layers = []

    def prepare(self, names: tuple[str, ...]):
        """The connection with exactly the layers `names` on it, built where missing."""
        if self.connection is None:
            self.connection = db.engine.connect()
            self.outer = self.connection.begin()
        kept = 0
        while kept < min(len(names), len(self.layers)) and self.layers[kept].name == names[kept]:
            kept += 1
        while len(self.layers) > kept:
            self.layers.pop().savepoint.rollback()
        for name in names[kept:]:
            savepoint = self.connection.begin_nested()
            builder = BUILDERS[name]
            with swapped_session(self.connection) as session:
                below = [attached(session, self.layers[-1].value)] if builder.on else []
                value = builder.build(*below)
                session.commit()
                value = detached(session, value)
            self.layers.append(Layer(name, savepoint, value))
        return self.connection

    def value(self, name: str):
        return next(layer.value for layer in self.layers if layer.name == name)


def detached(session: Session, value):
    """The mapped objects in a layer value are refreshed and let go of the session, so each
    test can take them into its own session without a query (`attached`)."""
    for instance in _instances(value):
        session.refresh(instance)
    session.expunge_all()
    return value


def attached(session: Session, value):
    """A copy of a detached layer value whose objects belong to `session`, expired as after
    a commit (so a test runs the same queries as when it had built the objects itself)."""
    merged = {id(instance): session.merge(instance, load=False)
              for instance in _instances(value)}
    for instance in merged.values():
        session.expire(instance)
    return _copy(value, merged)


def _parts(value) -> list:
    """What a layer value holds: a builder returns what a plain fixture would (a mapped
    object, or dataclasses, lists, tuples and dicts of them and of plain values)."""
    if is_dataclass(value):
        return [getattr(value, f.name) for f in fields(value)]
    if isinstance(value, dict):
        return list(value.values())
    return list(value) if isinstance(value, list | tuple) else []


def _instances(value) -> list:
    if isinstance(value, db.Model):
        return [value]
    return [instance for part in _parts(value) for instance in _instances(part)]


def _copy(value, merged: dict):
    """`value` rebuilt with each mapped object replaced by its merged one."""
    if isinstance(value, db.Model):
        return merged[id(value)]
    if is_dataclass(value):
        return type(value)(**{f.name: _copy(getattr(value, f.name), merged)
                              for f in fields(value)})
    if isinstance(value, dict):
        return {key: _copy(item, merged) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_copy(item, merged) for item in value)
    return value
