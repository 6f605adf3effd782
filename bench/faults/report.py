"""The drills' figures as a table for the terminal and docs/reliability.md."""


def _statuses(tally: dict | None) -> str:
    if not tally:
        return ""
    return ", ".join(f"{status}: {count}" for status, count in tally["by_status"].items())


def summary(report: dict) -> str:
    lines = ["| drill | fault | answers (by status) | during the fault | recovery (s) | data |",
             "|---|---|---|---|---|---|"]
    for name, result in report["drills"].items():
        during = (result.get("answers_during_outage") or result.get("answers_while_down")
                  or result.get("answers_after_kill"))
        recovery = result.get("seconds_to_recovery")
        data = "consistent" if result["data"]["consistent"] else "NOT CONSISTENT"
        lines.append(f"| {name} | {result['fault']} | {_statuses(result.get('answers'))} | "
                     f"{_statuses(during)} | {'' if recovery is None else recovery} | {data} |")
    return "\n".join(lines)


def _errors(tally: dict | None) -> str:
    if not tally:
        return ""
    return (f"{tally['errors_dutch_with_headers']} Dutch with security headers, "
            f"{tally['errors_other']} not")


# Per drill, the further figures worth a line: (label, how to get it from the result).
_DETAILS = {
    "redis": [("workers that counted failed logins in their own memory",
               lambda r: r["workers_counting_in_process"])],
    "worker": [("the importing user got", lambda r: r["import_answer"]),
               ("rows of the import stored after the kill",
                lambda r: r["data_after_kill"]["import_rows_stored"]),
               ("a new worker forked after (s)", lambda r: r["seconds_to_new_worker"]),
               ("the same file again", lambda r: r["same_file_again"])],
    "master": [("restarts by the supervisor", lambda r: r["restarts_by_supervisor"]),
               ("new master started after (s)", lambda r: r["seconds_to_new_master"])],
    "postgres": [("error answers during the outage",
                  lambda r: _errors(r["answers_during_outage"])),
                 ("answers after the restart", lambda r: _statuses(r["answers_after_restart"])),
                 ("declaration submits as it stopped",
                  lambda r: _statuses(r["declaration_submits_as_it_stopped"]))],
    "backup": [("dump", lambda r: f"{r['dump_mib']} MiB in {r['seconds_dump']} s"),
               ("restore into a fresh database (s)", lambda r: r["seconds_restore"]),
               ("tables, rows", lambda r: f"{r['tables']}, {r['rows']}"),
               ("tables whose row count differs", lambda r: r["tables_differing"] or "none"),
               ("audit trail (rows) identical after restore",
                lambda r: f"{r['audit_trail']['rows']}: {r['audit_trail_restored_identical']}"),
               ("restored audit trail refuses UPDATE",
                lambda r: r["restored_audit_refuses_changes"])],
}


def details(report: dict) -> str:
    lines = []
    for name, result in report["drills"].items():
        for label, value in _DETAILS.get(name, []):
            lines.append(f"- {name}: {label}: {value(result)}")
    return "\n".join(lines)
