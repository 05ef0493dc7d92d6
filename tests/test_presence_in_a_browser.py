"""Two editors on one meeting see each other, and typing survives a reload or a closed tab,
in Chromium. Skips like the other browser tests (fails instead where REQUIRE_BROWSER_TESTS
is set, as in CI)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import presence
from meetings.models import EditingPresence, Meeting
from tests import factories
from tests.test_pages_in_a_browser import log_in, start_meeting
from tests.test_promises_in_a_browser import PASSWORD, save

DRAFT_KEPT = """text => Object.keys(localStorage).some(
    key => key.startsWith("portal.unsaved-draft:") && localStorage.getItem(key).includes(text))"""
NO_DRAFT = (
    """() => !Object.keys(localStorage).some(key => key.startsWith("portal.unsaved-draft:"))"""
)


@pytest.fixture
def people(db):
    users = {}
    for name in ("erin", "ed"):
        users[name] = factories.member_of("Editors", name)
        users[name].set_password(PASSWORD)
        users[name].save()
    page = factories.relations_page("Atlantis", title="Japan-Atlantis Relations")
    users["draft"] = factories.meeting(
        page, published=False, title="Japan-Atlantis Meeting", lead="On Monday, they met."
    )
    return users


@pytest.fixture
def expect():
    return pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def change(people, live_server):
    return live_server.url + reverse("admin:meetings_meeting_change", args=[people["draft"].pk])


def test_two_editors_see_each_other_and_who_left(
    people, browser, live_server, change, expect, monkeypatch
):
    monkeypatch.setattr(presence, "HEARTBEAT_SECONDS", 0.5)
    erin = log_in(browser, live_server, "erin", PASSWORD)
    ed = log_in(browser, live_server, "ed", PASSWORD)
    erin.goto(change)
    ed.goto(change)

    # Ed's page names Erin as it opens; Erin's names Ed at her next heartbeat.
    expect(ed.locator(".presence-others")).to_have_text(
        f"Also open here: erin (editor) since {clock('erin')}."
    )
    expect(erin.locator(".presence-others")).to_have_text(
        f"Also open here: ed (editor) since {clock('ed')}."
    )
    expect(erin.locator("#editing-presence")).to_have_attribute("aria-live", "polite")

    # Ed saves while Erin types: she is told before she saves over it.
    erin.fill("#id_lead", "On Monday, the ministers met in Tokyo.")
    erin.wait_for_function(DRAFT_KEPT, arg="met in Tokyo")
    ed.fill("#id_title", "Japan-Atlantis Foreign Ministers’ Meeting")
    save(ed)
    expect(erin.locator(".presence-changed")).to_contain_text("ed saved changes at", timeout=10_000)
    expect(erin.locator(".presence-changed")).to_contain_text("reload before saving")

    # She reloads, takes her typing back over Ed's version, and saves both.
    erin.reload()
    offer = erin.locator("#unsaved-draft")
    expect(offer).to_contain_text("typed into an older version of this meeting")
    offer.get_by_role("button", name="Restore them").click()
    save(erin)
    expect(erin.locator(".messagelist .success")).to_be_visible()
    draft = Meeting.objects.get(pk=people["draft"].pk)
    assert (draft.title, draft.lead) == (
        "Japan-Atlantis Foreign Ministers’ Meeting",
        "On Monday, the ministers met in Tokyo.",
    )
    expect(erin.locator(".presence-changed")).to_be_hidden()
    expect(erin.locator(".presence-others")).to_contain_text("ed (editor)")

    # Ed leaves: Erin's notice empties at once, not after the people's 90 seconds.
    ed.goto(live_server.url + reverse("admin:meetings_meeting_changelist"))
    expect(erin.locator(".presence-others")).to_be_hidden()
    assert not EditingPresence.objects.filter(user__username="ed").exists()


def clock(username):
    row = EditingPresence.objects.filter(user__username=username).earliest("opened_at")
    return f"{timezone.localtime(row.opened_at):%H:%M}"


def type_into(page, lead, first, second):
    page.fill("#id_lead", lead)
    page.fill("#id_agenda_items-0-text", first)
    page.click("#agenda_items-group .add-row a")
    page.fill("#id_agenda_items-1-text", second)
    page.wait_for_function(DRAFT_KEPT, arg=second)


def test_typing_survives_a_reload_and_a_closed_tab(people, browser, live_server, change, expect):
    draft = people["draft"]
    erin = log_in(browser, live_server, "erin", PASSWORD)
    erin.goto(change)
    type_into(erin, "On Monday, the ministers met in Tokyo.", "Bilateral relations.", "Trade.")

    erin.reload()
    offer = erin.locator("#unsaved-draft")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("You have unsaved changes from")
    expect(offer).to_contain_text("(3 fields)")
    assert erin.input_value("#id_lead") == "On Monday, they met."
    offer.get_by_role("button", name="Restore them").click()
    expect(offer).to_be_hidden()
    assert erin.input_value("#id_lead") == "On Monday, the ministers met in Tokyo."
    assert erin.input_value("#id_agenda_items-0-text") == "Bilateral relations."
    assert erin.input_value("#id_agenda_items-1-text") == "Trade."
    expect(erin.locator("#agenda_items-1 td.field-number")).to_have_text("2.")

    save(erin)
    expect(erin.locator(".messagelist .success")).to_be_visible()
    draft.refresh_from_db()
    assert draft.lead == "On Monday, the ministers met in Tokyo."
    assert [item.text for item in draft.agenda_items.all()] == ["Bilateral relations.", "Trade."]
    erin.wait_for_function(NO_DRAFT)
    erin.reload()
    expect(erin.locator("#id_lead")).to_have_value("On Monday, the ministers met in Tokyo.")
    expect(offer).to_be_hidden()

    # A closed tab: the same browser opens the meeting again in a new page.
    erin.fill("#id_lead", "On Monday, the two ministers met in Tokyo.")
    erin.wait_for_function(DRAFT_KEPT, arg="the two ministers")
    context = erin.context
    erin.close()
    erin = context.new_page()
    erin.goto(change)
    offer = erin.locator("#unsaved-draft")
    expect(offer).to_contain_text("(1 field)")
    offer.get_by_role("button", name="Discard").click()
    expect(offer).to_be_hidden()
    erin.reload()
    expect(erin.locator("#id_lead")).to_be_visible()
    expect(offer).to_be_hidden()
    assert erin.input_value("#id_lead") == "On Monday, the ministers met in Tokyo."


def test_a_refused_save_keeps_the_draft(people, browser, live_server, change, expect):
    erin = log_in(browser, live_server, "erin", PASSWORD)
    erin.goto(change)
    erin.fill("#id_lead", "On Monday, the ministers met in Tokyo.")
    erin.fill("#id_date", "not a date")
    erin.wait_for_function(DRAFT_KEPT, arg="not a date")
    save(erin)
    expect(erin.locator(".errornote")).to_be_visible()
    expect(erin.locator("#unsaved-draft")).to_be_hidden()  # the page holds what was typed

    erin.goto(change)
    offer = erin.locator("#unsaved-draft")
    expect(offer).to_contain_text("(2 fields)")
    offer.get_by_role("button", name="Restore them").click()
    assert erin.input_value("#id_lead") == "On Monday, the ministers met in Tokyo."

    # Logging out forgets every draft: the computer may be shared.
    erin.click("#logout-form button")
    erin.wait_for_function(NO_DRAFT)


def test_a_new_meeting_typed_but_not_saved_comes_back(people, browser, live_server, expect):
    erin = log_in(browser, live_server, "erin", PASSWORD)
    errors = []
    erin.on("pageerror", lambda error: errors.append(error))
    start_meeting(erin, live_server)
    erin.wait_for_function(DRAFT_KEPT, arg="the two ministers met")

    erin.reload()
    offer = erin.locator("#unsaved-draft")
    offer.get_by_role("button", name="Restore them").click()
    # The relations page is chosen by autocomplete: its choice comes back with its name.
    expect(erin.locator("#id_relations_page + .select2")).to_contain_text(
        "Japan-Atlantis Relations"
    )
    assert erin.input_value("#id_title") == "Japan-Atlantis Foreign Ministers’ Meeting"
    assert erin.input_value("#id_lead") == "On June 3, the two ministers met."

    save(erin)
    expect(erin.locator(".messagelist .success")).to_contain_text("was added successfully")
    erin.wait_for_function(NO_DRAFT)
    assert Meeting.objects.filter(title="Japan-Atlantis Foreign Ministers’ Meeting").exists()
    assert errors == []
