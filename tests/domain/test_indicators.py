"""Each indicator on a small hand-made data set; the expected figures are worked out here."""

from datetime import date
from decimal import Decimal

import pytest

from portal.domain.codes import JZ588
from portal.domain.figures import Period, Unit, percentage
from portal.domain.indicators import (
    SPECS,
    ChangeRow,
    GoalRow,
    IndicatorData,
    Indicators,
    LaterStartRow,
    MeasurementRow,
    TrajectoryRow,
    compute,
    compute_by,
)
from portal.domain.lists import (
    GoalScore,
    Informant,
    MeasurementMoment,
    TreatmentResult,
    WithoutHelp,
    YesNoUnknown,
)

PERIOD = Period(date(2026, 1, 1), date(2026, 12, 31))
TODAY = date(2026, 11, 20)
YOUNG, PARENT = Informant.YOUNG_PERSON, Informant.PARENT
START, END = MeasurementMoment.START, MeasurementMoment.END
Y, N, U = YesNoUnknown.YES, YesNoUnknown.NO, YesNoUnknown.UNKNOWN
PLAN, CLIENT, PROVIDER = (JZ588.ACCORDING_TO_PLAN, JZ588.EARLY_BY_CLIENT,
                          JZ588.EARLY_BY_PROVIDER)


def traject(id_, reason=PLAN, ended=date(2026, 6, 30), started=date(2026, 1, 1), provider=1,
            arrangement=1, municipality=1) -> TrajectoryRow:
    return TrajectoryRow(id=id_, client_id=id_, provider_id=provider,
                         municipality_id=municipality, arrangement_id=arrangement,
                         started_on=started, ended_on=ended if reason else None,
                         end_reason=reason)


def ended(n: int, **values) -> list[TrajectoryRow]:
    return [traject(i, **values) for i in range(1, n + 1)]


def end(trajectory_id, informant=YOUNG, satisfaction=None, without_help=None,
        items=(N, N, N, N), moment=END, treatment=None) -> MeasurementRow:
    return MeasurementRow(trajectory_id, moment, informant, *items, satisfaction=satisfaction,
                          without_help=without_help, treatment_result=treatment)


def start(trajectory_id, informant=YOUNG, items=(N, N, N, N)) -> MeasurementRow:
    return end(trajectory_id, informant, items=items, moment=START)


def figures(data: IndicatorData, period=PERIOD) -> Indicators:
    return compute(data, period, TODAY)


def test_end_reasons_over_the_outcome_base():
    data = IndicatorData(trajectories=[
        *(traject(i, PLAN) for i in (1, 2, 3, 4)),
        traject(5, CLIENT), traject(6, CLIENT), traject(7, PROVIDER),
        traject(8, JZ588.EARLY_BY_AGREEMENT), traject(9, JZ588.DECEASED),
        traject(10, JZ588.BY_MUNICIPALITY), traject(11, JZ588.OTHER_PROVIDER),  # handed on
        traject(12, PLAN, ended=date(2025, 12, 31)),  # before the period
        traject(13, reason=None),  # still running
    ])
    result = figures(data)
    # Base: 1-9 (02 and 31-35) = 9; 36 and 38 are counted apart.
    assert (result.ended, result.handed_on) == (9, 2)
    assert result.according_to_plan.value == Decimal("44.4")  # 4 / 9 = 44.44%
    assert result.drop_out.value == Decimal("22.2")  # 2 / 9 = 22.22%
    assert result.ended_by_provider.value == Decimal("11.1")  # 1 / 9 = 11.11%
    assert result.according_to_plan.base == 9


def test_percentages_round_half_up_without_float_drift():
    # 1 / 16 = 6.25%: half up gives 6.3 (float rounding would give 6.2).
    assert percentage(1, 16).value == Decimal("6.3")
    data = IndicatorData(trajectories=[traject(1, CLIENT), *(traject(i) for i in range(2, 17))])
    assert figures(data).drop_out.value == Decimal("6.3")


def test_small_groups_are_too_small_to_judge_never_a_percentage():
    four = figures(IndicatorData(trajectories=ended(4)))
    assert four.ended == 4
    for spec in SPECS:
        figure = getattr(four, spec.name)
        assert figure.too_small and figure.value is None, spec.name
    five = figures(IndicatorData(trajectories=ended(5)))
    assert not five.according_to_plan.too_small
    assert five.according_to_plan.value == Decimal("100.0")  # 5 / 5


