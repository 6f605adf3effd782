"""The fault drills' pure parts: what users got, when they got it back, the summary table."""

from bench.faults.report import details, summary
from bench.faults.traffic import Answer, first_success_after, recovery_seconds, tally


def answer(at, status, dutch=True, headers=True):
    return Answer(at, "page", status, dutch, headers)


ANSWERS = [answer(0.5, "200"), answer(1.0, "302"),
           answer(2.0, "503"), answer(2.5, "500", dutch=False, headers=False),
           answer(3.0, "no answer", False, False),
           answer(4.0, "200"), answer(4.5, "503"), answer(5.0, "200"), answer(6.0, "200")]


def test_answers_are_counted_by_status_and_errors_judged():
    assert tally(ANSWERS, 2.0, 4.0) == {
        "requests": 3, "by_status": {"500": 1, "503": 1, "no answer": 1},
        "errors_dutch_with_headers": 1, "errors_other": 1}
    assert tally(ANSWERS)["requests"] == len(ANSWERS)


def test_recovery_counts_until_answers_stay_good():
    # Back at 2.0: a good answer at 4.0, but a failure at 4.5; good for good from 5.0.
    assert recovery_seconds(ANSWERS, 2.0) == 3.0
    assert first_success_after(ANSWERS, 2.0) == 2.0
    # Nothing failed after 5.0: the first good answer counts.
    assert recovery_seconds(ANSWERS, 5.5) == 0.5
    assert recovery_seconds([answer(1.0, "503")], 0.0) is None


def test_summary_has_a_row_per_drill_and_flags_inconsistent_data():
    report = {"drills": {
        "postgres": {"fault": "PostgreSQL stopped for 10.0 s", "answers": tally(ANSWERS),
                     "answers_during_outage": tally(ANSWERS, 2.0, 4.0),
                     "seconds_to_recovery": 3.0, "data": {"consistent": True}},
        "worker": {"fault": "worker killed", "answers": tally(ANSWERS[:2]),
                   "seconds_to_recovery": 0.0, "data": {"consistent": False}}}}
    table = summary(report).splitlines()
    assert len(table) == 4
    assert table[2] == ("| postgres | PostgreSQL stopped for 10.0 s | 200: 4, 302: 1, 500: 1, "
                        "503: 2, no answer: 1 | 500: 1, 503: 1, no answer: 1 | 3.0 | "
                        "consistent |")
    assert table[3].endswith("| NOT CONSISTENT |")


def test_details_name_the_backup_figures():
    backup = {"fault": "backup", "dump_mib": 1.3, "seconds_dump": 1.1, "seconds_restore": 4.3,
              "tables": 27, "rows": 126951, "tables_differing": [],
              "audit_trail": {"rows": 33416}, "audit_trail_restored_identical": True,
              "restored_audit_refuses_changes": True, "data": {"consistent": True}}
    lines = details({"drills": {"backup": backup}}).splitlines()
    assert "- backup: dump: 1.3 MiB in 1.1 s" in lines
    assert "- backup: tables whose row count differs: none" in lines
    assert "- backup: audit trail (rows) identical after restore: 33416: True" in lines
