"""Two hosts behind HAProxy on one machine, proven: `python -m bench.multihost`."""
