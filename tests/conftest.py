import os

import pytest
from django.core.cache import caches
from hypothesis import settings as hypothesis_settings

# Property tests draw the same examples on every run, so that a failure in CI is the same
# failure on a laptop, and write nothing into the project. `HYPOTHESIS_PROFILE=explore`
# draws new examples each run and keeps failing ones in .hypothesis/ (ignored by git).
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
hypothesis_settings.register_profile("explore", print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads in tests go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Tests see every page rendered afresh, except the tests of the page cache itself.

    Factories write rows directly, without telling the cache that content changed."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    yield
    caches["pages"].clear()
    caches["searches"].clear()


@pytest.fixture(autouse=True)
def _two_factor_not_required(settings):
    """Tests sign staff in with `force_login`, which gives no second factor: nobody must
    have one, except in the tests of two-factor sign-in (tests/second_factor/), which say so.
    Those who set up an app are still asked for its code."""
    settings.PORTAL_TWO_FACTOR_REQUIRED = "off"


@pytest.fixture
def browser(monkeypatch):
    """Chromium, driven by Playwright, for the tests of pages in a real browser."""
    from pathlib import Path

    from tests.test_pages_in_a_browser import CHROMIUM, CHROMIUM_ARGS, require

    require(Path(CHROMIUM).exists(), "Chromium")
    playwright = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
