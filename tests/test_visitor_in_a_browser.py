"""A visitor's path through the public site, in Chromium: search for a phrase, open a
result at its agenda item, follow a topic to its timeline, filter a relations page by year,
switch to Japanese and back, open the feed. Skips like the other browser tests (and fails
instead where REQUIRE_BROWSER_TESTS is set, as in CI)."""

import re
from datetime import date

import pytest

from meetings.models import Meeting
from meetings.search import indexing
from tests import factories


@pytest.fixture
def archive(db):
    region = factories.region("North America", slug="north-america")
    usa = factories.relations_page(
        "United States of America", region=region, slug="united-states-of-america"
    )
    usa.title_ja, usa.counterpart_ja = "日米関係", "アメリカ合衆国"
    usa.save()
    older = factories.meeting(usa, title="Japan-U.S. Summit Meeting", date=date(2022, 5, 23))
    factories.agenda(older, "The two leaders discussed the regional situation.")
    readout = factories.meeting(
        usa, title="Japan-U.S. Foreign Ministers’ Meeting", date=date(2023, 1, 12)
    )
    readout.title_ja = "日米外相会談"
    readout.lead_ja = "1月12日、両外相は会談を行いました。"
    readout.save()
    items = factories.agenda(
        readout,
        "At the outset, the two ministers reaffirmed the Alliance.",
        "The two ministers exchanged views on the regional situation.",
        "- On China, they shared serious concerns.",
        "- Regarding North Korea, they condemned its ballistic missile launches.",
    )
    items[3].tags.add("North Korea")
    draft = factories.meeting(usa, published=False, title="A draft on ballistic missile launches")
    factories.agenda(draft, "Draft: ballistic missile launches again.")
    indexing.index_meetings(Meeting.objects.all())
    return {"readout": readout}


def test_a_visitor_searches_reads_follows_a_topic_filters_and_switches_language(
    archive, browser, live_server
):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(live_server.url + "/")

    # Search for a phrase from the header's search box.
    page.fill("header [role=search] input[name=q]", '"ballistic missile"')
    page.press("header [role=search] input[name=q]", "Enter")
    page.wait_for_load_state()
    assert "/search/" in page.url
    assert "1 meeting matches" in page.inner_text(".result-count")
    assert "A draft" not in page.content()
    assert page.inner_text(".result-list mark").lower() == "ballistic missile"

    # Open the result at the agenda item the words were found in.
    page.click(".result-list .snippet a[href*='#item-']")
    page.wait_for_load_state()
    readout_url = archive["readout"].get_absolute_url()
    assert page.url.endswith(readout_url + "#item-2-2")
    assert page.evaluate("document.querySelector(':target').id") == "item-2-2"
    assert page.locator("#item-2-2").is_visible()

    # Follow the item's topic to its timeline, which quotes the item and links back to it.
    page.click(".topics a:has-text('North Korea')")
    page.wait_for_load_state()
    assert page.inner_text("h1") == "North Korea"
    timeline = page.inner_text(".timeline")
    assert "Regarding North Korea, they condemned its ballistic missile launches." in timeline
    assert page.locator(f".timeline a[href$='{readout_url}#item-2-2']").count() == 1

    # From the timeline to the relations page, filtered by year.
    page.click(".timeline-meta a:has-text('United States of America')")
    page.wait_for_load_state()
    assert "Japan-U.S. Summit Meeting" in page.content()
    page.click(".filter a:has-text('2023')")
    page.wait_for_load_state()
    assert re.search(r"[?&]year=2023", page.url)
    assert "Japan-U.S. Foreign Ministers’ Meeting" in page.content()
    assert "Japan-U.S. Summit Meeting" not in page.inner_text("main")

    # Switch to Japanese and back: the same page, the filter kept.
    page.click(".language-switch a[hreflang=ja]")
    page.wait_for_load_state()
    assert "/ja/relations/united-states-of-america/" in page.url and "year=2023" in page.url
    assert page.get_attribute("html", "lang") == "ja"
    assert page.inner_text("h1") == "日米関係"
    assert "日米外相会談" in page.inner_text("main")
    page.click(".language-switch a[hreflang=en]")
    page.wait_for_load_state()
    assert "/ja/" not in page.url and "year=2023" in page.url
    assert page.get_attribute("html", "lang") == "en"

    # Open the relations page's feed, as a feed reader would from the page's link.
    feed_url = page.get_attribute(".feed-links a:has-text('RSS')", "href")
    feed = page.request.get(live_server.url + feed_url if feed_url.startswith("/") else feed_url)
    assert feed.ok and "xml" in feed.headers["content-type"]
    assert "Japan-U.S. Foreign Ministers’ Meeting" in feed.text()
    assert "A draft" not in feed.text()
