"""How long `flask seed-demo` takes on a scratch SQLite file."""

import os
import subprocess
import sys
import tempfile
import time

from bench.server import ROOT


def time_seed_demo() -> float:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PORTAL_ENV": "development",
               "PORTAL_DATABASE_URL": f"sqlite:///{folder}/demo.sqlite"}
        flask = [sys.executable, "-m", "flask", "--app", "portal"]
        subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True,
                       capture_output=True)
        began = time.perf_counter()
        subprocess.run([*flask, "seed-demo"], env=env, cwd=ROOT, check=True,
                       capture_output=True)
        return round(time.perf_counter() - began, 1)
