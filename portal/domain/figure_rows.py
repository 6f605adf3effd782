"""The trajectories behind a figure: the rows of the figures store a figure rests on (its
base), marking those it counts, under the very conditions the figure is summed with
(store_queries.conditions), so a list's counts are the figure's.

A viewer sees the rows as elsewhere in the portal: a provider its own, a municipality its
own children's; the contract manager sees every row of the region under a pseudonym."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, false, func, insert, not_, select
from sqlalchemy.orm import InstrumentedAttribute

from portal.domain.audit import event_values
from portal.domain.codes import JZ588
from portal.domain.figures import Period
from portal.domain.indicators import SOCIETAL_ITEMS
from portal.domain.lists import MUNICIPAL_ROLES, PROVIDER_ROLES, Role
from portal.domain.paging import Page, fetch_page, fetch_rows
from portal.domain.regions import region_ids_of
from portal.domain.store_queries import GROUP_COLUMNS, Conditions, conditions
from portal.extensions import db
from portal.models import (
    Allocation,
    AuditEvent,
    Client,
    TrajectoryFact,
    UpscalingFact,
    User,
)
from portal.models.types import utcnow

F = TrajectoryFact
Predicate = ColumnElement[Any] | InstrumentedAttribute[Any]
Condition = Callable[[Conditions], Predicate]

# What a row shows of its facts, by fact name (a column of trajectory_fact, or upscalings).
FACT_LABELS = {
    "satisfaction_sum": _l("Som van de cijfers"), "satisfaction_count": _l("Cijfers"),
    "young_sum": _l("Cijfer jongere"), "young_count": _l("Cijfers jongere"),
    "parent_sum": _l("Cijfer ouder"), "parent_count": _l("Cijfers ouder"),
    "goals": _l("Doelen"), "goals_achieved": _l("Behaald"), "goals_partly": _l("Deels behaald"),
    "duration_days": _l("Duur in dagen"), "cost_cents": _l("Kosten"),
    "upscalings": _l("Opschalingen in de periode"), "next_start_on": _l("Volgende start"),
}


@dataclass(frozen=True)
class Drill:
    """The rows a figure rests on, those it counts (None: a mean or a sum, nothing to mark)
    and the facts it is computed from."""

    rows: Condition
    counted: Condition | None = None
    facts: tuple[str, ...] = ()


def _ended_and(condition: Callable[[], Predicate]) -> Condition:
    return lambda c: and_(c.ended, condition())


def _reason(reason: JZ588) -> Condition:
    return lambda c: F.end_reason == reason


def _improved(item: str) -> Condition:
    return lambda c: getattr(F, f"improved_{item}")


DRILLS: dict[str, Drill] = {
    "ended": Drill(lambda c: c.ended, facts=("duration_days",)),
    "handed_on": Drill(lambda c: c.handed_on),
    "according_to_plan": Drill(lambda c: c.ended, _reason(JZ588.ACCORDING_TO_PLAN)),
    "drop_out": Drill(lambda c: c.ended, _reason(JZ588.EARLY_BY_CLIENT)),
    "ended_by_provider": Drill(lambda c: c.ended, _reason(JZ588.EARLY_BY_PROVIDER)),
    "satisfaction": Drill(_ended_and(lambda: F.satisfaction_count > 0),
                          facts=("satisfaction_sum", "satisfaction_count")),
    "satisfaction_young_person": Drill(_ended_and(lambda: F.young_count > 0),
                                       facts=("young_sum", "young_count")),
    "satisfaction_parent": Drill(_ended_and(lambda: F.parent_count > 0),
                                 facts=("parent_sum", "parent_count")),
    "without_help": Drill(_ended_and(lambda: F.without_help_answered),
                          lambda c: F.without_help_yes),
    "goals_achieved": Drill(_ended_and(lambda: F.goals > 0), lambda c: F.goals_achieved > 0,
                            ("goals", "goals_achieved")),
    "goals_partly": Drill(_ended_and(lambda: F.goals > 0), lambda c: F.goals_partly > 0,
                          ("goals", "goals_partly")),
    "societal_improved": Drill(_ended_and(lambda: F.societal_pair),
                               lambda c: F.societal_improved),
    "treatment_achieved": Drill(_ended_and(lambda: F.treatment_answered),
                                lambda c: F.treatment_solved),
    "treatment_partly": Drill(_ended_and(lambda: F.treatment_answered),
                              lambda c: F.treatment_reduced),
    **{f"improved_{item}": Drill(_ended_and(lambda: F.societal_pair), _improved(item))
       for item in SOCIETAL_ITEMS},
    # Counted: the trajectories without a new start within the window.
    "no_new_start": Drill(lambda c: c.settled, lambda c: not_(F.new_start_within_window),
                          ("next_start_on",)),
    "duration": Drill(_ended_and(lambda: F.duration_days.is_not(None)),
                      facts=("duration_days",)),
    "upscaling": Drill(lambda c: c.active, lambda c: c.upscalings > 0, ("upscalings",)),
    "cost_per_trajectory": Drill(lambda c: c.ended, facts=("cost_cents",)),
    # The costs of every ended trajectory over those ended according to plan.
    "cost_per_plan_end": Drill(lambda c: c.ended, _reason(JZ588.ACCORDING_TO_PLAN),
                               ("cost_cents",)),
}


@dataclass(frozen=True)
class Subject:
    """Whose figure: the region's, or one group's (a key of store_queries.GROUP_COLUMNS)."""

    region_id: int
    period: Period
    indicator: str
    grouping: str | None = None
    group_id: int | None = None


def is_pseudonymised(viewer: User) -> bool:
    return viewer.role == Role.CONTRACT_MANAGER


def _viewer_scope(viewer: User) -> ColumnElement:
    """The rows this viewer sees identified or (the contract manager) pseudonymised."""
    if viewer.role in PROVIDER_ROLES:
        return F.provider_id == viewer.provider_id
    if viewer.role in MUNICIPAL_ROLES:
        return F.municipality_id == viewer.municipality_id
    if is_pseudonymised(viewer):
        return F.region_id.in_(region_ids_of(viewer))
    return false()


def _fact(name: str, c: Conditions) -> ColumnElement:
    return c.upscalings if name == "upscalings" else getattr(F, name)


def _base(subject: Subject, c: Conditions):
    drill = DRILLS[subject.indicator]
    where = [F.region_id == subject.region_id, drill.rows(c)]
    if subject.grouping:
        where.append(GROUP_COLUMNS[subject.grouping] == subject.group_id)
    return where


@dataclass(frozen=True)
class Summary:
    rows: int  # the figure's base: every row it rests on
    counted: int  # of those, the ones it counts
    shown: int  # of those rows, the ones the viewer may see
    totals: dict[str, int]  # each fact summed over the rows


def summary(viewer: User, subject: Subject, today: date) -> Summary:
    """The figure's counts over all its rows, in one query."""
    c = conditions(subject.period, today)
    drill = DRILLS[subject.indicator]
    counted = drill.counted(c) if drill.counted else false()
    facts = [name for name in drill.facts if name != "next_start_on"]
    row = db.session.execute(
        select(func.count().label("rows"),
               func.count().filter(counted).label("counted"),
               func.count().filter(_viewer_scope(viewer)).label("shown"),
               *(func.coalesce(func.sum(_fact(name, c)), 0).label(name) for name in facts))
        .where(*_base(subject, c))).one()
    return Summary(row.rows, row.counted, row.shown,
                   {name: int(getattr(row, name)) for name in facts})


