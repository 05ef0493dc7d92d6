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


def main(path, pairs):
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from tests import factories
    from tests.meetings.test_simultaneous_saves import save_a_pair_at_once

    setup_test_environment()
    call_command("migrate", verbosity=0)
    editor = factories.staff_user("erin")
    page = factories.relations_page()
    results = []
    for round in range(pairs):
        statuses, both_kept = save_a_pair_at_once(editor, page, round)
        results.append({"statuses": statuses, "both_kept": both_kept})
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
