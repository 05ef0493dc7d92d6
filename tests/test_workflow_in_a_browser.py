"""The editorial path in Chromium: an editor writes and submits, a publisher rejects with
a comment, the editor fixes and resubmits, the publisher schedules; when the time comes a
visitor sees the meeting and the feed lists it. Skips like the other browser tests."""

from datetime import timedelta
from pathlib import Path
from unittest import mock
from urllib.request import urlopen

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests import factories
from tests.test_pages_in_a_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    log_in,
    require,
    start_meeting,
)

PASSWORD = "s3cret-pass"


@pytest.fixture
def people(db):
    users = {}
    for name, group in (("erin", "Editors"), ("paul", "Publishers")):
        user = factories.member_of(group, name, email=f"{name}@example.org")
        user.set_password(PASSWORD)
        user.save()
        users[name] = user
    factories.meeting_type("foreign-ministers-meeting")
    factories.relations_page("Atlantis", title="Japan-Atlantis Relations")
    return users


def test_write_reject_fix_schedule_and_publish(people, live_server, monkeypatch):
    require(Path(CHROMIUM).exists(), "Chromium")
    playwright = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def session(username):
            return log_in(browser, live_server, username, PASSWORD)

        def step(page, action, comment="", publish_at=None):
            # Each step is a form of its own: its fields, then its button.
            form = f".workflow-panel form.step-{action}"
            if comment:
                page.fill(f"{form} textarea[name=comment]", comment)
            if publish_at:
                page.fill(f"{form} input[name=publish_at]", publish_at)
            page.click(f"{form} button[value={action}]")
            return page.wait_for_selector(".messagelist li").inner_text()

        editor = session("erin")
        start_meeting(editor, live_server)
        editor.fill("#id_agenda_items-0-text", "The ministers discussed regional issues.")
        editor.locator("#agenda_items-group .add-row a").click()
        editor.fill("#id_agenda_items-1-text", "On North Korea, they agreed to cooperate.")
        editor.check("#id_agenda_items-1-is_sub_item")
        editor.click("input[name=_continue]")
        editor.wait_for_load_state()
        assert not editor.locator(".errorlist").count(), editor.locator(
            ".errorlist"
        ).all_inner_texts()
        meeting = Meeting.objects.get()
        change_url = live_server.url + reverse("admin:meetings_meeting_change", args=[meeting.pk])
        assert "in review" in step(editor, "submit")

        publisher = session("paul")
        publisher.goto(live_server.url + reverse("admin:index"))
        assert "Japan-Atlantis Foreign Ministers’ Meeting" in publisher.inner_text("#editors-desk")
        publisher.goto(change_url)
        assert "draft" in step(publisher, "reject", comment="Name the counterpart in the lead.")

        editor.goto(live_server.url + reverse("admin:index"))
        assert "Sent back to me" in editor.inner_text("#editors-desk")
        editor.goto(change_url)
        assert "Name the counterpart in the lead." in editor.inner_text(".workflow-panel")
        editor.fill("#id_lead", "On June 3, Mr. SATO met the Honorable Maria Quill.")
        editor.click("input[name=_continue]")
        editor.wait_for_load_state()
        assert not editor.locator(".errorlist").count(), editor.locator(
            ".errorlist"
        ).all_inner_texts()
        assert "in review" in step(editor, "submit")

        when = timezone.localtime() + timedelta(days=1)
        publisher.goto(change_url)
        message = step(publisher, "approve", publish_at=when.strftime("%Y-%m-%dT%H:%M"))
        assert "scheduled for" in message
        browser.close()

    public_url = live_server.url + Meeting.objects.get().get_absolute_url()
    with pytest.raises(Exception, match="404"):
        urlopen(public_url)
    later = timezone.now() + timedelta(days=1, minutes=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        html = urlopen(public_url).read().decode()
        feed = urlopen(live_server.url + reverse("meetings:feed-atom")).read().decode()
    assert "Mr. SATO met the Honorable Maria Quill." in html
    assert "Japan-Atlantis Foreign Ministers’ Meeting" in feed


def test_a_publisher_merges_a_duplicate_by_pasting_the_kept_meetings_address(
    people, live_server, monkeypatch
):
    require(Path(CHROMIUM).exists(), "Chromium")
    playwright = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    page = factories.relations_page("Canada", slug="canada")
    duplicate = factories.meeting(page, title="The duplicate")
    kept = factories.meeting(page, title="The one kept")

    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        publisher = log_in(browser, live_server, "paul", PASSWORD)
        publisher.goto(
            live_server.url + reverse("admin:meetings_meeting_change", args=[duplicate.pk])
        )
        form = ".workflow-panel form.step-take_down"
        publisher.select_option(f"{form} select[name=takedown]", "merged")
        publisher.fill(f"{form} input[name=merged_into]", "/relations/canada/nowhere/")
        publisher.click(f"{form} button[value=take_down]")
        refusal = publisher.wait_for_selector(".messagelist li").inner_text()
        assert "No public meeting has the address or number" in refusal

        publisher.select_option(f"{form} select[name=takedown]", "merged")
        publisher.fill(f"{form} input[name=merged_into]", live_server.url + kept.get_absolute_url())
        publisher.click(f"{form} button[value=take_down]")
        done = publisher.wait_for_selector(".messagelist li").inner_text()
        assert done == "The meeting is now: merged into another meeting."

        visitor = browser.new_page()
        visitor.goto(live_server.url + duplicate.get_absolute_url())
        assert visitor.url == live_server.url + kept.get_absolute_url()
        assert "The one kept" in visitor.inner_text("h1")
        browser.close()
