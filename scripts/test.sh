#!/usr/bin/env bash
# `make test`: lint, the suite on SQLite, the browser suite, the suite on PostgreSQL (when
# PORTAL_TEST_DATABASE_URL is set), overlapped so that the two cores are never idle
# (docs/testing.md, "Wall time"):
#   1. lint beside the SQLite pass (mypy and bandit use one core for about 30 s);
#   2. the PostgreSQL pass beside the browser suite, at the lowest priority, so that the
#      live portal and Chromium get the CPU they ask for and the pass takes what is left.
# A pass that runs in the background writes to a log, printed when it ends; the exit code is
# that of the first failure.
set -uo pipefail
cd "$(dirname "$0")/.."
# Bytecode and pytest's rewritten test modules are cached in __pycache__ (git ignores it): the
# first pass writes them, the three processes after it read them instead of compiling again
# (about 4 s each). Some environments switch caching off; the suite needs no such switch.
unset PYTHONDONTWRITEBYTECODE
BIN=.venv/bin
workers="${TEST_WORKERS:-2}"
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
failed=0

finish() {  # finish <name> <pid>: wait for a background part, show its log, keep its status
  local status=0
  wait "$2" || status=$?
  echo "== $1 (exit $status)"
  cat "$logs/$1.log"
  [ "$status" -eq 0 ] || { [ "$failed" -ne 0 ] || failed=$status; }
}

run() {  # run <command...>: a foreground part
  "$@" || { local status=$?; [ "$failed" -ne 0 ] || failed=$status; }
}

${MAKE:-make} --no-print-directory lint >"$logs/lint.log" 2>&1 &
lint=$!
echo "== the suite on SQLite"
run env -u PORTAL_TEST_DATABASE_URL "$BIN/pytest" -n "$workers" -m "not browser"
finish lint "$lint"

if [ -n "${PORTAL_TEST_DATABASE_URL:-}" ]; then
  nice -n 19 "$BIN/pytest" -n "$workers" -m "not browser" >"$logs/postgresql.log" 2>&1 &
  postgresql=$!
else
  echo "PORTAL_TEST_DATABASE_URL is not set: PostgreSQL run skipped (.ci/run sets it)."
fi
echo "== the browser suite"
run env -u PORTAL_TEST_DATABASE_URL "$BIN/pytest" tests/browser
[ -z "${postgresql:-}" ] || finish postgresql "$postgresql"
exit "$failed"
