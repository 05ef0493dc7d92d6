#!/usr/bin/env python3
"""Time of the admin's busiest pages over the archive in DATABASE_URL, through Django's test
client (the whole stack, no network), signed in as a publisher.

    DATABASE_URL=postgres://…/portal_e .venv/bin/python bench/admin_pages.py [--rounds 8]

The pages: the meeting list, a meeting's change page, a search of the list, the editors'
desk (/admin/), and a page deep in the list. The publisher is the first superuser, or one
named with --user (`manage.py add_person NAME --role publisher` makes one).
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cold_pages import request_times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--user", help="a publisher's username (default: the first superuser)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault(
        "DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from meetings.models import Meeting

    users = get_user_model().objects
    user = users.get(username=args.user) if args.user else users.filter(is_superuser=True).first()
    if user is None:
        sys.exit("no superuser: name a publisher with --user")
    client = Client()
    client.force_login(user)
    meeting = Meeting.objects.published().order_by("-date").first()
    pages = [
        ("meeting list", "/admin/meetings/meeting/"),
        ("a meeting's change page", f"/admin/meetings/meeting/{meeting.pk}/change/"),
        ("list searched: a word", "/admin/meetings/meeting/?q=security"),
        ("editors' desk", "/admin/"),
        ("list, published, page 100", "/admin/meetings/meeting/?state__exact=published&p=100"),
    ]
    print(f"{Meeting.objects.count():,} meetings; {args.rounds} rounds")
    print(f"{'page':30} {'status':>6} {'p50 ms':>8} {'max ms':>8}")
    for label, url in pages:
        status = client.get(url).status_code
        times = request_times(client, url, args.rounds)
        print(f"{label:30} {status:>6} {statistics.median(times):8.1f} {times[-1]:8.1f}")


if __name__ == "__main__":
    main()
