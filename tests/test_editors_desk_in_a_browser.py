"""The small things an editor meets in the admin, in Chromium: what the date and time
fields say about time zones. Skips like the other browser tests."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests import factories
from tests.test_pages_in_a_browser import log_in


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@example.org", "s3cret-pass")


@pytest.mark.parametrize("browser_zone", ["Europe/London", "America/New_York", "Asia/Tokyo"])
def test_date_and_time_fields_do_not_compare_the_browsers_clock_with_the_servers(
    browser, editor, live_server, browser_zone
):
    """A meeting's date and start time are its own, as the readout gives them: Django's
    “You are 9 hours behind server time” beside them only confused editors abroad."""
    factories.relations_page("Atlantis", title="Japan-Atlantis Relations")
    page = log_in(browser, live_server, "editor", "s3cret-pass")
    zoned = page.context.browser.new_context(timezone_id=browser_zone)
    zoned.add_cookies(page.context.cookies())
    form = zoned.new_page()
    form.goto(live_server.url + reverse("admin:meetings_meeting_add"))
    form.wait_for_selector("#id_date + .datetimeshortcuts")  # the calendar is in place
    assert form.locator(".timezonewarning").count() == 0
    assert "server time" not in form.inner_text("#content")
    form.click("#id_date + .datetimeshortcuts a:has-text('Today')")
    assert form.input_value("#id_date")


def test_the_import_preview_shows_every_topic_it_will_tag_without_cutting_any_off(
    browser, editor, live_server
):
    from meetings import topics
    from tests.meetings.test_importing import fixture_text

    for name, *synonyms in [
        ("China",),
        ("North Korea",),
        ("Abductions issue", "abductions issue"),
        ("Russia’s aggression against Ukraine", "Ukraine"),
        ("G7",),
        ("Economic security", "economic security"),
        ("Space", "area of space"),
        ("APEC",),
    ]:
        topics.define_topic(name, *synonyms)
    page = log_in(browser, live_server, "editor", "s3cret-pass")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + reverse("admin:meetings_meeting_import"))
    page.fill("textarea[name=text]", fixture_text("foreign-ministers-meeting.txt"))
    page.click("text=Preview")
    page.wait_for_selector(".readout-preview")
    for field in page.locator(".readout-preview .tags input").all():
        assert field.evaluate("input => input.scrollWidth <= input.clientWidth"), (
            field.input_value()
        )
