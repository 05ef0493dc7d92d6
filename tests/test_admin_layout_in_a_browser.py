"""The meeting admin fits a 1280 px screen: nothing scrolls sideways on the meeting list,
the add form, a draft's change form with photos, participants and long agenda items, or a
published (read-only) meeting's page; agenda text areas grow with what is typed.
Screenshots go to artifacts/screenshots/admin-*.png. Skips like the other browser tests."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from meetings.models import PhotoSession
from tests import factories
from tests.test_pages_in_a_browser import SCREENSHOTS, log_in

PASSWORD = "s3cret-pass"
VIEWPORT = {"width": 1280, "height": 800}

LONG_TITLE = (
    "Japan-Atlantis Foreign Ministers’ Meeting on the Strategic Partnership, Maritime "
    "Security and the Economic Dialogue of the Two Countries"
)
LONG_ITEM = (
    "The two ministers exchanged views on the regional situation, including the East and "
    "South China Seas, and confirmed that they would continue to cooperate closely toward a "
    "free and open Indo-Pacific based on the rule of law, including through the Quad, the "
    "G7 and the United Nations Security Council, and on economic security. " * 2
)

# Wider than the viewport: elements (other than the page itself) whose box passes its
# right edge, and how far.
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 1)
    .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}`
              + `${typeof e.className === 'string' && e.className.trim()
                   ? '.' + e.className.trim().split(/\\s+/).join('.') : ''}`
              + ` right=${Math.round(e.getBoundingClientRect().right)}`)
    .slice(0, 10);
}"""


@pytest.fixture
def meetings(db):
    get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
    factories.meeting_type("foreign-ministers-meeting")
    page = factories.relations_page(
        "Atlantis", title="Japan-Atlantis Relations (Republic of Atlantis and its Islands)"
    )
    for number in range(3):
        factories.meeting(page, title=f"{LONG_TITLE} ({number})", published=bool(number % 2))
    draft = factories.full_meeting(page, title=LONG_TITLE, published=False, photos=0)
    draft.agenda_items.filter(position=1).update(text=LONG_ITEM, text_ja="日本語。" * 80)
    for position in range(1, 4):
        PhotoSession.objects.create(
            meeting=draft,
            caption=f"The two ministers at the working lunch, photo {position}",
            alt_text="The two ministers shake hands in front of the two flags",
            credit="Cabinet Public Affairs Office",
            position=position,
            image=factories.uploaded_image(1600, 1000, name=f"photo-{position}.jpg"),
        )
    published = factories.full_meeting(page, title=LONG_TITLE + " (published)", photos=2)
    published.duration = timedelta(minutes=50)
    published.save()
    return {"draft": draft, "published": published}


def overflow(page):
    """How far the page scrolls sideways, and the elements that pass the right edge."""
    return (
        page.evaluate("document.documentElement.scrollWidth - window.innerWidth"),
        page.evaluate(TOO_WIDE),
    )


def test_the_meeting_admin_fits_1280_px(meetings, browser, live_server):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = log_in(browser, live_server, "editor", PASSWORD)
    page.set_viewport_size(VIEWPORT)
    pages = {
        "meeting-list": reverse("admin:meetings_meeting_changelist"),
        "add-form": reverse("admin:meetings_meeting_add"),
        "draft": reverse("admin:meetings_meeting_change", args=[meetings["draft"].pk]),
        "published": reverse("admin:meetings_meeting_change", args=[meetings["published"].pk]),
    }
    too_wide = {}
    for name, url in pages.items():
        page.goto(live_server.url + url)
        page.screenshot(path=SCREENSHOTS / f"admin-{name}.png", full_page=True)
        scrolls, elements = overflow(page)
        if scrolls > 0 or elements:
            too_wide[name] = (scrolls, elements)
    assert not too_wide, json.dumps(too_wide, indent=1)


def test_agenda_text_areas_grow_with_their_text(meetings, browser, live_server):
    page = log_in(browser, live_server, "editor", PASSWORD)
    page.set_viewport_size(VIEWPORT)
    page.goto(
        live_server.url + reverse("admin:meetings_meeting_change", args=[meetings["draft"].pk])
    )
    area = page.locator("#id_agenda_items-2-text")
    before = area.bounding_box()["height"]
    area.fill(LONG_ITEM * 2)
    grown = area.bounding_box()
    assert grown["height"] > before * 2
    assert page.evaluate("el => el.scrollHeight <= el.clientHeight + 1", area.element_handle())
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    # A new row's text area grows too.
    index = page.input_value("#id_agenda_items-TOTAL_FORMS")
    page.locator("#agenda_items-group .add-row a").click()
    new_area = page.locator(f"#id_agenda_items-{index}-text")
    before = new_area.bounding_box()["height"]
    new_area.fill(LONG_ITEM)
    assert new_area.bounding_box()["height"] > before


def test_a_published_meeting_has_no_live_controls(meetings, browser, live_server):
    """Read only: no ↑/↓ buttons reordering rows that cannot be saved, no field to type in;
    numbers and durations read as on the public page."""
    page = log_in(browser, live_server, "editor", PASSWORD)
    page.set_viewport_size(VIEWPORT)
    meeting = meetings["published"]
    page.goto(live_server.url + reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    form = page.locator("#meeting_form")
    assert form.locator("button, select, textarea, input:not([type=hidden])").count() == 0
    assert page.locator("button.move-up, button.move-down").count() == 0
    numbers = page.locator("#agenda_items-group td.field-number").all_inner_texts()
    assert [number.strip() for number in numbers] == [
        "1.",
        "(1)",
        "2.",
        "(1)",
        "3.",
        "(1)",
        "4.",
        "(1)",
    ]
    assert "50 minutes" in form.inner_text()
