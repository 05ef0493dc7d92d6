"""Public pages are valid HTML (Nu HTML Checker) and pass axe's WCAG 2.1 AA rules in Chromium.

The checkers are outside Python: Debian's Chromium, and the npm packages vnu-jar and
axe-core (`make tools` installs them into .tools/). Without them these tests skip, unless
REQUIRE_BROWSER_TESTS is set, as CI sets it: there a missing tool fails the suite.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from meetings import workflow
from meetings.search import indexing
from tests import factories

TOOLS = Path(__file__).resolve().parents[1] / ".tools" / "node_modules"
VNU_JAR = Path(os.environ.get("VNU_JAR", TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"))
AXE_JS = Path(os.environ.get("AXE_JS", TOOLS / "axe-core" / "axe.min.js"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def log_in(browser, live_server, username, password):
    """A page in a browser context of its own, logged into the admin."""
    page = browser.new_context().new_page()
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    return page


def start_meeting(page, live_server, *, page_title="Japan-Atlantis Relations"):
    """Open the admin's add form and fill in the meeting's heading fields."""
    page.goto(live_server.url + reverse("admin:meetings_meeting_add"))
    page.click("#id_relations_page + .select2 .select2-selection")
    page.fill(".select2-search__field", page_title.split("-")[1].split()[0])
    page.click(f".select2-results__option:has-text('{page_title}')")
    page.fill("#id_title", "Japan-Atlantis Foreign Ministers’ Meeting")
    page.select_option("#id_meeting_type", label="Foreign ministers’ meeting")
    page.fill("#id_date", "2024-06-03")
    page.fill("#id_lead", "On June 3, the two ministers met.")


def require(available, what):
    if available:
        return
    if os.environ.get("REQUIRE_BROWSER_TESTS"):
        pytest.fail(f"{what} is missing; run `make tools`")
    pytest.skip(f"{what} is missing; run `make tools`")


@pytest.fixture
def site(db):
    region = factories.region("Asia")
    page = factories.relations_page("India", region=region, slug="india")
    meeting = factories.full_meeting(page, tags=["North Korea", "G7"])
    meeting.photo_sessions.create(
        caption="Handshake",
        alt_text="The two ministers shake hands",
        credit="Cabinet Public Affairs Office",
        position=99,
        image=factories.uploaded_gif("handshake.gif"),
    )
    indexing.index_missing()  # factories write meetings without their search documents
    withdrawn = factories.meeting(page, title="A withdrawn readout")
    workflow.take_down(
        withdrawn, by=workflow.SITE, kind="withdrawn", note="It named the wrong minister."
    )
    return [
        withdrawn.get_absolute_url(),
        reverse("meetings:home"),
        reverse("relations:index"),
        page.get_absolute_url(),
        meeting.get_absolute_url(),
        reverse("meetings:archive"),
        reverse("meetings:archive-year", args=[meeting.date.year]),
        reverse("meetings:topics"),
        reverse("meetings:topic", args=["north-korea"]),
        "/no-such-page/",
        reverse("meetings:search") + "?q=item&region=" + region.slug,
        "/ja" + reverse("meetings:search") + "?q=item",
    ]


def test_public_pages_are_valid_html(site, client, tmp_path):
    java = shutil.which("java")
    require(java and VNU_JAR.exists(), "java with the Nu HTML Checker (vnu.jar)")
    files = []
    for number, url in enumerate(site):
        path = tmp_path / f"page-{number}.html"
        path.write_bytes(client.get(url).content)
        files.append(str(path))
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    problems = [
        f"{site[files.index(m['url'].removeprefix('file:'))]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
    ]
    assert problems == []


def test_public_pages_pass_axe(site, live_server, monkeypatch):
    require(Path(CHROMIUM).exists() and AXE_JS.exists(), "Chromium and axe-core")
    playwright = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    axe = AXE_JS.read_text()
    violations = {}
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        for url in site:
            page.goto(live_server.url + url)
            page.add_script_tag(content=axe)
            result = page.evaluate(
                "async () => await axe.run(document, {runOnly: "
                "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']})"
            )
            if result["violations"]:
                violations[url] = [(v["id"], v["help"]) for v in result["violations"]]
        browser.close()
    assert violations == {}
