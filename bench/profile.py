"""`python -m bench.profile PATH --email E`: one page of the bench database through the app's
test client, timed over many requests and profiled with pyinstrument (the Python left after
the SQL: templates, forms, formatting)."""

import argparse
import time

from pyinstrument import Profiler

from bench.dataset import bench_app, database_url
from bench.queries import signed_in_client


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("path")
    parser.add_argument("--email", required=True, help="the account that asks for the page")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--flat", action="store_true",
                        help="functions by their own time instead of the call tree")
    parser.add_argument("--html", help="also write pyinstrument's HTML report to this file")
    args = parser.parse_args()
    app = bench_app(database_url())
    client = signed_in_client(app, args.email)
    client.get(args.path)  # the first request of a process loads templates and more
    wall, cpu = time.perf_counter(), time.process_time()
    for _n in range(args.requests):
        response = client.get(args.path)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if response.status_code != 200:
        raise SystemExit(f"{args.path} answered {response.status_code}")
    # CPU time is this process's own (PostgreSQL's work is not in it) and, unlike the wall
    # clock, hardly moves with what else the machine's cores are doing.
    print(f"{args.path}: {cpu / args.requests * 1000:.1f} ms CPU, "
          f"{wall / args.requests * 1000:.1f} ms wall per request ({args.requests} requests), "
          f"{len(response.data):,} bytes")
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _n in range(args.requests):
            client.get(args.path)
    print(profiler.output_text(unicode=True, flat=args.flat))
    if args.html:
        with open(args.html, "w") as out:
            out.write(profiler.output_html())


if __name__ == "__main__":
    main()
