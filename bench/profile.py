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
    parser.add_argument("--html", help="also write pyinstrument's HTML report to this file")
    args = parser.parse_args()
    app = bench_app(database_url())
    client = signed_in_client(app, args.email)
    client.get(args.path)  # the first request of a process loads templates and more
    profiler = Profiler(interval=0.0005)
    began = time.perf_counter()
    with profiler:
        for _n in range(args.requests):
            response = client.get(args.path)
    seconds = time.perf_counter() - began
    if response.status_code != 200:
        raise SystemExit(f"{args.path} answered {response.status_code}")
    print(f"{args.path}: {seconds / args.requests * 1000:.1f} ms per request "
          f"({args.requests} requests, profiled), {len(response.data):,} bytes")
    print(profiler.output_text(unicode=True, show_all=False))
    if args.html:
        with open(args.html, "w") as out:
            out.write(profiler.output_html())


if __name__ == "__main__":
    main()