def test_satisfaction_per_informant_and_combined():
    data = IndicatorData(
        trajectories=[*ended(6), traject(7, reason=None)],
        measurements=[
            end(1, YOUNG, 8), end(1, PARENT, 7), end(2, YOUNG, 6), end(3, PARENT, 9),
            end(4, YOUNG, 7), end(4, PARENT, 5), end(5, YOUNG, 9), end(6, YOUNG, 10),
            end(6, PARENT, 8),
            end(7, YOUNG, 1),  # trajectory 7 has not ended: not counted
            start(1, YOUNG),  # no mark at the start
        ])
    result = figures(data)
    # Young people: 8 + 6 + 7 + 9 + 10 = 40 over 5 marks = 8.0
    assert (result.satisfaction_young_person.value, result.satisfaction_young_person.base) == (
        Decimal("8.0"), 5)
    # Parents: 7, 9, 5, 8: 4 marks, fewer than 5
    assert result.satisfaction_parent.too_small and result.satisfaction_parent.value is None
    # Combined: 40 + 29 = 69 over 9 marks = 7.67 -> 7.7, resting on 6 trajectories
    assert (result.satisfaction.value, result.satisfaction.base) == (Decimal("7.7"), 6)
    assert result.satisfaction.unit == Unit.MARK


def test_without_help_takes_one_answer_per_trajectory():
    data = IndicatorData(trajectories=ended(7), measurements=[
        end(1, YOUNG, without_help=WithoutHelp.NONE),  # counts (04) ...
        end(1, PARENT, without_help=WithoutHelp.SAME_OR_HEAVIER),  # ... before the parent
        end(2, PARENT, without_help=WithoutHelp.NONE_NOW),  # only the parent: 03 counts
        end(3, YOUNG, without_help=WithoutHelp.LIGHTER),  # 02: not without help
        end(4, YOUNG),  # the young person did not answer ...
        end(4, PARENT, without_help=WithoutHelp.NONE),  # ... so the parent's 04 counts
        end(5, YOUNG, without_help=WithoutHelp.SAME_OR_HEAVIER),  # 01
        # trajectory 6: no end measurement, not in the base
        end(7, YOUNG, without_help=WithoutHelp.NONE_NOW), end(7, PARENT,
                                                              without_help=WithoutHelp.NONE_NOW),
    ])
    result = figures(data).without_help
    # Base: trajectories 1, 2, 3, 4, 5, 7 = 6; 03 or 04: 1, 2, 4, 7 = 4; 4 / 6 = 66.67%
    assert (result.value, result.base) == (Decimal("66.7"), 6)


SOLVED, REDUCED, UNCHANGED, WORSE = (TreatmentResult.SOLVED, TreatmentResult.REDUCED,
                                     TreatmentResult.UNCHANGED, TreatmentResult.WORSE)


def test_treatment_result_takes_one_answer_per_trajectory():
    data = IndicatorData(trajectories=[*ended(8), traject(9, JZ588.OTHER_PROVIDER)],
                         measurements=[
        end(1, YOUNG, treatment=SOLVED), end(1, PARENT, treatment=WORSE),  # the young: solved
        end(2, PARENT, treatment=SOLVED),  # only the parent: solved
        end(3, YOUNG, treatment=REDUCED),  # partly
        end(4, YOUNG), end(4, PARENT, treatment=REDUCED),  # the parent's: partly
        end(5, YOUNG, treatment=UNCHANGED),  # not achieved
        end(6, YOUNG, treatment=WORSE), end(6, PARENT, treatment=SOLVED),  # young: worse
        # trajectory 7: an end measurement without a treatment result, not in the base
        end(7, YOUNG),
        # trajectory 8: no end measurement; 9: handed on, not in the outcome base
        end(9, YOUNG, treatment=SOLVED),
        end(3, YOUNG, treatment=SOLVED, moment=START),  # a start measurement does not count
    ])
    result = figures(data)
    # Base: 1-6 = 6; solved: 1, 2 = 2 / 6 = 33.33%; reduced: 3, 4 = 2 / 6 = 33.33%
    assert (result.treatment_achieved.value, result.treatment_achieved.base) == (
        Decimal("33.3"), 6)
    assert (result.treatment_partly.value, result.treatment_partly.base) == (Decimal("33.3"), 6)


def test_treatment_result_of_fewer_than_five_trajectories_is_too_small():
    data = IndicatorData(trajectories=ended(5), measurements=[
        end(i, YOUNG, treatment=SOLVED) for i in (1, 2, 3, 4)])
    result = figures(data).treatment_achieved
    assert (result.too_small, result.value, result.base) == (True, None, 4)


