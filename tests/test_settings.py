"""Settings read the environment as the README says."""

import os
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[1]


def django_check(**environment):
    """`manage.py check` with DEBUG off, no secret key in the environment, and these."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DJANGO_SECRET_KEY_FILE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


class SecretKeyTests(SimpleTestCase):
    def test_a_key_file_serves_as_the_key_so_commands_work_after_make_run(self):
        key_file = ROOT / "tests" / ".test-secret-key"
        key_file.write_text("a-key-from-a-file-" + "x" * 40 + "\n")
        self.addCleanup(key_file.unlink)
        result = django_check(DJANGO_SECRET_KEY_FILE=str(key_file))
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_without_a_key_the_message_says_what_to_set(self):
        result = django_check(DJANGO_SECRET_KEY_FILE=str(ROOT / "no-such-key-file"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DJANGO_SECRET_KEY_FILE", result.stderr)
        self.assertIn("no-such-key-file", result.stderr)
