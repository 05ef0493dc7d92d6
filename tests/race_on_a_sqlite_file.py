"""Two saves of one meeting at the same instant, on a real SQLite file, in a process of its own.

Run by tests/meetings/test_simultaneous_saves.py: the test database of a SQLite run lives in
memory, where threads share one cache whose locks fail at once instead of waiting, so the
race that matters (two connections to one file) is run here. Prints one JSON list of the
status pairs.

    python -m tests.race_on_a_sqlite_file FILE PAIRS
"""

import json
import os
import sys
from functools import partial


def main(path, pairs):
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tests import factories
    from tests.meetings.test_admin import meeting_form
    from tests.meetings.test_simultaneous_saves import at_once

    setup_test_environment()
    call_command("migrate", verbosity=0)
    editor = factories.staff_user("erin")
    page = factories.relations_page()
    results = []
    for round in range(pairs):
        meeting = factories.meeting(page, published=False, lead="On Monday, they met.")
        first, second = Client(), Client()
        first.force_login(editor)
        second.force_login(editor)
        title = meeting_form(first, meeting=meeting, title=f"A new title {round}")
        lead = meeting_form(second, meeting=meeting, lead="On Monday, the ministers met.")
        statuses = at_once(partial(title.submit, first), partial(lead.submit, second))
        meeting.refresh_from_db()
        both_kept = meeting.title == f"A new title {round}" and "ministers" in meeting.lead
        results.append({"statuses": sorted(statuses), "both_kept": both_kept})
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
