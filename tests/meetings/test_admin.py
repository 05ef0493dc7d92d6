from datetime import date, timedelta

import lxml.html
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import workflow
from meetings.models import AgendaItem, Meeting, MeetingType, PhotoSession, Topic, renditions
from tests import factories
from tests.browser_forms import admin_change_form, read_form, read_forms_by_button

# What an editor types into a new meeting's page, unless a test says otherwise.
NEW_MEETING = {
    "title": "Japan-Atlantis Summit Meeting",
    "date": "2024-06-03",
    "start_time": "17:45",
    "duration": "1 hour and 10 minutes",
    "place": "Tokyo",
    "lead": "On June 3, the two leaders met. The overview of the meeting is as follows.",
    "tags": "North Korea, G7",
}


def meeting_form(client, page=None, *, meeting=None, items=(), photos=(), **fields):
    """The meeting's admin page as rendered (the add page, or a meeting's change page),
    filled in as an editor fills it: fields typed, agenda rows and photo rows added with
    “Add another”. Returns the form; `.submit(client, files=…)` posts it."""
    if meeting is None:
        form = admin_change_form(client, reverse("admin:meetings_meeting_add"))
        fields = {
            **NEW_MEETING,
            "relations_page": page.pk,
            "meeting_type": MeetingType.objects.get(slug="summit-meeting").pk,
            **fields,
        }
    else:
        form = admin_change_form(
            client, reverse("admin:meetings_meeting_change", args=[meeting.pk])
        )
    for name, value in fields.items():
        form.set(name, value)
    for text, is_sub_item, tags in items:
        add_agenda_item(form, text, is_sub_item=is_sub_item, tags=tags)
    for photo in photos:
        form.add_inline_row("photo_sessions", **photo)
    return form


def add_agenda_item(form, text, *, is_sub_item=False, tags=""):
    """Type into the first empty agenda row the page shows, or add a row for the item."""
    total = int(form.get("agenda_items-TOTAL_FORMS"))
    empty = [
        index
        for index in range(total)
        if not form.get(f"agenda_items-{index}-id") and not form.get(f"agenda_items-{index}-text")
    ]
    index = empty[0] if empty else form.add_inline_row("agenda_items")
    form.set(f"agenda_items-{index}-text", text)
    form.set(f"agenda_items-{index}-tags", tags)
    form.set(f"agenda_items-{index}-is_sub_item", is_sub_item)
    return index


class AdminPagesLoadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = factories.staff_user()
        cls.region = factories.region("Asia")
        cls.page = factories.relations_page("India", region=cls.region)
        cls.meeting = factories.full_meeting(cls.page)
        # A row for each admin whose rows only come from elsewhere: a topic, a log entry, a
        # failed sign-in (signing in, in setUp, makes the access log's).
        Topic.objects.create(tag=cls.meeting.tags.get(name="G7"))
        workflow.submit_for_review(factories.meeting(cls.page, published=False), by=cls.user)
        failed = {"username": "alice", "ip_address": "192.0.2.1", "user_agent": "test"}
        AccessAttempt.objects.create(**failed, failures_since_start=1, http_accept="*/*")
        AccessFailureLog.objects.create(**failed)
        factories.index_all()

    def setUp(self):
        self.client.force_login(self.user)

    def test_every_changelist_add_and_change_page_loads(self):
        """Every registered admin, so that a new one is covered without changing this test."""
        request = RequestFactory().get("/")
        request.user = self.user
        for model, model_admin in admin.site._registry.items():
            name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
            obj = model._default_manager.first()
            self.assertIsNotNone(obj, f"setUpTestData makes no {model.__name__} to open")
            urls = [reverse(f"{name}_changelist"), reverse(f"{name}_change", args=[obj.pk])]
            if model_admin.has_add_permission(request):
                urls.append(reverse(f"{name}_add"))
            for url in urls:
                with self.subTest(url=url):
                    self.assertEqual(self.client.get(url).status_code, 200)

    def test_drafts_ticked_in_the_list_are_submitted_for_review(self):
        draft = factories.meeting(self.page, title="A draft to tick", published=False)
        actions = read_form(
            self.client.get(reverse("admin:meetings_meeting_changelist")), "#changelist-form"
        )
        [checkbox] = actions.element.cssselect(f"input.action-select[value='{draft.pk}']")
        self.assertEqual(checkbox.get("aria-label"), f"Select this object for an action - {draft}")
        actions.tick("_selected_action", draft.pk).set("action", "submit_for_review")
        self.assertEqual(actions.submit(self.client, "index").status_code, 302)
        draft.refresh_from_db()
        self.assertEqual(draft.state, Meeting.State.IN_REVIEW)

    def test_meeting_list_finds_as_the_public_search_does_drafts_and_numbers_included(self):
        draft = factories.meeting(
            self.page, title="Japan-India Strategic Dialogue", published=False
        )
        factories.agenda(draft, "The two sides discussed semiconductors and supply chains.")
        factories.index_all()
        url = reverse("admin:meetings_meeting_changelist")
        for query in ["semiconductor", "SUPPLY chains", "india dialogue", str(draft.pk), "１"]:
            with self.subTest(query=query):
                response = self.client.get(url, {"q": query})
                self.assertEqual(response.status_code, 200)
                if query != "１":
                    self.assertContains(response, draft.title)
        self.assertNotContains(self.client.get(url, {"q": "whaling"}), draft.title)

    def test_meeting_list_searches_and_filters(self):
        url = reverse("admin:meetings_meeting_changelist")
        for query in (
            {"q": "Sub-item of item 2"},
            {"date__year": "2024"},
            {"state__exact": "published"},
            {"tags__id__exact": self.meeting.tags.first().pk},
            {"relations_page__id__exact": self.page.pk},
            {"meeting_type__id__exact": self.meeting.meeting_type_id},
        ):
            with self.subTest(query=query):
                response = self.client.get(url, query)
                self.assertContains(response, self.meeting.title)

    def test_autocomplete_finds_relations_pages_and_regions(self):
        url = reverse("admin:autocomplete")
        for model, field, term, expected in [
            ("meeting", "relations_page", "Ind", "Japan-India Relations"),
            ("relationspage", "region", "As", "Asia"),
        ]:
            with self.subTest(field=field):
                app = "meetings" if model == "meeting" else "relations"
                response = self.client.get(
                    url,
                    {"app_label": app, "model_name": model, "field_name": field, "term": term},
                )
                self.assertEqual(response.status_code, 200)
                self.assertEqual([r["text"] for r in response.json()["results"]], [expected])

    def test_meeting_list_shows_newest_first(self):
        older = factories.meeting(self.page, title="Much older", date=date(2001, 1, 1))
        response = self.client.get(reverse("admin:meetings_meeting_changelist"))
        content = response.content.decode()
        self.assertLess(content.index(self.meeting.title), content.index(older.title))

    def test_the_list_tells_a_correction_a_scheduled_and_a_taken_down_meeting_apart(self):
        publisher = factories.member_of("Publishers", "list-publisher")
        live = factories.meeting(self.page, title="Live and being corrected")
        workflow.start_correction(live, by=publisher)
        factories.meeting(
            self.page, title="Out tomorrow", published_at=timezone.now() + timedelta(days=1)
        )
        gone = factories.meeting(self.page, title="Withdrawn one")
        workflow.take_down(gone, by=publisher, kind="withdrawn", note="Superseded.")

        response = self.client.get(reverse("admin:meetings_meeting_changelist"))
        rows = [
            (row.cssselect("th a")[0].text_content(), row.cssselect("td.field-publication")[0])
            for row in lxml.html.fromstring(response.content).cssselect("#result_list tbody tr")
        ]
        states = {title: cell.text_content() for title, cell in rows}
        corrections = [cell.text_content() for title, cell in rows if title == live.title]
        self.assertEqual(len(corrections), 2)
        self.assertTrue(any(text.startswith("Correction, draft") for text in corrections))
        self.assertTrue(states["Out tomorrow"].startswith("Scheduled"))
        self.assertIn("JST", states["Out tomorrow"])
        self.assertTrue(states["Withdrawn one"].startswith("Withdrawn"))

    def test_the_agenda_inline_brings_its_reordering_script(self):
        response = self.client.get(reverse("admin:meetings_meeting_change", args=[self.meeting.pk]))
        self.assertContains(response, "admin/ordered_inlines.js")


