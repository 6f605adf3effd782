"""Steering indicators over ended trajectories, as domain.md section 11 defines them.

Pure functions over rows that portal.domain.indicator_queries fetches: no database here, so
every figure can be worked out by hand. Percentages and means are Decimals rounded half up;
a figure whose base holds fewer than MIN_BASE trajectories carries no value at all.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, fields
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from portal.domain.codes import JZ588
from portal.domain.figures import Figure, Period, Unit, mean_of, percentage, ratio
from portal.domain.lists import (
    GoalScore,
    Informant,
    MeasurementMoment,
    TreatmentResult,
    WithoutHelp,
    YesNoUnknown,
)
from portal.domain.measurements import INFORMANT_PREFERENCE, SOCIETAL_ITEMS

NEW_START_WINDOW = timedelta(days=182)
# An end with one of these reasons is an outcome; 36-39 hand the child on (counted apart).
OUTCOME_REASONS = frozenset({JZ588.DECEASED, JZ588.ACCORDING_TO_PLAN, JZ588.EARLY_BY_CLIENT,
                             JZ588.EARLY_BY_PROVIDER, JZ588.EARLY_BY_AGREEMENT,
                             JZ588.EARLY_EXTERNAL})
HANDED_ON_REASONS = frozenset({JZ588.BY_MUNICIPALITY, JZ588.CHANGE_REQUEST,
                               JZ588.OTHER_PROVIDER, JZ588.OTHER_DOMAIN})
WITHOUT_HELP = frozenset({WithoutHelp.NONE_NOW, WithoutHelp.NONE})


# Rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrajectoryRow:
    id: int
    client_id: int
    provider_id: int
    municipality_id: int
    arrangement_id: int  # of the first allocation: the arrangement the care started with
    started_on: date | None
    ended_on: date | None
    end_reason: JZ588 | None


@dataclass(frozen=True)
class MeasurementRow:
    trajectory_id: int
    moment: MeasurementMoment
    informant: Informant
    goes_to_school_or_work: YesNoUnknown
    grows_up_at_home: YesNoUnknown
    takes_part: YesNoUnknown
    is_safe: YesNoUnknown
    satisfaction: int | None = None
    without_help: WithoutHelp | None = None
    treatment_result: TreatmentResult | None = None


@dataclass(frozen=True)
class GoalRow:
    """A goal of the plan and one informant's score for it at the end (None: no score)."""

    trajectory_id: int
    goal_id: int
    informant: Informant | None = None
    score: GoalScore | None = None


@dataclass(frozen=True)
class LaterStartRow:
    """An allocation of another trajectory of the same child, starting on or after the end."""

    trajectory_id: int
    start_date: date


@dataclass(frozen=True)
class ChangeRow:
    """An approved change request, with the intensity ranks from and to."""

    trajectory_id: int
    from_rank: int
    to_rank: int
    decided_on: date | None = None  # the Amsterdam day of the decision


@dataclass(frozen=True)
class IndicatorData:
    trajectories: list[TrajectoryRow] = field(default_factory=list)
    measurements: list[MeasurementRow] = field(default_factory=list)
    goals: list[GoalRow] = field(default_factory=list)
    later_starts: list[LaterStartRow] = field(default_factory=list)
    changes: list[ChangeRow] = field(default_factory=list)
    costs: dict[int, int] = field(default_factory=dict)  # approved debit - credit per trajectory


ROW_LISTS = ("measurements", "goals", "later_starts", "changes")


# Figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicators:
    ended: int  # the outcome base: ended with 02 or 31-35
    handed_on: int  # ended with 36-39: counted and shown, not in the base
    according_to_plan: Figure
    drop_out: Figure
    ended_by_provider: Figure
    satisfaction: Figure
    satisfaction_young_person: Figure
    satisfaction_parent: Figure
    without_help: Figure
    goals_achieved: Figure
    goals_partly: Figure
    societal_improved: Figure
    treatment_achieved: Figure
    treatment_partly: Figure
    improved_goes_to_school_or_work: Figure
    improved_grows_up_at_home: Figure
    improved_takes_part: Figure
    improved_is_safe: Figure
    no_new_start: Figure
    duration: Figure
    upscaling: Figure
    cost_per_trajectory: Figure
    cost_per_plan_end: Figure


