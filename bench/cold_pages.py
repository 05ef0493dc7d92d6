#!/usr/bin/env python3
"""Cold (uncached) time of each public page over the archive in DATABASE_URL.

    DATABASE_URL=postgres://…/portal_e .venv/bin/python bench/cold_pages.py [--rounds 30]

Fill the database first (`manage.py generate_archive --relations 200 --meetings 50000`).
Each page is asked --rounds times through Django's test client (the whole stack, no
network) with the page cache off, after one warm-up; p50 and p99 are printed (query
counts are pinned by tests/test_query_budgets.py). The pages: home, relations index, the
relations page and topic with the most meetings, the newest meeting, both feeds, the
sitemap, and searches. `--only WORD` measures the pages whose label holds WORD.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--only", default="", help="only the pages whose label holds this")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    os.environ["PORTAL_PAGE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.db.models import Count
    from django.test import Client
    from taggit.models import Tag

    from meetings.models import Meeting
    from relations.models import RelationsPage

    biggest = RelationsPage.objects.annotate(n=Count("meetings")).order_by("-n").first()
    topic = Tag.objects.annotate(n=Count("taggit_taggeditem_items")).order_by("-n").first()
    newest = Meeting.objects.published().order_by("-date").first()
    public = Meeting.objects.published().order_by("date")
    middle = public[public.count() // 2]
    pages = [
        ("home", "/"),
        ("relations index", "/relations/"),
        (f"relations page ({biggest.meetings.count()} meetings)", biggest.get_absolute_url()),
        (f"topic page ({topic.name})", f"/topics/{topic.slug}/"),
        ("meeting page (the newest)", newest.get_absolute_url()),
        (f"meeting page (from {middle.date.year})", middle.get_absolute_url()),
        ("RSS feed", "/meetings/feed/rss/"),
        ("Atom feed", "/meetings/feed/atom/"),
        ("sitemap index", "/sitemap.xml"),
        ("sitemap: a page of 500 meetings", "/sitemap-meetings.xml?p=50"),
        ("search: a word", "/search/?q=security"),
        ("search: a phrase", '/search/?q="economic security"'),
        ("search: a name", "/search/?q=Tanaka"),
    ]
    client = Client()
    print(f"{Meeting.objects.count():,} meetings; {args.rounds} rounds; cache off")
    print(f"{'page':45} {'status':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for label, url in pages:
        if args.only and args.only not in label:
            continue
        status = client.get(url).status_code
        times = request_times(client, url, args.rounds)
        p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
        print(f"{label:45} {status:>6} {statistics.median(times):8.1f} {p99:8.1f}", flush=True)


def request_times(client, url, rounds):
    """Milliseconds of each of `rounds` requests for the URL through the client, sorted."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


if __name__ == "__main__":
    main()
