"""DJANGO_LOG_LEVEL governs Django's own loggers as well as the root logger.

(runserver's request log, `django.server`, stays at INFO as Django ships it.)
"""

import os
import subprocess
import sys

from django.conf import settings
from django.test import SimpleTestCase

REPORT_LEVELS = (
    "import logging; "
    "print(*(logging.getLevelName(logging.getLogger(name).getEffectiveLevel()) "
    "for name in ('', 'django', 'django.request', 'django.security.csrf')))"
)


def effective_levels(log_level=None):
    """Effective levels of the root, django, django.request and a django.security logger."""
    environ = {name: value for name, value in os.environ.items() if name != "DJANGO_LOG_LEVEL"}
    if log_level:
        environ["DJANGO_LOG_LEVEL"] = log_level
    finished = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", REPORT_LEVELS],
        cwd=settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return finished.stdout.split()


class LogLevelTests(SimpleTestCase):
    def test_django_request_logs_at_the_level_django_log_level_sets(self):
        for level in ("DEBUG", "ERROR"):
            with self.subTest(level=level):
                self.assertEqual(effective_levels(level), [level] * 4)

    def test_without_django_log_level_everything_logs_warnings(self):
        self.assertEqual(effective_levels(), ["WARNING"] * 4)
