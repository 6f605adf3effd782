"""`make bench`: the portal at national scale, measured beside the framework's own ceiling.

Run with `python -m bench` (see bench/__main__.py and docs/performance.md).
"""