@dataclass(frozen=True)
class Spec:
    """How an indicator is named, in full and as a column heading, and whether the
    dashboards draw it."""

    name: str
    label: str
    short: str
    chart: bool = False


SPECS = [
    Spec("according_to_plan", _l("Volgens plan beëindigd (31)"), _l("Volgens plan (31)"),
         chart=True),
    Spec("drop_out", _l("Uitval: voortijdig door cliënt (32)"), _l("Uitval (32)"), chart=True),
    Spec("ended_by_provider", _l("Voortijdig door aanbieder (33)"), _l("Door aanbieder (33)")),
    Spec("satisfaction", _l("Tevredenheid, gemiddeld cijfer"), _l("Tevredenheid"),
         chart=True),
    Spec("satisfaction_young_person", _l("Tevredenheid jongere"), _l("Tevredenheid jongere")),
    Spec("satisfaction_parent", _l("Tevredenheid ouder of verzorger"),
         _l("Tevredenheid ouder")),
    Spec("without_help", _l("Kan zonder hulp verder (03 of 04)"), _l("Zonder hulp verder"),
         chart=True),
    Spec("goals_achieved", _l("Doelen behaald"), _l("Doelen behaald"), chart=True),
    Spec("goals_partly", _l("Doelen gedeeltelijk behaald"), _l("Doelen deels behaald")),
    Spec("societal_improved", _l("Maatschappelijk resultaat verbeterd"),
         _l("Maatschappelijk verbeterd"), chart=True),
    Spec("treatment_achieved", _l("Behandeldoel bereikt"), _l("Behandeldoel bereikt"),
         chart=True),
    Spec("treatment_partly", _l("Behandeldoel deels bereikt"),
         _l("Behandeldoel deels bereikt")),
    *(Spec(f"improved_{item}", _l("Verbeterd: %(item)s", item=label), label)
      for item, label in SOCIETAL_ITEMS.items()),
    Spec("no_new_start", _l("Geen nieuwe jeugdhulp binnen 182 dagen"),
         _l("Geen nieuwe hulp binnen 182 dagen"), chart=True),
    Spec("duration", _l("Gemiddelde duur in dagen"), _l("Duur in dagen")),
    Spec("upscaling", _l("Opschaling per 100 trajecten"), _l("Opschaling per 100"),
         chart=True),
    Spec("cost_per_trajectory", _l("Kosten per beëindigd traject"), _l("Kosten per traject")),
    Spec("cost_per_plan_end", _l("Kosten per traject volgens plan beëindigd"),
         _l("Kosten per traject volgens plan")),
]


def _preferred(answers: dict[Informant, object]):
    """The young person's answer where there is one, else the parent's."""
    return next((answers[i] for i in INFORMANT_PREFERENCE if i in answers), None)


# Facts per trajectory ----------------------------------------------------------------------
#
# Every indicator is a sum over trajectories of what each trajectory holds on its own: its
# facts. The figures store (portal.domain.figures_store) keeps these facts as rows and sums
# them in SQL; compute() sums the same facts in Python. Both end in indicators_from(), so the
# rules live here once.


@dataclass(frozen=True)
class TrajectoryFacts:
    trajectory: TrajectoryRow
    satisfaction_sum: int = 0  # the marks of all end measurements
    satisfaction_count: int = 0
    young_sum: int = 0
    young_count: int = 0
    parent_sum: int = 0
    parent_count: int = 0
    without_help_answered: bool = False  # one answer: the young person's, else the parent's
    without_help_yes: bool = False  # that answer is 03 or 04
    treatment_answered: bool = False
    treatment_solved: bool = False
    treatment_reduced: bool = False
    goals: int = 0
    goals_achieved: int = 0
    goals_partly: int = 0
    societal_pair: bool = False  # one informant with a start and an end measurement
    societal_improved: bool = False  # an item improved and none worsened
    improved: frozenset[str] = frozenset()  # the SOCIETAL_ITEMS that went from no to yes
    next_start_on: date | None = None  # first later allocation of the child from the end on
    new_start_within_window: bool = False  # next_start_on within NEW_START_WINDOW of the end
    cost_cents: int = 0  # approved debit - credit
    upscalings: tuple[date | None, ...] = ()  # days approved changes to a higher rank were
    # decided (None: the loader kept only the period's)


