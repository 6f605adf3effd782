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
