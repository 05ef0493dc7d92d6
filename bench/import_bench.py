#!/usr/bin/env python3
"""How fast readouts import: parse, create, and update (re-import), per readout.

    .venv/bin/python bench/import_bench.py [--readouts 1000] [--database-url URL] [--publish]

Generates the readouts as `manage.py generate_archive --files` does, migrates a fresh database (a
temporary SQLite file unless --database-url names another, e.g. a throwaway PostgreSQL
database), loads the demo topics vocabulary so tagging is part of the work, then imports
every readout the way `import_readout` does: one transaction per readout. With --publish,
each import publishes its meeting too, as `import_readout --publish` does (the import
stands for the publication step, its revision, log row and cache retirement). It prints the
time and SQL queries per readout and writes bench/results/import-<timestamp>.json.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readouts", type=int, default=1000)
    parser.add_argument("--database-url", help="default: a fresh temporary SQLite file")
    parser.add_argument(
        "--publish",
        action="store_true",
        help="publish each meeting as it is imported, as `import_readout --publish` does",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="import-bench-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meetings import caching, topics, workflow
    from meetings.archive_generator.readouts import write_files
    from meetings.importing import Vocabulary, decode, parse_readout, save_readout
    from meetings.models import Meeting

    call_command("migrate", verbosity=0)
    if Meeting.objects.exists():
        sys.exit("the database is not empty: give a fresh one")
    for topic in json.loads((ROOT / "meetings" / "demo" / "topics.json").read_text()):
        topics.define_topic(topic["name"], "\n".join(topic["synonyms"]))

    write_files(workdir / "readouts", args.readouts)
    files = sorted((workdir / "readouts").glob("*.txt"))
    texts = [decode(path.read_bytes()) for path in files]
    vocabulary = Vocabulary.from_database()

    def timed(step):
        per_readout, cpu, query_counts, started = [], [], [], time.perf_counter()
        # As the command runs its files: cached pages retired once for the batch (at most
        # every couple of seconds), a cost the total includes.
        with caching.one_retirement_per_batch():
            for text in texts:
                connection.queries_log.clear()
                with CaptureQueriesContext(connection) as queries:
                    begin, begin_cpu = time.perf_counter(), time.process_time()
                    step(text)
                    per_readout.append((time.perf_counter() - begin) * 1000)
                    cpu.append((time.process_time() - begin_cpu) * 1000)
                query_counts.append(len(queries))
        total = time.perf_counter() - started
        return {
            "readouts": len(texts),
            "total_s": round(total, 3),
            "mean_ms": round(statistics.mean(per_readout), 3),
            "median_ms": round(statistics.median(per_readout), 3),
            "p95_ms": round(sorted(per_readout)[int(len(per_readout) * 0.95) - 1], 3),
            # This process's CPU alone (not the database server's): on a busy machine,
            # steadier than the time on the clock.
            "cpu_ms": round(statistics.mean(cpu), 3),
            "queries_per_readout": round(statistics.mean(query_counts), 1),
        }

    def import_one(text):
        save_readout(parse_readout(text, vocabulary), publish=args.publish, by=workflow.SITE)

    results = {
        "parse only": timed(lambda text: parse_readout(text, vocabulary)),
        "import (create)": timed(import_one),
        "import again (update)": timed(import_one),
    }
    assert Meeting.objects.count() == len(texts), "every readout should be one meeting"

    what = "imported and published" if args.publish else "imported as drafts"
    print(f"{len(texts)} readouts {what}, database: {connection.vendor}")
    print(
        f"{'step':24} {'ms/readout':>11} {'median':>8} {'p95':>8} {'cpu ms':>8} "
        f"{'queries':>8} {'total s':>8}"
    )
    for step, r in results.items():
        print(
            f"{step:24} {r['mean_ms']:11.2f} {r['median_ms']:8.2f} {r['p95_ms']:8.2f} "
            f"{r['cpu_ms']:8.2f} {r['queries_per_readout']:8.1f} {r['total_s']:8.2f}"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    (out / f"import-{stamp}.json").write_text(
        json.dumps(
            {"database": connection.vendor, "publish": args.publish, "results": results}, indent=2
        )
    )


if __name__ == "__main__":
    main()
