"""Settings read the environment as the README says."""

import json
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


class CacheSettingsTests(SimpleTestCase):
    def caches_with(self, **environment):
        code = "from django.conf import settings; import json; print(json.dumps(settings.CACHES))"
        env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CACHE_URL"}}
        return subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings", **environment},
            capture_output=True,
            text=True,
            timeout=60,
        )

    def test_redis_url_shares_every_cache_under_its_own_prefix(self):
        for name in ("REDIS_URL", "CACHE_URL"):
            with self.subTest(name=name):
                run = self.caches_with(DJANGO_SECRET_KEY="k", **{name: "redis://10.0.0.5:6379/1"})
                caches = json.loads(run.stdout)
                self.assertEqual(set(caches), {"default", "pages", "searches"})
                self.assertEqual(
                    {c["BACKEND"] for c in caches.values()},
                    {"portal.redis_cache.ReusingRedisCache"},
                )
                self.assertEqual(
                    {c["LOCATION"] for c in caches.values()}, {"redis://10.0.0.5:6379/1"}
                )
                self.assertEqual(len({c["KEY_PREFIX"] for c in caches.values()}), 3)

    def test_without_redis_each_process_keeps_its_own(self):
        caches = json.loads(self.caches_with(DJANGO_SECRET_KEY="k").stdout)
        self.assertEqual(
            {c["BACKEND"] for c in caches.values()},
            {"django.core.cache.backends.locmem.LocMemCache"},
        )

    def test_a_cache_url_that_is_not_redis_is_refused(self):
        run = self.caches_with(DJANGO_SECRET_KEY="k", CACHE_URL="memcached://127.0.0.1:11211")
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("must name a Redis server", run.stderr)