def _satisfaction_facts(ends: list[MeasurementRow]) -> dict:
    marked = [(m.informant, m.satisfaction) for m in ends if m.satisfaction is not None]

    def marks(informant: Informant | None) -> list[int]:
        return [mark for who, mark in marked if informant in (None, who)]

    young, parent, every = (marks(Informant.YOUNG_PERSON), marks(Informant.PARENT),
                            marks(None))
    return {"satisfaction_sum": sum(every), "satisfaction_count": len(every),
            "young_sum": sum(young), "young_count": len(young),
            "parent_sum": sum(parent), "parent_count": len(parent)}


def _answer_facts(ends: list[MeasurementRow]) -> dict:
    """Without help and the treatment result: one informant's answer per trajectory."""
    without_help = _preferred({m.informant: m.without_help for m in ends
                               if m.without_help is not None})
    treatment = _preferred({m.informant: m.treatment_result for m in ends
                            if m.treatment_result is not None})
    return {"without_help_answered": without_help is not None,
            "without_help_yes": without_help in WITHOUT_HELP,
            "treatment_answered": treatment is not None,
            "treatment_solved": treatment == TreatmentResult.SOLVED,
            "treatment_reduced": treatment == TreatmentResult.REDUCED}


def _goal_facts(goals: list[GoalRow]) -> dict:
    scores: dict[int, dict] = {}
    for g in goals:
        by_informant = scores.setdefault(g.goal_id, {})  # a goal without a score counts too
        if g.score is not None:
            by_informant[g.informant] = g.score
    chosen = [_preferred(by_informant) for by_informant in scores.values()]
    return {"goals": len(chosen), "goals_achieved": chosen.count(GoalScore.ACHIEVED),
            "goals_partly": chosen.count(GoalScore.PARTLY)}


def _societal_facts(measurements: list[MeasurementRow]) -> dict:
    """Start against end of one informant (the young person where both moments are there
    for them, else the parent)."""
    moments: dict[Informant, dict] = defaultdict(dict)
    for m in measurements:
        if m.moment != MeasurementMoment.INTERIM:
            moments[m.informant][m.moment] = m
    pair = _preferred({i: (ms[MeasurementMoment.START], ms[MeasurementMoment.END])
                       for i, ms in moments.items() if len(ms) == 2})
    if pair is None:
        return {}
    first, last = pair

    def moved(before: YesNoUnknown, after: YesNoUnknown) -> frozenset[str]:
        return frozenset(item for item in SOCIETAL_ITEMS
                         if getattr(first, item) == before and getattr(last, item) == after)

    improved = moved(YesNoUnknown.NO, YesNoUnknown.YES)
    return {"societal_pair": True, "improved": improved,
            "societal_improved": bool(improved) and not moved(YesNoUnknown.YES,
                                                              YesNoUnknown.NO)}


def _new_start_facts(trajectory: TrajectoryRow, later: list[LaterStartRow]) -> dict:
    if trajectory.ended_on is None:
        return {}
    starts = [r.start_date for r in later if r.start_date >= trajectory.ended_on]
    first = min(starts, default=None)
    return {"next_start_on": first, "new_start_within_window":
            first is not None and first <= trajectory.ended_on + NEW_START_WINDOW}


