"""The promises that carry the editors' trust, in Chromium: two editors on one meeting lose
nothing, and a publisher approves only the text they saw. Skips like the other browser
tests (and fails instead where REQUIRE_BROWSER_TESTS is set, as in CI)."""

import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests import factories
from tests.test_pages_in_a_browser import log_in

PASSWORD = "s3cret-pass"


@pytest.fixture
def people(db):
    users = {}
    for name, group in (("erin", "Editors"), ("ed", "Editors"), ("paul", "Publishers")):
        user = factories.member_of(group, name)
        user.set_password(PASSWORD)
        user.save()
        users[name] = user
    page = factories.relations_page("Atlantis", title="Japan-Atlantis Relations")
    users["draft"] = factories.meeting(
        page, published=False, title="Japan-Atlantis Meeting", lead="On Monday, they met."
    )
    return users


def save(page):
    page.click("input[name=_continue]")
    page.wait_for_load_state()


def step(page, action):
    page.click(f".workflow-panel button[value={action}]")
    return page.wait_for_selector(".messagelist li").inner_text()


def test_two_editors_on_one_meeting_lose_nothing(people, browser, live_server):
    draft = people["draft"]
    change = live_server.url + reverse("admin:meetings_meeting_change", args=[draft.pk])
    erin, ed = (
        log_in(browser, live_server, "erin", PASSWORD),
        log_in(browser, live_server, "ed", PASSWORD),
    )
    erin.goto(change)
    ed.goto(change)

    erin.fill("#id_lead", "On Monday, the ministers met in Tokyo.")
    save(erin)
    ed.fill("#id_title", "Japan-Atlantis Foreign Ministers’ Meeting")
    save(ed)

    error = ed.locator(".errornote, .errorlist.nonfield").first.inner_text()
    assert "Someone else saved this meeting after you opened it" in ed.content()
    assert error
    assert ed.input_value("#id_title") == "Japan-Atlantis Foreign Ministers’ Meeting"
    draft.refresh_from_db()
    assert draft.lead == "On Monday, the ministers met in Tokyo."
    assert draft.title == "Japan-Atlantis Meeting"

    # Ed merges Erin's lead into the form shown and saves again: both edits stand.
    ed.fill("#id_lead", "On Monday, the ministers met in Tokyo.")
    save(ed)
    draft.refresh_from_db()
    assert (draft.title, draft.lead) == (
        "Japan-Atlantis Foreign Ministers’ Meeting",
        "On Monday, the ministers met in Tokyo.",
    )


def test_a_publisher_approves_only_the_text_they_saw(people, browser, live_server):
    draft = people["draft"]
    change = live_server.url + reverse("admin:meetings_meeting_change", args=[draft.pk])
    erin = log_in(browser, live_server, "erin", PASSWORD)
    erin.goto(change)
    assert "in review" in step(erin, "submit")

    paul = log_in(browser, live_server, "paul", PASSWORD)
    paul.goto(change)
    assert paul.input_value("#id_lead") == "On Monday, they met."

    erin.goto(change)
    erin.fill("#id_lead", "On Monday, words the publisher never read.")
    save(erin)

    assert "changed after you opened it" in step(paul, "approve")
    draft.refresh_from_db()
    assert draft.state == Meeting.State.IN_REVIEW

    # Having read it again, the publisher approves what is now on the page.
    paul.goto(change)
    assert paul.input_value("#id_lead") == "On Monday, words the publisher never read."
    assert "published" in step(paul, "approve").lower()
    draft.refresh_from_db()
    assert draft.is_public
    visitor = browser.new_context().new_page()
    visitor.goto(live_server.url + draft.get_absolute_url())
    assert "words the publisher never read" in visitor.content()
