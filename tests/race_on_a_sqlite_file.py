"""Races on a real SQLite file, in a process of their own.

Run by tests/meetings/test_simultaneous_saves.py (two saves of one meeting at the same
instant) and tests/meetings/test_clock_on_every_server.py (clocks started together): the
test database of a SQLite run lives in memory, where threads share one cache whose locks
fail at once instead of waiting, so the races that matter (connections to one file) are run
here. Prints one JSON list, a result per round.

    python -m tests.race_on_a_sqlite_file FILE ROUNDS [saves|clock]
"""

import json
import os
import subprocess
import sys
from pathlib import Path


def run_in_its_own_process(path, rounds, race):
    """What a test calls: the race in a fresh process on the file `path`; its results."""
    run = subprocess.run(
        [sys.executable, "-m", "tests.race_on_a_sqlite_file", path, str(rounds), race],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def saves(rounds):
    from tests import factories
    from tests.meetings.test_simultaneous_saves import save_a_pair_at_once

    editor = factories.staff_user("erin")
    page = factories.relations_page()
    results = []
    for round in range(rounds):
        statuses, both_kept = save_a_pair_at_once(editor, page, round)
        results.append({"statuses": statuses, "both_kept": both_kept})
    return results


def clock(rounds):
    from tests import factories
    from tests.meetings.test_clock_on_every_server import race_the_clock

    page = factories.relations_page()
    return [race_the_clock(page, round) for round in range(rounds)]


def main(path, rounds, race="saves"):
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    # As tests/conftest.py has it: the races sign people in without a second factor.
    os.environ["PORTAL_TWO_FACTOR_REQUIRED"] = "off"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    print(json.dumps({"saves": saves, "clock": clock}[race](rounds)))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), *sys.argv[3:])