def facts_of(data: IndicatorData) -> list[TrajectoryFacts]:
    """Each trajectory's facts from its rows."""
    rows: dict[str, dict[int, list]] = {name: defaultdict(list) for name in ROW_LISTS}
    for name in ROW_LISTS:
        for row in getattr(data, name):
            rows[name][row.trajectory_id].append(row)
    facts = []
    for t in data.trajectories:
        measurements = rows["measurements"][t.id]
        ends = [m for m in measurements if m.moment == MeasurementMoment.END]
        facts.append(TrajectoryFacts(
            trajectory=t, **_satisfaction_facts(ends), **_answer_facts(ends),
            **_goal_facts(rows["goals"][t.id]), **_societal_facts(measurements),
            **_new_start_facts(t, rows["later_starts"][t.id]),
            cost_cents=data.costs.get(t.id, 0),
            upscalings=tuple(c.decided_on for c in rows["changes"][t.id]
                             if c.to_rank > c.from_rank)))
    return facts


# Sums over trajectories ------------------------------------------------------------------


@dataclass(frozen=True)
class Sums:
    """What the indicators of a group of trajectories are computed from. Sums add up: the
    region's are the sum of its groups'."""

    ended: int = 0  # the outcome base: ended in the period with 02 or 31-35
    handed_on: int = 0
    according_to_plan: int = 0
    drop_out: int = 0
    ended_by_provider: int = 0
    satisfaction_sum: int = 0
    satisfaction_count: int = 0
    satisfaction_trajectories: int = 0
    young_sum: int = 0
    young_count: int = 0
    parent_sum: int = 0
    parent_count: int = 0
    without_help_answered: int = 0
    without_help_yes: int = 0
    treatment_answered: int = 0
    treatment_solved: int = 0
    treatment_reduced: int = 0
    goals: int = 0
    goals_achieved: int = 0
    goals_partly: int = 0
    goal_trajectories: int = 0
    societal_pairs: int = 0
    societal_improved: int = 0
    improved_goes_to_school_or_work: int = 0
    improved_grows_up_at_home: int = 0
    improved_takes_part: int = 0
    improved_is_safe: int = 0
    settled: int = 0  # ended at least NEW_START_WINDOW ago
    restarted: int = 0  # of those: a new start within the window
    duration_days: int = 0
    duration_count: int = 0
    active: int = 0  # started on or before the period's end, not ended before its start
    upscaled: int = 0
    cost_cents: int = 0

    def __add__(self, other: "Sums") -> "Sums":
        return Sums(**{f.name: getattr(self, f.name) + getattr(other, f.name)
                       for f in fields(Sums)})


def is_active(t: TrajectoryRow, period: Period) -> bool:
    return (t.started_on is not None and t.started_on <= period.end
            and (t.ended_on is None or t.ended_on >= period.start))


def duration_days(t: TrajectoryRow) -> int | None:
    """Days from start to end, both counted."""
    if t.started_on is None or t.ended_on is None:
        return None
    return (t.ended_on - t.started_on).days + 1


def settled_before(today: date) -> date:
    """The last end day whose new-start window has passed."""
    return today - NEW_START_WINDOW


def sums_of(facts: list[TrajectoryFacts], period: Period, today: date) -> Sums:
    """The period's sums in Python, as the figures store sums its rows in SQL."""
    counts: dict[str, int] = defaultdict(int)
    for f in facts:
        t = f.trajectory
        counts["handed_on"] += t.ended_on in period and t.end_reason in HANDED_ON_REASONS
        if is_active(t, period):
            counts["active"] += 1
            counts["upscaled"] += sum(day is None or day in period for day in f.upscalings)
        if t.ended_on is None or not (t.ended_on in period and t.end_reason in OUTCOME_REASONS):
            continue
        counts["ended"] += 1
        counts["according_to_plan"] += t.end_reason == JZ588.ACCORDING_TO_PLAN
        counts["drop_out"] += t.end_reason == JZ588.EARLY_BY_CLIENT
        counts["ended_by_provider"] += t.end_reason == JZ588.EARLY_BY_PROVIDER
        for name in ("satisfaction_sum", "satisfaction_count", "young_sum", "young_count",
                     "parent_sum", "parent_count", "without_help_answered",
                     "without_help_yes", "treatment_answered", "treatment_solved",
                     "treatment_reduced", "goals", "goals_achieved", "goals_partly",
                     "societal_improved", "cost_cents"):
            counts[name] += getattr(f, name)
        counts["satisfaction_trajectories"] += f.satisfaction_count > 0
        counts["goal_trajectories"] += f.goals > 0
        counts["societal_pairs"] += f.societal_pair
        for item in f.improved:
            counts[f"improved_{item}"] += 1
        if t.ended_on <= settled_before(today):
            counts["settled"] += 1
            counts["restarted"] += f.new_start_within_window
        days = duration_days(t)  # None when the care never started
        if days is not None:
            counts["duration_days"] += days
            counts["duration_count"] += 1
    return Sums(**counts)


