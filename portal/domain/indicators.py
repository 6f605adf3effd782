"""Steering indicators over ended trajectories, as domain.md section 11 defines them.

Pure functions over rows that portal.domain.indicator_queries fetches: no database here, so
every figure can be worked out by hand. Percentages and means are Decimals rounded half up;
a figure whose base holds fewer than MIN_BASE trajectories carries no value at all.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from portal.domain.codes import JZ588
from portal.domain.figures import Figure, Period, Unit, mean, percentage, ratio
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
    """A change request approved in the period, with the intensity ranks from and to."""

    trajectory_id: int
    from_rank: int
    to_rank: int


@dataclass(frozen=True)
class IndicatorData:
    trajectories: list[TrajectoryRow] = field(default_factory=list)
    measurements: list[MeasurementRow] = field(default_factory=list)
    goals: list[GoalRow] = field(default_factory=list)
    later_starts: list[LaterStartRow] = field(default_factory=list)
    changes: list[ChangeRow] = field(default_factory=list)
    costs: dict[int, int] = field(default_factory=dict)  # approved debit - credit per trajectory


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


def _end_reasons(ended: list[TrajectoryRow]) -> dict:
    def share(reason: JZ588) -> Figure:
        return percentage(sum(t.end_reason == reason for t in ended), len(ended))

    return {"according_to_plan": share(JZ588.ACCORDING_TO_PLAN),
            "drop_out": share(JZ588.EARLY_BY_CLIENT),
            "ended_by_provider": share(JZ588.EARLY_BY_PROVIDER)}


def _satisfaction(ends: list[MeasurementRow]) -> dict:
    marked = [m for m in ends if m.satisfaction is not None]

    def marks(informant: Informant) -> list[int]:
        return [m.satisfaction for m in marked if m.informant == informant]

    return {"satisfaction": mean([m.satisfaction for m in marked], Unit.MARK,
                                 base=len({m.trajectory_id for m in marked})),
            "satisfaction_young_person": mean(marks(Informant.YOUNG_PERSON), Unit.MARK),
            "satisfaction_parent": mean(marks(Informant.PARENT), Unit.MARK)}


def _without_help(ends: list[MeasurementRow]) -> dict:
    answers: dict[int, dict] = defaultdict(dict)
    for m in ends:
        if m.without_help is not None:
            answers[m.trajectory_id][m.informant] = m.without_help
    chosen = [_preferred(by_informant) for by_informant in answers.values()]
    return {"without_help": percentage(sum(a in WITHOUT_HELP for a in chosen), len(chosen))}


def _treatment(ends: list[MeasurementRow]) -> dict:
    """The treatment result of one informant per trajectory: problems solved is the
    treatment goal achieved, problems reduced is partly achieved."""
    answers: dict[int, dict] = defaultdict(dict)
    for m in ends:
        if m.treatment_result is not None:
            answers[m.trajectory_id][m.informant] = m.treatment_result
    chosen = [_preferred(by_informant) for by_informant in answers.values()]
    return {"treatment_achieved": percentage(chosen.count(TreatmentResult.SOLVED), len(chosen)),
            "treatment_partly": percentage(chosen.count(TreatmentResult.REDUCED), len(chosen))}


def _goals(goals: list[GoalRow]) -> dict:
    scores: dict[int, dict] = defaultdict(dict)
    trajectories = set()
    for g in goals:
        trajectories.add(g.trajectory_id)
        if g.score is not None:
            scores[g.goal_id][g.informant] = g.score
    chosen = [_preferred(scores[goal_id]) for goal_id in {g.goal_id for g in goals}]
    return {"goals_achieved": percentage(chosen.count(GoalScore.ACHIEVED), len(chosen),
                                         base=len(trajectories)),
            "goals_partly": percentage(chosen.count(GoalScore.PARTLY), len(chosen),
                                       base=len(trajectories))}


def _societal(measurements: list[MeasurementRow]) -> dict:
    """Start against end of one informant per trajectory (the young person where both
    moments are there for them, else the parent)."""
    by_trajectory: dict[int, dict] = defaultdict(lambda: defaultdict(dict))
    for m in measurements:
        if m.moment != MeasurementMoment.INTERIM:
            by_trajectory[m.trajectory_id][m.informant][m.moment] = m
    pairs = [_preferred({i: (ms[MeasurementMoment.START], ms[MeasurementMoment.END])
                         for i, ms in informants.items() if len(ms) == 2})
             for informants in by_trajectory.values()]
    pairs = [p for p in pairs if p]

    def moved(item: str, before: YesNoUnknown, after: YesNoUnknown) -> list[bool]:
        return [getattr(s, item) == before and getattr(e, item) == after for s, e in pairs]

    improved = {item: moved(item, YesNoUnknown.NO, YesNoUnknown.YES) for item in SOCIETAL_ITEMS}
    worsened = {item: moved(item, YesNoUnknown.YES, YesNoUnknown.NO) for item in SOCIETAL_ITEMS}
    overall = [any(improved[i][n] for i in SOCIETAL_ITEMS)
               and not any(worsened[i][n] for i in SOCIETAL_ITEMS) for n in range(len(pairs))]
    return {"societal_improved": percentage(sum(overall), len(pairs)),
            **{f"improved_{item}": percentage(sum(improved[item]), len(pairs))
               for item in SOCIETAL_ITEMS}}


def _no_new_start(ended: list[TrajectoryRow], later: list[LaterStartRow], today: date) -> dict:
    settled = [t for t in ended if t.ended_on + NEW_START_WINDOW <= today]
    ended_on = {t.id: t.ended_on for t in settled}
    restarted = {r.trajectory_id for r in later if r.trajectory_id in ended_on
                 and ended_on[r.trajectory_id] <= r.start_date
                 <= ended_on[r.trajectory_id] + NEW_START_WINDOW}
    return {"no_new_start": percentage(len(settled) - len(restarted), len(settled))}


def _duration(ended: list[TrajectoryRow]) -> dict:
    days = [(t.ended_on - t.started_on).days + 1 for t in ended if t.started_on]
    return {"duration": mean(days, Unit.DAYS)}


def _upscaling(trajectories: list[TrajectoryRow], changes: list[ChangeRow],
               period: Period) -> dict:
    active = {t.id for t in trajectories if t.started_on and t.started_on <= period.end
              and (t.ended_on is None or t.ended_on >= period.start)}
    upscaled = sum(c.to_rank > c.from_rank for c in changes if c.trajectory_id in active)
    return {"upscaling": ratio(upscaled, len(active), Unit.RATE, per=100)}


def _costs(ended: list[TrajectoryRow], costs: dict[int, int]) -> dict:
    total = sum(costs.get(t.id, 0) for t in ended)
    by_plan = sum(t.end_reason == JZ588.ACCORDING_TO_PLAN for t in ended)
    return {"cost_per_trajectory": ratio(total, len(ended), Unit.CENTS),
            "cost_per_plan_end": ratio(total, by_plan, Unit.CENTS)}


def compute(data: IndicatorData, period: Period, today: date) -> Indicators:
    ended = [t for t in data.trajectories
             if t.ended_on in period and t.end_reason in OUTCOME_REASONS]
    ids = {t.id for t in ended}
    measurements = [m for m in data.measurements if m.trajectory_id in ids]
    ends = [m for m in measurements if m.moment == MeasurementMoment.END]
    return Indicators(
        ended=len(ended),
        handed_on=sum(t.ended_on in period and t.end_reason in HANDED_ON_REASONS
                      for t in data.trajectories),
        **_end_reasons(ended),
        **_satisfaction(ends),
        **_without_help(ends),
        **_goals([g for g in data.goals if g.trajectory_id in ids]),
        **_societal(measurements),
        **_treatment(ends),
        **_no_new_start(ended, data.later_starts, today),
        **_duration(ended),
        **_upscaling(data.trajectories, data.changes, period),
        **_costs(ended, data.costs),
    )


# Groups ----------------------------------------------------------------------------------


GROUPINGS: dict[str, Callable[[TrajectoryRow], int]] = {
    "provider": lambda t: t.provider_id,
    "arrangement": lambda t: t.arrangement_id,
    "municipality": lambda t: t.municipality_id,
}


ROW_LISTS = ("measurements", "goals", "later_starts", "changes")


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
