"""Public pages, in English and Japanese, are valid HTML (Nu HTML Checker), pass axe's WCAG
2.2 AA rules in Chromium, and fit a 375 px phone.

The checkers are outside Python: Debian's Chromium, and the npm packages vnu-jar and
axe-core (`make tools` installs them into .tools/). Without them these tests skip, unless
REQUIRE_BROWSER_TESTS is set, as CI sets it: there a missing tool fails the suite.
"""

import json
import os
import re
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


# Screenshots of each page kind at a phone's and a desktop's width, kept by CI.
SCREENSHOTS = Path(
    os.environ.get(
        "PORTAL_SCREENSHOTS", Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
    )
)
WIDTHS = {"phone": 375, "desktop": 1280}


@pytest.fixture
def site(db):
    """{page kind: address} of every kind of public page, in English and in Japanese."""
    region = factories.region("Asia")
    region.name_ja = "アジア"
    region.save()
    page = factories.relations_page("India", region=region, slug="india")
    page.title_ja, page.counterpart_ja = "日印関係", "インド"
    page.introduction_ja = "日本とインドの関係について。"
    page.save()
    meeting = factories.full_meeting(page, tags=["North Korea", "G7"])
    meeting.title_ja = "日印外相会談"
    meeting.lead_ja = "両外相は会談を行い、北朝鮮の核・ミサイル問題について協議しました。"
    meeting.save()
    meeting.agenda_items.filter(position=1).update(text_ja="二国間関係について意見交換しました。")
    meeting.photo_sessions.create(
        caption="Handshake",
        caption_ja="握手",
        alt_text="The two ministers shake hands",
        alt_text_ja="握手する両外相",
        credit="Cabinet Public Affairs Office",
        position=99,
        image=factories.uploaded_image(1600, 1000, name="handshake.jpg"),
    )
    english_only = factories.full_meeting(page, title="Japan-India Summit Telephone Talk")
    withdrawn = factories.meeting(page, title="A withdrawn readout")
    workflow.take_down(
        withdrawn, by=workflow.SITE, kind="withdrawn", note="It named the wrong minister."
    )
    indexing.index_missing()  # factories write meetings without their search documents
    english = {
        "withdrawn meeting": withdrawn.get_absolute_url(),
        "home": reverse("meetings:home"),
        "relations index": reverse("relations:index"),
        "relations page": page.get_absolute_url(),
        "meeting": meeting.get_absolute_url(),
        "meeting in English only": english_only.get_absolute_url(),
        "archive": reverse("meetings:archive"),
        "archive year": reverse("meetings:archive-year", args=[meeting.date.year]),
        "topics": reverse("meetings:topics"),
        "topic": reverse("meetings:topic", args=["north-korea"]),
        "404": "/no-such-page/",
        "search": reverse("meetings:search") + "?q=item&region=" + region.slug,
        "search finding nothing": reverse("meetings:search") + "?q=zanzibar",
        "search box alone": reverse("meetings:search"),
    }
    return {
        **{f"{kind} (en)": url for kind, url in english.items()},
        **{f"{kind} (ja)": "/ja" + url for kind, url in english.items()},
    }


def test_public_pages_are_valid_html(site, client, tmp_path):
    java = shutil.which("java")
    require(java and VNU_JAR.exists(), "java with the Nu HTML Checker (vnu.jar)")
    files = {}
    for number, (kind, url) in enumerate(site.items()):
        path = tmp_path / f"page-{number}.html"
        path.write_bytes(client.get(url).content)
        files[str(path)] = kind
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    problems = [
        f"{files[m['url'].removeprefix('file:')]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
    ]
    assert problems == []


def test_public_pages_pass_axe_and_fit_a_phone(site, live_server, monkeypatch):
    """axe-core's WCAG 2.2 AA rules and best practices on every page kind, both languages;
    at 375 px nothing scrolls sideways. Screenshots at both widths go to SCREENSHOTS."""
    require(Path(CHROMIUM).exists() and AXE_JS.exists(), "Chromium and axe-core")
    playwright = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    axe = AXE_JS.read_text()
    violations, too_wide = {}, {}
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for device, width in WIDTHS.items():
            # axe is added as an inline script, which the site's policy rightly refuses
            # (tests/test_csp_in_a_browser.py checks the pages under it).
            page = browser.new_page(viewport={"width": width, "height": 800}, bypass_csp=True)
            for kind, url in site.items():
                page.goto(live_server.url + url)
                name = re.sub(r"[^a-z0-9]+", "-", f"{kind} {device}".lower()).strip("-")
                page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
                if device == "phone":
                    overflow = page.evaluate(
                        "document.documentElement.scrollWidth - window.innerWidth"
                    )
                    if overflow > 0:
                        too_wide[kind] = overflow
                    continue
                page.add_script_tag(content=axe)
                result = page.evaluate(
                    "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', "
                    "'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']})"
                )
                if result["violations"]:
                    violations[kind] = [(v["id"], v["help"]) for v in result["violations"]]
            page.close()
        browser.close()
    assert violations == {}
    assert too_wide == {}, "pages wider than a 375 px phone (px too wide)"