def indicators_from(s: Sums) -> Indicators:
    """The figures of a group from its sums: percentages, means and the small-group rule."""
    return Indicators(
        ended=s.ended,
        handed_on=s.handed_on,
        according_to_plan=percentage(s.according_to_plan, s.ended),
        drop_out=percentage(s.drop_out, s.ended),
        ended_by_provider=percentage(s.ended_by_provider, s.ended),
        satisfaction=mean_of(s.satisfaction_sum, s.satisfaction_count, Unit.MARK,
                             base=s.satisfaction_trajectories),
        satisfaction_young_person=mean_of(s.young_sum, s.young_count, Unit.MARK),
        satisfaction_parent=mean_of(s.parent_sum, s.parent_count, Unit.MARK),
        without_help=percentage(s.without_help_yes, s.without_help_answered),
        goals_achieved=percentage(s.goals_achieved, s.goals, base=s.goal_trajectories),
        goals_partly=percentage(s.goals_partly, s.goals, base=s.goal_trajectories),
        societal_improved=percentage(s.societal_improved, s.societal_pairs),
        treatment_achieved=percentage(s.treatment_solved, s.treatment_answered),
        treatment_partly=percentage(s.treatment_reduced, s.treatment_answered),
        **{f"improved_{item}": percentage(getattr(s, f"improved_{item}"), s.societal_pairs)
           for item in SOCIETAL_ITEMS},
        no_new_start=percentage(s.settled - s.restarted, s.settled),
        duration=mean_of(s.duration_days, s.duration_count, Unit.DAYS),
        upscaling=ratio(s.upscaled, s.active, Unit.RATE, per=100),
        cost_per_trajectory=ratio(s.cost_cents, s.ended, Unit.CENTS),
        cost_per_plan_end=ratio(s.cost_cents, s.according_to_plan, Unit.CENTS),
    )


def compute(data: IndicatorData, period: Period, today: date) -> Indicators:
    return indicators_from(sums_of(facts_of(data), period, today))


# Groups ----------------------------------------------------------------------------------


GROUPINGS: dict[str, Callable[[TrajectoryRow], int]] = {
    "provider": lambda t: t.provider_id,
    "arrangement": lambda t: t.arrangement_id,
    "municipality": lambda t: t.municipality_id,
}


def split(data: IndicatorData, key: Callable[[TrajectoryRow], Hashable]) -> dict:
    """The data per group of trajectories; every row goes with its trajectory."""
    group_of = {t.id: key(t) for t in data.trajectories}
    parts: dict[Hashable, IndicatorData] = defaultdict(IndicatorData)
    for t in data.trajectories:
        parts[group_of[t.id]].trajectories.append(t)
    for name in ROW_LISTS:
        for row in getattr(data, name):
            if row.trajectory_id in group_of:
                getattr(parts[group_of[row.trajectory_id]], name).append(row)
    for trajectory_id, cents in data.costs.items():
        if trajectory_id in group_of:
            parts[group_of[trajectory_id]].costs[trajectory_id] = cents
    return dict(parts)


def compute_by(data: IndicatorData, period: Period, today: date,
               key: Callable[[TrajectoryRow], Hashable]) -> dict:
    return {group: compute(part, period, today) for group, part in split(data, key).items()}
