"""`python -m bench.faults` (make faults): fault drills against gunicorn, PostgreSQL and Redis on
this machine, each bounded in time, with what users got, the time to recovery and a check of
the data afterwards. See docs/reliability.md."""
