"""An editor writes a meeting with nested agenda items in the admin, in Chromium, and
publishes it; the public page and the feed show it. Skips like the other browser tests."""

from pathlib import Path
from urllib.request import urlopen

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from meetings import topics
from meetings.models import Meeting
from tests import factories
from tests.test_pages_in_a_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    log_in,
    require,
    start_meeting,
)


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@example.org", "s3cret-pass")


def test_an_editor_writes_reorders_and_publishes_a_meeting(editor, live_server, monkeypatch):
    require(Path(CHROMIUM).exists(), "Chromium")
    playwright = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    page_ = factories.relations_page("Atlantis", title="Japan-Atlantis Relations")
    factories.meeting_type("foreign-ministers-meeting")

    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = log_in(browser, live_server, "editor", "s3cret-pass")
        start_meeting(page, live_server)
        page.fill("#id_duration", "45 minutes")
        page.fill("#id_tags", "Space")

        add_item = page.locator("#agenda_items-group .add-row a")
        texts = ["Item about space.", "Item on regional issues.", "On North Korea."]
        for index, text in enumerate(texts):
            if index:
                add_item.click()
            page.fill(f"#id_agenda_items-{index}-text", text)
        page.check("#id_agenda_items-2-is_sub_item")
        page.fill("#id_agenda_items-2-tags", "North Korea")
        numbers = page.locator("#agenda_items-group td.field-number")
        assert numbers.all_inner_texts()[:3] == ["1.", "2.", "(1)"]

        # Move the regional item above the space item: numbers and positions follow.
        page.locator("#agenda_items-1 button.move-up").click()
        assert page.input_value("#id_agenda_items-1-position") == "1"
        assert page.input_value("#id_agenda_items-0-position") == "2"

        page.click("input[name=_continue]")
        message = page.wait_for_selector(".messagelist .success")
        assert "was added successfully" in message.inner_text()

        # The editor is a superuser: in an emergency, publish without review, with a reason.
        step = ".workflow-panel form.step-publish_without_review"
        page.fill(f"{step} textarea[name=comment]", "Needed before the press briefing.")
        page.click(f"{step} button[value=publish_without_review]")
        message = page.wait_for_selector(".messagelist .success")
        assert "published, not yet reviewed" in message.inner_text()
        browser.close()

    meeting = Meeting.objects.get()
    assert meeting.is_public
    assert [(item.text, [sub.text for sub in subs]) for item, subs in meeting.overview()] == [
        ("Item on regional issues.", []),
        ("Item about space.", ["On North Korea."]),
    ]
    public = live_server.url + meeting.get_absolute_url()
    html = urlopen(public).read().decode()
    assert "On North Korea." in html
    assert f"Back to {page_.title}" in html
    feed = urlopen(live_server.url + reverse("meetings:feed-atom")).read().decode()
    assert "Japan-Atlantis Foreign Ministers’ Meeting" in feed


def test_an_editor_accepts_the_topic_a_sub_item_names_and_the_meeting_is_on_its_page(
    editor, browser, live_server
):
    factories.relations_page("Atlantis", title="Japan-Atlantis Relations")
    factories.meeting_type("foreign-ministers-meeting")
    topics.define_topic("China", "PRC")
    page = log_in(browser, live_server, "editor", "s3cret-pass")
    start_meeting(page, live_server)
    page.fill("#id_agenda_items-0-text", "They discussed regional issues.")
    page.locator("#agenda_items-group .add-row a").click()
    page.fill("#id_agenda_items-1-text", "Regarding China, they shared their concerns.")
    page.check("#id_agenda_items-1-is_sub_item")

    # Suggested as the editor writes, beside the sub-item's tags and the meeting's.
    add_to_item = page.get_by_role("button", name="Add topic China to item 1 (1)")
    add_to_item.wait_for()
    assert add_to_item.inner_text() == "+ China"
    status = page.locator("#topic-suggestions-status")
    assert "China for item 1 (1)" in status.inner_text()
    add_to_item.click()
    assert page.input_value("#id_agenda_items-1-tags") == "China"
    assert "Added topic China to item 1 (1)." in status.inner_text()

    # By keyboard, the meeting's own; the last suggestion gone, focus returns to the tags.
    add_to_meeting = page.get_by_role("button", name="Add topic China to the meeting")
    add_to_meeting.focus()
    page.keyboard.press("Enter")
    assert page.input_value("#id_tags") == "China"
    assert page.evaluate("document.activeElement.id") == "id_tags"

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert "Suggested topics not accepted yet" not in page.inner_text(".messagelist")
    step = page.locator(".workflow-panel form.step-publish_without_review")
    step.locator("textarea[name=comment]").fill("Needed before the press briefing.")
    step.locator("button[value=publish_without_review]").click()
    page.wait_for_selector(".messagelist .success")

    topic_page = urlopen(live_server.url + reverse("meetings:topic", args=["china"]))
    assert "Regarding China, they shared their concerns." in topic_page.read().decode()


def test_a_dismissed_suggestion_stays_away_while_the_editor_types(editor, browser, live_server):
    factories.relations_page("Atlantis", title="Japan-Atlantis Relations")
    factories.meeting_type("foreign-ministers-meeting")
    topics.define_topic("China", "PRC")
    topics.define_topic("North Korea", "DPRK")
    page = log_in(browser, live_server, "editor", "s3cret-pass")
    start_meeting(page, live_server)
    page.fill("#id_agenda_items-0-text", "On the PRC.")
    dismiss = page.get_by_role("button", name="Dismiss topic China for item 1")
    dismiss.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_agenda_items-0-tags"
    page.fill("#id_agenda_items-0-text", "On the PRC and the DPRK.")
    page.get_by_role("button", name="Add topic North Korea to item 1").wait_for()
    assert page.get_by_role("button", name="Add topic China to item 1").count() == 0