@dataclass(frozen=True)
class FigureRow:
    trajectory_id: int
    client_id: int
    municipality_id: int
    provider_id: int
    arrangement_id: int
    started_on: date | None
    ended_on: date | None
    end_reason: JZ588 | None
    counted: bool
    facts: dict
    allocation_number: int | None = None  # identified rows only
    child_name: str | None = None
    masked_bsn: str | None = None


def row_page(viewer: User, subject: Subject, today: date, after: int | None,
             size: int) -> Page[FigureRow]:
    """The rows the viewer may see, newest trajectory first (keyset, no OFFSET). Identified
    rows carry the child and the allocation in force; pseudonymised rows do not."""
    c = conditions(subject.period, today)
    drill = DRILLS[subject.indicator]
    counted = drill.counted(c) if drill.counted else false()
    query = (select(F, counted.label("is_counted"), *(_fact(n, c).label(n) for n in drill.facts))
             .where(*_base(subject, c), _viewer_scope(viewer)))
    identified = not is_pseudonymised(viewer)
    if identified:
        query = (query.add_columns(Allocation.number, Client)
                 .join(Allocation, (Allocation.trajectory_id == F.trajectory_id)
                       & Allocation.is_current)
                 .join(Client, Client.id == F.client_id))
    if after:
        query = query.where(F.trajectory_id < after)

    def row(result) -> FigureRow:
        fact, client = result[0], result.Client if identified else None
        return FigureRow(
            fact.trajectory_id, fact.client_id, fact.municipality_id, fact.provider_id,
            fact.arrangement_id, fact.started_on, fact.ended_on, fact.end_reason,
            bool(result.is_counted), {n: getattr(result, n) for n in drill.facts},
            result.number if identified else None, client.name if client else None,
            client.masked_bsn if client else None)

    page = fetch_page(query.order_by(F.trajectory_id.desc()), size,
                      lambda result: result[0].trajectory_id, fetch_rows)
    return Page([row(result) for result in page.rows], page.next_after)


def pseudonymised_facts(viewer: User, trajectory_id: int) -> tuple[TrajectoryFact, int] | None:
    """One trajectory's facts and its upscalings for the contract manager of its region;
    None for any other trajectory."""
    if not is_pseudonymised(viewer):
        return None
    upscalings = (select(func.count()).where(UpscalingFact.trajectory_id == F.trajectory_id)
                  .scalar_subquery())
    row = db.session.execute(select(F, upscalings).where(
        F.trajectory_id == trajectory_id, _viewer_scope(viewer))).first()
    return (row[0], row[1]) if row else None


def record_views(viewer: User, rows: Sequence[FigureRow | TrajectoryFact]) -> None:
    """Every row shown is a read of that child's trajectory, in the access log."""
    action = ("pseudonymised_trajectory.viewed" if is_pseudonymised(viewer)
              else "trajectory_behind_figure.viewed")
    if not rows:
        return
    at = utcnow()
    # One executemany, whatever the page size (record_many returns ids it does not need here).
    db.session.execute(insert(AuditEvent), [
        {"at": at, **event_values(viewer, action, "trajectory", row.trajectory_id,
                                  client_id=row.client_id, trajectory_id=row.trajectory_id)}
        for row in rows])