def test_goals_achieved_and_partly_over_all_goals_of_ended_trajectories():
    A, P, X = GoalScore.ACHIEVED, GoalScore.PARTLY, GoalScore.NOT_ACHIEVED
    data = IndicatorData(trajectories=[*ended(6), traject(8, reason=None)], goals=[
        GoalRow(1, 11, YOUNG, A), GoalRow(1, 12, YOUNG, P),  # the young person's scores
        GoalRow(1, 11, PARENT, X), GoalRow(1, 12, PARENT, X),  # count before the parent's
        GoalRow(2, 21, PARENT, A),
        GoalRow(3, 31, YOUNG, A), GoalRow(3, 32, YOUNG, A), GoalRow(3, 33, YOUNG, X),
        GoalRow(4, 41),  # no end score: in the base, not achieved
        GoalRow(5, 51, YOUNG, P),
        GoalRow(8, 81, YOUNG, A),  # trajectory 8 runs: not counted
    ])  # trajectory 6 has no goals
    result = figures(data)
    # Goals: 2 + 1 + 3 + 1 + 1 = 8; achieved 11, 21, 31, 32 = 4 -> 50.0%; partly 12, 51 = 2
    assert (result.goals_achieved.value, result.goals_achieved.base) == (Decimal("50.0"), 5)
    assert result.goals_partly.value == Decimal("25.0")  # 2 / 8


def test_societal_result_start_against_end_per_item_and_overall():
    data = IndicatorData(trajectories=[*ended(6), traject(7, reason=None)], measurements=[
        # 1: school no -> yes, nothing worse: improved
        start(1, YOUNG, (N, Y, N, Y)), end(1, YOUNG, items=(Y, Y, N, Y)),
        # 2: the young person has no end, so the parent's pair: school and taking part improve
        start(2, YOUNG, (Y, Y, Y, Y)),
        start(2, PARENT, (N, N, N, N)), end(2, PARENT, items=(Y, N, Y, U)),
        # 3: school improves but safety worsens: not improved overall
        start(3, YOUNG, (N, Y, Y, Y)), end(3, YOUNG, items=(Y, Y, Y, N)),
        # 4: nothing changes
        start(4, YOUNG), end(4, YOUNG),
        # 5: home improves for the young person (preferred over the parent's pair)
        start(5, YOUNG, (Y, N, Y, Y)), end(5, YOUNG, items=(Y, Y, Y, Y)),
        start(5, PARENT, (Y, N, Y, Y)), end(5, PARENT, items=(Y, N, Y, Y)),
        # 6: only an end measurement: no pair, not in the base
        end(6, YOUNG, items=(Y, Y, Y, Y)),
        # 7 runs: not counted
        start(7, YOUNG), end(7, YOUNG, items=(Y, Y, Y, Y)),
    ])
    result = figures(data)
    # Base: pairs for 1-5 = 5
    assert result.improved_goes_to_school_or_work.value == Decimal("60.0")  # 1, 2, 3 = 3 / 5
    assert result.improved_grows_up_at_home.value == Decimal("20.0")  # 5 = 1 / 5
    assert result.improved_takes_part.value == Decimal("20.0")  # 2 = 1 / 5
    assert result.improved_is_safe.value == Decimal("0.0")  # none
    assert (result.societal_improved.value, result.societal_improved.base) == (
        Decimal("60.0"), 5)  # 1, 2, 5 = 3 / 5


def test_no_new_start_within_182_days_over_settled_ends():
    # Today is 20-11-2026; day 182 after 01-03-2026 is 30-08-2026.
    data = IndicatorData(
        trajectories=[
            traject(1, ended=date(2026, 3, 1)), traject(2, ended=date(2026, 3, 1)),
            traject(3, ended=date(2026, 3, 1)), traject(4, ended=date(2026, 4, 1)),
            traject(5, ended=date(2026, 5, 1)),
            traject(6, ended=date(2026, 5, 22)),  # + 182 days = today: settled
            traject(7, ended=date(2026, 5, 23)),  # + 182 days = tomorrow: not yet
            traject(8, JZ588.OTHER_PROVIDER, ended=date(2026, 2, 1)),  # handed on
        ],
        later_starts=[
            LaterStartRow(1, date(2026, 5, 1)),  # within: a new start
            LaterStartRow(2, date(2026, 8, 31)),  # day 183: too late to count
            LaterStartRow(3, date(2026, 8, 30)),  # day 182: a new start
            LaterStartRow(7, date(2026, 6, 1)),
            LaterStartRow(8, date(2026, 2, 1)),
        ])
    result = figures(data).no_new_start
    # Base: 1-6 = 6; without a new start: 2, 4, 5, 6 = 4; 4 / 6 = 66.67%
    assert (result.value, result.base) == (Decimal("66.7"), 6)


