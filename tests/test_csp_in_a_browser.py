"""Under the site's Content-Security-Policy, Chromium blocks nothing on any public or admin
page: no inline script, style or handler anywhere, the admin's own pages and scripts
included (login, lists, change forms with inlines, autocompletes, calendars, the import,
revisions and sign-out pages). Skips like the other browser tests."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.urls import reverse

from meetings.models import Meeting
from tests import factories
from tests.test_pages_in_a_browser import (
    log_in,
    site,  # noqa: F401  (the public pages' fixture)
)

READOUT = Path(__file__).parent / "fixtures" / "readouts" / "telephone-talk.txt"


class Console:
    """What Chromium says about the policies (CSP and Permissions-Policy) on each page."""

    def __init__(self, page):
        self.page = page
        self.messages = []
        page.on("console", self.heard)

    def heard(self, message):
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            self.messages.append(f"{self.page.url}: {message.text}")


def test_public_pages_break_no_rule_of_the_policy(site, browser, live_server):  # noqa: F811
    page = browser.new_page()
    console = Console(page)
    for url in site.values():
        page.goto(live_server.url + url)
        # Every image loads (photos and renditions come from the site's own addresses).
        assert page.evaluate(
            "[...document.images].every(img => img.complete && img.naturalWidth > 0)"
        ), url
    assert console.messages == []


def test_admin_pages_break_no_rule_of_the_policy(site, browser, live_server):  # noqa: F811
    get_user_model().objects.create_superuser("editor", "editor@example.org", "s3cret-pass")
    meeting = Meeting.objects.published().first()
    draft = factories.full_meeting(meeting.relations_page, published=False, photos=0)
    draft.photo_sessions.create(
        caption="Handshake", position=1, image=factories.uploaded_image(800, 500, name="h.jpg")
    )
    login = browser.new_page()
    console = Console(login)
    login.goto(live_server.url + reverse("admin:login"))
    page = log_in(browser, live_server, "editor", "s3cret-pass")
    console.page = page
    page.on("console", console.heard)

    def visit(name, *args, query=""):
        page.goto(live_server.url + reverse(name, args=args) + query)

    for name in (
        "admin:index",
        "admin:meetings_meeting_changelist",
        "admin:relations_relationspage_changelist",
        "admin:meetings_topic_changelist",
        "admin:meetings_publicationlogentry_changelist",
        "admin:auth_user_changelist",
        "admin:password_change",
        "admin:meetings_meeting_import",
        # Signing in: second factors (the QR code of a new app's key is drawn inline as SVG,
        # the passkey's script is static) and the audit of sign-ins.
        "admin:two_factor",
        "admin:two_factor_add_app",
        "admin:two_factor_staff",
        "admin:axes_accessattempt_changelist",
        "admin:axes_accesslog_changelist",
    ):
        visit(name)
    visit("admin:meetings_meeting_changelist", query="?q=readout&state__exact=published")

    # A published meeting's form (read only), a draft's (its photos' thumbnails, its
    # autocomplete and calendar opened, an agenda item added), and a new one's.
    visit("admin:meetings_meeting_change", meeting.pk)
    visit("admin:meetings_meeting_revisions", meeting.pk)
    visit("admin:meetings_meeting_add")
    visit("admin:meetings_meeting_change", draft.pk)
    page.wait_for_selector("img.photo-preview")
    page.click("#id_relations_page + .select2 .select2-selection")
    page.wait_for_selector(".select2-results__option")
    page.keyboard.press("Escape")
    page.click("#agenda_items-group .add-row a")
    page.locator(".datetimeshortcuts a[id^=calendarlink]:visible").first.click()
    page.wait_for_selector(".calendarbox:visible")
    visit("admin:relations_relationspage_change", meeting.relations_page.pk)

    # The import: a pasted readout, previewed.
    visit("admin:meetings_meeting_import")
    page.fill("textarea", READOUT.read_text())
    page.click("input[type=submit][value=Preview]")
    page.wait_for_selector(".readout-preview")

    page.click("#logout-form button")
    page.wait_for_selector("text=Log in again")
    assert console.messages == []
