"""PORTAL_TWO_FACTOR_REQUIRED: publishers must in production, nobody by default under DEBUG."""

import os
import subprocess
import sys

from django.test import SimpleTestCase

from tests.test_settings import ROOT


def required_with(**environment):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_DEBUG", "PORTAL_TWO_FACTOR_REQUIRED"}
    }
    code = "from django.conf import settings; print(settings.PORTAL_TWO_FACTOR_REQUIRED)"
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_SECRET_KEY": "k"}
        | environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


class RequiredSettingTests(SimpleTestCase):
    def test_publishers_must_unless_debug_is_on(self):
        self.assertEqual(required_with().stdout.strip(), "publishers")
        self.assertEqual(required_with(DJANGO_DEBUG="1").stdout.strip(), "off")

    def test_the_environment_says_who_must(self):
        for value in ("staff", "off", "publishers", " Staff "):
            with self.subTest(value=value):
                run = required_with(PORTAL_TWO_FACTOR_REQUIRED=value)
                self.assertEqual(run.stdout.strip(), value.strip().lower())

    def test_an_unknown_value_is_refused_with_the_values_it_may_take(self):
        run = required_with(PORTAL_TWO_FACTOR_REQUIRED="editors")
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("PORTAL_TWO_FACTOR_REQUIRED is 'editors'", run.stderr)
        self.assertIn("'publishers', 'staff' or 'off'", run.stderr)


def passkey_settings_with(**environment):
    code = (
        "from django.conf import settings; "
        "print(settings.OTP_WEBAUTHN_RP_ID, *settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_SECRET_KEY": "k"}
        | environment,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.split()


class PasskeySettingsTests(SimpleTestCase):
    def test_passkeys_belong_to_the_sites_domain_by_default(self):
        self.assertEqual(
            passkey_settings_with(PORTAL_BASE_URL="https://www.mofa.example"),
            ["www.mofa.example", "https://www.mofa.example"],
        )

    def test_a_loopback_address_gives_localhost_never_an_address(self):
        self.assertEqual(
            passkey_settings_with(PORTAL_BASE_URL="http://127.0.0.1:8000"),
            ["localhost", "http://localhost:8000"],
        )

    def test_the_environment_names_the_domain_and_origins(self):
        self.assertEqual(
            passkey_settings_with(
                PORTAL_BASE_URL="https://www.mofa.example",
                PORTAL_WEBAUTHN_RP_ID="mofa.example",
                PORTAL_WEBAUTHN_ORIGINS="https://www.mofa.example, https://admin.mofa.example",
            ),
            ["mofa.example", "https://www.mofa.example", "https://admin.mofa.example"],
        )