def test_mean_duration_counts_both_ends():
    data = IndicatorData(trajectories=[
        traject(1, started=date(2026, 1, 1), ended=date(2026, 1, 31)),  # 31 days
        traject(2, started=date(2026, 1, 1), ended=date(2026, 3, 31)),  # 90
        traject(3, started=date(2026, 2, 1), ended=date(2026, 2, 28)),  # 28
        traject(4, started=date(2026, 3, 1), ended=date(2026, 3, 1)),  # 1
        traject(5, started=date(2026, 1, 1), ended=date(2026, 6, 30)),  # 181
    ])
    # 31 + 90 + 28 + 1 + 181 = 331 days / 5 = 66.2 -> 66
    assert figures(data).duration.value == Decimal(66)


def test_upscaling_per_100_trajectories_active_in_the_period():
    period = Period(date(2026, 1, 1), date(2026, 6, 30))
    data = IndicatorData(
        trajectories=[
            traject(1, reason=None, started=date(2025, 6, 1)),  # active
            traject(2, started=date(2026, 2, 1), ended=date(2026, 5, 1)),  # active
            traject(3, started=date(2025, 1, 1), ended=date(2025, 12, 31)),  # ended before
            traject(4, reason=None, started=date(2026, 7, 1)),  # starts after
            traject(5, reason=None, started=None),  # never started
            *(traject(i, reason=None, started=date(2026, 1, 15)) for i in (6, 7, 8, 9)),
        ],
        changes=[
            ChangeRow(1, 1, 2), ChangeRow(2, 2, 3),  # upscaled
            ChangeRow(6, 2, 2), ChangeRow(7, 3, 2),  # extension, downscaling
            ChangeRow(3, 1, 2),  # not active in the period
        ])
    result = figures(data, period).upscaling
    # Active: 1, 2, 6, 7, 8, 9 = 6; upscaled 2; 2 x 100 / 6 = 33.33
    assert (result.value, result.base, result.unit) == (Decimal("33.3"), 6, Unit.RATE)


def test_cost_per_trajectory_and_per_trajectory_ended_according_to_plan():
    data = IndicatorData(
        trajectories=[traject(1), traject(2), traject(3, CLIENT), traject(4),
                      traject(5, PROVIDER), traject(6, JZ588.EARLY_BY_AGREEMENT),
                      traject(7, reason=None)],
        costs={1: 840000, 2: 504000, 3: 336000, 5: 100001, 6: 250607, 7: 999999})
    result = figures(data)
    # Total of 1-6 (4 has nothing approved): 2,030,608 cents
    assert result.cost_per_trajectory.value == Decimal(338435)  # / 6 = 338,434.67
    # Per trajectory ended according to plan it would be / 3 (1, 2, 4), but 3 < 5:
    assert result.cost_per_plan_end.base == 3 and result.cost_per_plan_end.too_small


def test_cost_per_plan_end_with_enough_plan_ends():
    data = IndicatorData(trajectories=[*ended(5), traject(6, CLIENT), traject(7, CLIENT)],
                         costs={**dict.fromkeys(range(1, 6), 100000), 6: 1, 7: 2})
    # 500,003 cents over 5 ended according to plan = 100,000.6 -> 100,001
    assert figures(data).cost_per_plan_end.value == Decimal(100001)


def test_figures_per_group_and_region_wide():
    trajectories = [*(traject(i, provider=1) for i in range(1, 6)),
                    *(traject(i, CLIENT, provider=2) for i in range(6, 9))]
    data = IndicatorData(trajectories=trajectories,
                         measurements=[end(1, YOUNG, 6), end(6, YOUNG, 2)],
                         costs={1: 500, 6: 700})
    by_provider = compute_by(data, PERIOD, TODAY, lambda t: t.provider_id)
    assert by_provider[1].according_to_plan.value == Decimal("100.0")  # 5 / 5
    assert by_provider[2].ended == 3 and by_provider[2].drop_out.too_small
    region = figures(data)
    assert region.drop_out.value == Decimal("37.5")  # 3 / 8
    assert region.cost_per_trajectory.value == Decimal(150)  # 1,200 / 8


@pytest.mark.parametrize("today, first", [
    (date(2026, 11, 20), date(2025, 11, 21)),
    (date(2028, 2, 29), date(2027, 3, 1)),
])
def test_default_period_is_the_last_twelve_months(today, first):
    assert Period.twelve_months_until(today) == Period(first, today)


def test_every_indicator_has_a_spec():
    from dataclasses import fields

    assert [s.name for s in SPECS] == [f.name for f in fields(Indicators)][2:]
