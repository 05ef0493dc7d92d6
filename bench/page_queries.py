#!/usr/bin/env python
"""In-process cost of pages: SQL queries per request and milliseconds per request.

    DJANGO_SETTINGS_MODULE=… python bench/page_queries.py --path DIR --out OUT.json URL…

Runs under either site's settings (DIR is put first on sys.path). Each URL is requested
once to warm up, once under CaptureQueriesContext (its SQL is kept), then --repeat more
times through Django's test client (full middleware, no network) for the median time.
"""

import argparse
import json
import statistics
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("urls", nargs="+")
    args = parser.parse_args()
    sys.path.insert(0, args.path)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for url in args.urls:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        # Read the SQL now: the next request clears the connection's query log.
        sql = [q["sql"][:300] for q in captured.captured_queries]
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - t0)
        results[url] = {
            "status": response.status_code,
            "bytes": len(response.content),
            "queries": len(sql),
            "sql": sql,
            "median_ms": statistics.median(times) * 1000,
        }
    with open(args.out, "w") as out:
        json.dump(results, out, indent=1)


if __name__ == "__main__":
    main()