class ReadOnlyPublishedMeetingTests(TestCase):
    """A published meeting's admin page cannot be saved: it has no controls, and it reads
    like the public page (durations in words, sub-items numbered (1), (2) under their item)."""

    @classmethod
    def setUpTestData(cls):
        cls.user = factories.staff_user()
        cls.meeting = factories.full_meeting(items=2, duration=timedelta(minutes=50))
        cls.long = factories.meeting(published=False, duration=timedelta(minutes=80))

    def setUp(self):
        self.client.force_login(self.user)

    def page(self, meeting):
        response = self.client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
        self.assertEqual(response.status_code, 200)
        return lxml.html.fromstring(response.content)

    def test_it_renders_no_field_to_type_in_nor_rows_to_reorder(self):
        form = self.page(self.meeting).cssselect("#meeting_form")[0]
        controls = [
            control.get("name")
            for control in form.iter("input", "select", "textarea", "button")
            if control.get("type") != "hidden"
        ]
        self.assertEqual(controls, [])
        self.assertEqual(form.cssselect(".position-input, td.field-position"), [])

    def test_durations_read_as_on_the_public_page(self):
        self.assertIn("50 minutes", self.page(self.meeting).text_content())
        self.assertNotIn("0:50:00", self.page(self.meeting).text_content())
        workflow.publish(self.long, by=workflow.SITE)
        self.assertIn("1 hour and 20 minutes", self.page(self.long).text_content())

    def test_items_are_numbered_as_on_the_public_page(self):
        cells = self.page(self.meeting).cssselect("#agenda_items-group td.field-number")
        self.assertEqual(
            [cell.text_content().strip() for cell in cells], ["1.", "(1)", "2.", "(1)"]
        )
        self.assertEqual(
            len(self.page(self.meeting).cssselect("#agenda_items-group .sub-item-number")), 2
        )

    def test_a_draft_keeps_its_fields_and_its_numbers_before_any_script_runs(self):
        draft = factories.full_meeting(items=2, published=False)
        page = self.page(draft)
        self.assertEqual(
            len(page.cssselect("#agenda_items-group tr.has_original .position-input")), 4
        )
        cells = page.cssselect("#agenda_items-group tr.has_original td.field-number")
        self.assertEqual(
            [cell.text_content().strip() for cell in cells], ["1.", "(1)", "2.", "(1)"]
        )


class MeetingEditingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = factories.staff_user()
        cls.page = factories.relations_page("Atlantis")

    def setUp(self):
        self.client.force_login(self.user)

    def add(self, form, files=None):
        return form.submit(self.client, files=files)

    def test_an_editor_writes_a_meeting_with_nested_items_and_tags_then_publishes_it(self):
        response = self.add(
            meeting_form(
                self.client,
                self.page,
                items=[
                    ("The leaders confirmed the partnership.", False, ""),
                    ("They discussed regional issues.", False, ""),
                    ("On North Korea, they agreed to cooperate.", True, "North Korea"),
                    ("On Ukraine, they condemned the aggression.", True, "Ukraine"),
                    ("They agreed to meet at the G7.", False, "G7"),
                ],
            )
        )
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        meeting = Meeting.objects.get()
        self.assertEqual(meeting.slug, "japan-atlantis-summit-meeting")
        self.assertEqual(meeting.duration.total_seconds(), 70 * 60)
        self.assertEqual([len(subs) for _, subs in meeting.overview()], [0, 2, 0])
        self.assertEqual(sorted(t.name for t in meeting.tags.all()), ["G7", "North Korea"])
        self.assertEqual(
            [t.name for t in AgendaItem.objects.get(text__startswith="On Ukraine").tags.all()],
            ["Ukraine"],
        )
        self.assertEqual(self.client.get(meeting.get_absolute_url()).status_code, 404)

        change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
        panel = read_forms_by_button(self.client.get(change), ".workflow-panel form.workflow-step")
        panel.submit(self.client, "transition", "submit")
        self.client.force_login(factories.staff_user("second-publisher"))
        panel = read_forms_by_button(self.client.get(change), ".workflow-panel form.workflow-step")
        panel.submit(self.client, "transition", "approve")
        self.client.logout()
        response = self.client.get(meeting.get_absolute_url())
        self.assertContains(response, "On North Korea, they agreed to cooperate.")
        feed = self.client.get(reverse("meetings:feed-atom")).content.decode()
        self.assertIn("Japan-Atlantis Summit Meeting", feed)

    def test_tags_typed_by_editors_land_on_the_topics_canonical_tag(self):
        from meetings import topics

        topics.define_topic("North Korea", "DPRK")
        self.add(
            meeting_form(
                self.client, self.page, tags="dprk, north korea, G7", items=[("X.", False, "DPRK")]
            )
        )
        meeting = Meeting.objects.get()
        self.assertEqual(sorted(t.name for t in meeting.tags.all()), ["G7", "North Korea"])
        self.assertEqual([t.name for t in meeting.agenda_items.get().tags.all()], ["North Korea"])

    def test_a_new_meeting_is_a_draft_whatever_a_forged_form_says(self):
        form = meeting_form(self.client, self.page)
        self.assertNotIn("state", form.names)
        self.add(form.forge("state", "published").forge("published_at_0", "2024-01-01"))
        meeting = Meeting.objects.get()
        self.assertEqual((meeting.state, meeting.published_at), (Meeting.State.DRAFT, None))

    def test_rows_without_position_keep_the_order_shown(self):
        self.add(
            meeting_form(
                self.client,
                self.page,
                items=[("A.", False, ""), ("B.", False, ""), ("C.", False, "")],
            )
        )
        self.assertEqual(
            list(AgendaItem.objects.values_list("text", "position")),
            [("A.", 1), ("B.", 2), ("C.", 3)],
        )

    def test_a_sub_item_with_no_item_above_is_refused_at_the_field(self):
        response = self.add(
            meeting_form(
                self.client, self.page, items=[("Orphan.", True, ""), ("Item.", False, "")]
            )
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The first item of the overview cannot be a sub-item")
        self.assertFalse(Meeting.objects.exists())

    def test_a_duration_that_is_not_a_duration_is_refused_at_the_field(self):
        response = self.add(meeting_form(self.client, self.page, duration="about lunchtime"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["adminform"].form.errors["duration"],
            [
                "“about lunchtime” is not a duration. Write it like “45 minutes”, "
                "“1 hour and 10 minutes” or “1:10”."
            ],
        )

    def test_a_duplicate_slug_is_refused_at_the_field(self):
        factories.meeting(self.page, title="Japan-Atlantis Summit Meeting", date=date(2024, 6, 3))
        response = self.add(meeting_form(self.client, self.page))
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "already has the address", response.context["adminform"].form.errors["slug"][0]
        )

    def test_an_image_that_is_not_an_image_is_refused_at_the_field(self):
        fake = SimpleUploadedFile("photo.jpg", b"this is not a picture", content_type="image/jpeg")
        form = meeting_form(
            self.client, self.page, photos=[{"caption": "Handshake", "alt_text": "Handshake"}]
        )
        response = self.add(form, files={"photo_sessions-0-image": fake})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Upload a valid image")
        self.assertFalse(PhotoSession.objects.exists())

    def test_a_real_image_with_alt_text_is_stored(self):
        gif = SimpleUploadedFile("photo.gif", factories.GIF_1PX, content_type="image/gif")
        form = meeting_form(
            self.client, self.page, photos=[{"caption": "Handshake", "alt_text": "Two leaders"}]
        )
        self.assertEqual(self.add(form, files={"photo_sessions-0-image": gif}).status_code, 302)
        self.assertEqual(PhotoSession.objects.get().width, 1)

    def test_a_topic_of_several_words_typed_alone_is_one_topic(self):
        response = self.add(
            meeting_form(
                self.client, self.page, tags="North Korea", items=[("An item.", False, "Space")]
            )
        )
        self.assertEqual(response.status_code, 302)
        meeting = Meeting.objects.get()
        self.assertEqual([tag.name for tag in meeting.tags.all()], ["North Korea"])

    def test_a_credit_typed_with_photo_is_not_said_twice(self):
        form = meeting_form(
            self.client,
            self.page,
            photos=[
                {
                    "caption": "Handshake",
                    "credit": "Photo: Cabinet Public Affairs Office",
                    "credit_ja": "写真：内閣広報室",
                }
            ],
        )
        self.assertEqual(self.add(form).status_code, 302)
        photo = PhotoSession.objects.get()
        self.assertEqual(photo.credit_en, "Cabinet Public Affairs Office")
        self.assertEqual(photo.credit_ja, "内閣広報室")

    def test_an_image_without_alt_text_is_refused(self):
        gif = SimpleUploadedFile("photo.gif", factories.GIF_1PX, content_type="image/gif")
        form = meeting_form(self.client, self.page, photos=[{"caption": "Handshake"}])
        response = self.add(form, files={"photo_sessions-0-image": gif})
        self.assertContains(response, "Describe what the photo shows")


class ReorderingTests(TestCase):
    """Positions are unique per meeting in the database; editors still move rows freely."""

    @classmethod
    def setUpTestData(cls):
        cls.user = factories.staff_user()
        cls.meeting = factories.meeting(published=False)
        cls.items = factories.agenda(cls.meeting, "First.", "Second.", "Third.")

    def setUp(self):
        self.client.force_login(self.user)

    def change(self, positions, delete=()):
        form = meeting_form(self.client, meeting=self.meeting)
        for index, item in enumerate(self.items):
            self.assertEqual(form.get(f"agenda_items-{index}-id"), str(item.pk))
            form.set(f"agenda_items-{index}-position", positions[index])
            if item in delete:
                form.set(f"agenda_items-{index}-DELETE", True)
        return form.submit(self.client)

    def texts(self):
        return [item.text for item in self.meeting.agenda_items.all()]

    def test_swapping_two_rows(self):
        self.assertEqual(self.change([2, 1, 3]).status_code, 302)
        self.assertEqual(self.texts(), ["Second.", "First.", "Third."])

    def test_moving_a_row_into_the_place_of_a_deleted_one(self):
        self.assertEqual(self.change([1, 3, 2], delete=[self.items[1]]).status_code, 302)
        self.assertEqual(self.texts(), ["First.", "Third."])

    def test_two_rows_at_one_position_are_refused(self):
        response = self.change([1, 1, 2])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Please correct the duplicate data for position.")
        self.assertEqual(self.texts(), ["First.", "Second.", "Third."])


class PhotosWaitingForImagesTests(TestCase):
    """Imports bring photo captions before their images; the public page leaves them out
    until the images come, and the admin tells editors so."""

    WARNING = (
        "2 photo captions have no image yet; the public page shows them once their images "
        "are uploaded."
    )

    @classmethod
    def setUpTestData(cls):
        cls.user = factories.staff_user()
        cls.page = factories.relations_page("Atlantis")
        cls.meeting = factories.full_meeting(cls.page, published=False, photos=2)
        cls.complete = factories.full_meeting(cls.page, published=False, photos=0)

    def setUp(self):
        self.client.force_login(self.user)
        self.change = reverse("admin:meetings_meeting_change", args=[self.meeting.pk])
        self.changelist = reverse("admin:meetings_meeting_changelist")

    def test_the_change_page_says_which_captions_wait_for_their_image(self):
        response = self.client.get(self.change)
        self.assertContains(response, self.WARNING, count=1)
        self.assertContains(response, "Waiting for its image", count=2)
        response = self.client.get(
            reverse("admin:meetings_meeting_change", args=[self.complete.pk])
        )
        self.assertNotContains(response, "no image yet")

    def test_saving_says_it_once_on_the_page_that_follows(self):
        for button in ("_save", "_continue"):
            with self.subTest(button):
                form = meeting_form(self.client, meeting=self.meeting)
                response = form.submit(self.client, button, follow=True)
                self.assertEqual(response.redirect_chain[0][1], 302)
                self.assertContains(response, self.WARNING, count=1)

    def test_uploading_the_images_ends_the_warning_and_the_page_shows_the_photos(self):
        form = meeting_form(self.client, meeting=self.meeting)
        form.set("photo_sessions-0-alt_text", "The two ministers shake hands")
        form.set("photo_sessions-1-alt_text", "The delegations")
        images = {
            "photo_sessions-0-image": factories.uploaded_image(1600, 1000),
            "photo_sessions-1-image": factories.uploaded_image(600, 400, format="PNG"),
        }
        response = form.submit(self.client, "_continue", files=images, follow=True)
        self.assertNotContains(response, "no image yet")
        for photo in self.meeting.photo_sessions.all():
            for file in renditions.rendition_files(photo):
                with self.subTest(file.name):
                    self.assertTrue(file.storage.exists(file.name))
        workflow.publish(Meeting.objects.get(pk=self.meeting.pk), by=workflow.SITE)
        page = self.client.get(self.meeting.get_absolute_url())
        self.assertContains(page, "<figure", count=2)

    def test_the_list_counts_them_and_filters_the_meetings_that_have_some(self):
        response = self.client.get(self.changelist)
        # In the state column, so the list fits a 1280 px screen.
        self.assertContains(
            response, '<span class="state-detail">2 photos waiting</span>', html=True
        )
        counts = {row.pk: row.photos_waiting for row in response.context["cl"].result_list}
        self.assertEqual(counts, {self.meeting.pk: 2, self.complete.pk: 0})
        response = self.client.get(self.changelist, {"photos_waiting": "yes"})
        self.assertEqual(list(response.context["cl"].result_list), [self.meeting])

    def test_the_list_runs_as_many_queries_for_many_meetings_as_for_few(self):
        def queries():
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(self.changelist).status_code, 200)
            return len(captured)

        few = queries()
        for _ in range(3):
            factories.full_meeting(self.page, published=False, photos=3)
        self.assertEqual(queries(), few)


class RelationsAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = factories.staff_user()

    def setUp(self):
        self.client.force_login(self.user)

    def test_a_duplicate_relations_page_slug_is_refused_at_the_field(self):
        factories.relations_page("France", slug="france")
        form = admin_change_form(self.client, reverse("admin:relations_relationspage_add"))
        form.set("title", "Japan-France (2) Relations").set("counterpart", "France")
        response = form.set("slug", "france").submit(self.client)
        self.assertEqual(response.status_code, 200)
        self.assertIn("slug", response.context["adminform"].form.errors)
