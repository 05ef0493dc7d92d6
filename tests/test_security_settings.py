"""The production variables pass Django's deployment checks, and the HSTS settings read the
environment as the README says."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[1]


def deploy_check():
    """deploy/check-deploy: `check --deploy --fail-level WARNING` under deploy/env.example."""
    return subprocess.run(
        [ROOT / "deploy" / "check-deploy"],
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_with(*names, **environment):
    """The named settings, as a process started with only these variables reads them."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {list(names)!r}}}))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_SECRET_KEY": "k",
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


class DeployCheckTests(SimpleTestCase):
    def test_the_documented_production_variables_pass_check_deploy_without_a_warning(self):
        run = deploy_check()
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertIn("System check identified no issues", run.stdout)


class HstsSettingsTests(SimpleTestCase):
    def test_subdomains_and_preload_are_on_by_default_and_each_can_be_turned_off(self):
        names = ("SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD")
        self.assertEqual(
            settings_with(*names, DJANGO_HSTS_SECONDS="31536000"),
            dict.fromkeys(names, True),
        )
        self.assertEqual(
            settings_with(
                *names,
                DJANGO_HSTS_SECONDS="31536000",
                DJANGO_HSTS_INCLUDE_SUBDOMAINS="0",
                DJANGO_HSTS_PRELOAD="0",
            ),
            dict.fromkeys(names, False),
        )
