"""A meeting's admin page with its inlines, its list, and the pages hanging off it."""

from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from portal.bilingual_admin import JapaneseBesideEnglish, is_japanese

from .. import presence, workflow
from ..forms import (
    AgendaItemForm,
    AgendaItemFormSet,
    MeetingAdminForm,
    OrderedInlineFormSet,
    PhotoField,
)
from ..models import (
    AgendaItem,
    Meeting,
    MeetingType,
    Participant,
    PhotoSession,
    PublicationLogEntry,
    renditions,
)
from ..models.readout import numbered_anchors
from ..search.query import Query
from . import filters, importing, topic_suggestions
from . import presence as presence_views
from . import workflow as panel


def read_only(meeting):
    """What the public sees (or saw) changes only through the workflow: a correction that is
    approved, or a publisher's step. Its admin page reads like the public page instead."""
    return meeting is not None and meeting.state in (
        Meeting.State.PUBLISHED,
        Meeting.State.TAKEN_DOWN,
    )


class OrderedInline(JapaneseBesideEnglish, admin.TabularInline):
    """A tabular inline of ordered rows whose English and Japanese texts share a column.

    A line ("caption", "caption_ja") of `fields` is one cell, the Japanese under the English
    (see the template): rows of bilingual texts then fit a 1280 px screen."""

    formset = OrderedInlineFormSet
    extra = 0
    classes = ["ordered-inline"]
    template = "admin/meetings/edit_inline/tabular_bilingual.html"

    @property
    def stacked_above(self):
        """Fields with another under them in their cell: their column's heading says so."""
        return {line[0] for line in self.fields if isinstance(line, (list, tuple))}

    @property
    def stacked_below(self):
        """Fields shown under another in its cell: their column has no heading of its own."""
        return {
            name for line in self.fields if isinstance(line, (list, tuple)) for name in line[1:]
        }

    # Shown only while the rows can be edited: read only, the order is the rows' order.
    editing_fields = ["position"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if read_only(obj):
            fields = [line for line in fields if line not in self.editing_fields]
        return fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and is_japanese(db_field):
            # Under the English in the same cell: the box says which language it takes.
            field.widget.attrs["placeholder"] = "Japanese (optional)"
        if db_field.name == "position":
            field.required = False
            field.initial = None  # an untouched extra row stays unchanged, and is skipped
            field.widget.attrs.update({"class": "position-input", "min": 1})
            field.help_text = "Order; leave empty to add at the end."
        return field


class ParticipantInline(OrderedInline):
    model = Participant
    fields = ["side", ("name", "name_ja"), ("title", "title_ja"), "position"]


class PhotoSessionInline(OrderedInline):
    model = PhotoSession
    fields = [
        "preview",
        "image",
        ("caption", "caption_ja"),
        ("alt_text", "alt_text_ja"),
        ("credit", "credit_ja"),
        "position",
    ]
    readonly_fields = ["preview"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "image":
            kwargs["form_class"] = PhotoField  # re-encoded by the server: only pixels stored
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "image":
            field.help_text = (
                "JPEG, PNG, GIF or WebP. Until one is uploaded, the public page leaves the "
                "caption out."
            )
        return field

    @admin.display(description="Photo")
    def preview(self, photo_session):
        if photo_session.pk and not photo_session.image:
            return "Waiting for its image: not on the public page until it is uploaded."
        if not photo_session.image:
            return ""
        return format_html(
            '<img src="{}" alt="" class="photo-preview">',
            renditions.address(photo_session.image.name),
        )


def swap_duration(line):
    return "approximate_duration" if line == "duration" else line


def photos_waiting_message(count):
    if count == 1:
        return (
            "1 photo caption has no image yet; the public page shows it once its image is uploaded."
        )
    return (
        f"{count} photo captions have no image yet; the public page shows them once their "
        "images are uploaded."
    )


class AgendaItemInline(OrderedInline):
    model = AgendaItem
    form = AgendaItemForm
    formset = AgendaItemFormSet
    fields = ["number", ("text", "text_ja"), "is_sub_item", "tags", "position"]
    readonly_fields = ["number"]
    extra = 1
    classes = ["ordered-inline", "agenda-inline"]

    # Read only, the number and the indent say what the sub-item box says.
    editing_fields = ["position", "is_sub_item"]

    @admin.display(description="No.")
    def number(self, item):
        """The number the public page gives the saved item: 2. for items, (1) for sub-items.
        While editing, ordered_inlines.js renumbers as rows move or boxes are ticked."""
        if item.pk is None:
            return ""
        numbers = self._numbers.get(item.meeting_id)
        if numbers is None:
            rows = item.meeting.agenda_items.values_list("pk", "is_sub_item")
            numbers = self._numbers[item.meeting_id] = numbered_anchors(list(rows))
        anchor = numbers.get(item.pk, "")
        if anchor.count("-") == 2:  # item-2-1: the first sub-item of item 2
            return format_html('<span class="sub-item-number">({})</span>', anchor.rsplit("-")[-1])
        return f"{anchor.removeprefix('item-')}." if anchor else ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._numbers = {}  # {meeting pk: {item pk: anchor}}, for one page (one request)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            kwargs["widget"] = topic_suggestions.TagsWithSuggestions
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("text", "text_ja"):
            # As wide as their column, and as tall as their text (growing_textareas.js).
            field.widget.attrs.update({"rows": 3, "class": "growing"})
        return field


class PublicationLogInline(admin.TabularInline):
    """The meeting's publication history, as the log keeps it: read only."""

    model = PublicationLogEntry
    fields = ["at", "actor", "from_state", "to_state", "published_at", "version", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-at", "-pk"]
    verbose_name_plural = "Publication history"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(JapaneseBesideEnglish, admin.ModelAdmin):
    form = MeetingAdminForm
    inlines = [ParticipantInline, PhotoSessionInline, AgendaItemInline, PublicationLogInline]
    list_display = [
        "title",
        "counterpart",
        "meeting_type",
        "meeting_date",
        "publication",
    ]
    list_filter = [
        "state",
        "unreviewed",
        filters.PhotosWaitingFilter,
        "meeting_type",
        ("relations_page", admin.RelatedOnlyFieldListFilter),
        ("tags", filters.TopicFilter),
    ]
    list_select_related = ["relations_page", "meeting_type"]
    # Read by get_search_results through each meeting's search document; listed so that
    # the admin shows its search box.
    search_fields = ["title"]
    date_hierarchy = "date"
    get_changelist = filters.get_changelist
    ordering = ["-date", "-pk"]
    autocomplete_fields = ["relations_page"]
    prepopulated_fields = {"slug": ["title"]}
    save_on_top = True
    # Approving is done on each meeting's page, where the reviewer sees what they approve.
    actions = ["submit_for_review"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "relations_page",
                    ("title", "title_ja"),
                    "slug",
                    "meeting_type",
                    # Hidden: what the editor opened, for the stale-save check.
                    "opened_version",
                    "opened_snapshot",
                ]
            },
        ),
        (
            "When and where",
            {"fields": [("date", "start_time"), "duration", ("place", "place_ja")]},
        ),
        ("Readout", {"fields": [("lead", "lead_ja"), "tags"]}),
        (
            "Publication",
            {
                "fields": ["state", "published_at", "expires_at"],
                "description": "Publish, schedule and take down with the Workflow panel below.",
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_photos_waiting()

    def get_search_results(self, request, queryset, search_term):
        """Meetings found as the public search finds them, drafts included: every text of
        the meeting in both languages (items, participants, place, counterpart, topics),
        English stemmed; or a meeting's number. Through the search documents and their
        indexes: a substring search of every column took seconds at 50,000 meetings."""
        query = Query.parse(search_term)
        if not query:
            return queryset, False
        found = query.matching()
        if search_term.strip().isdecimal():  # ASCII or full-width digits, as int() reads them
            found |= Q(pk=int(search_term))
        return queryset.filter(found), False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            kwargs["widget"] = topic_suggestions.TagsWithSuggestions
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["state", "published_at", *super().get_readonly_fields(request, obj)]
        if not workflow.can_publish(request.user):
            readonly.append("expires_at")
        return readonly

    def has_change_permission(self, request, obj=None):
        if read_only(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A meeting the public may have seen is taken down (a workflow step), never deleted.
        if obj is not None and obj.has_been_public():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Deleting is decided meeting by meeting (above), so not in bulk from the list.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not read_only(obj):
            return fieldsets
        # Read only, the duration reads as on the public page (“50 minutes”), not “0:50:00”.
        return [
            (name, {**options, "fields": [swap_duration(line) for line in options["fields"]]})
            for name, options in fieldsets
        ]

    @admin.display(description="Duration")
    def approximate_duration(self, meeting):
        return meeting.duration_text or "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        workflow.record_edit(form.instance, by=request.user)
        if "_continue" not in request.POST:  # else the change page it opens again says it
            self.warn_of_photos_waiting(request, form.instance)
        topic_suggestions.remind_of_suggestions(request, form.instance)

    def warn_of_photos_waiting(self, request, meeting):
        """Captions without an image are left off the public page: the editor should know."""
        waiting = meeting.photo_sessions.waiting_for_image().count()
        if waiting:
            message = photos_waiting_message(waiting)
            if read_only(meeting):
                message += " To upload images, start a correction in the workflow panel below."
            messages.warning(request, message)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        meeting = self.get_object(request, object_id)
        if meeting is not None and request.method == "GET":
            self.warn_of_photos_waiting(request, meeting)
        if meeting is not None:
            extra_context = {
                **(extra_context or {}),
                "workflow_state": panel.describe_state(meeting),
                "workflow_steps": panel.step_forms(meeting, request.user),
                "workflow_notes": panel.unavailable(meeting, request.user),
                "can_share_preview": workflow.can_publish(request.user),
                "preview_links": [link for link in meeting.preview_links.all() if link.is_valid],
                "open_correction": meeting.corrections.first(),
                **self.presence_context(request, meeting),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        topic_suggestions.show_suggestions(
            context["adminform"].form,
            topic_suggestions.agenda_item_forms(context["inline_admin_formsets"]),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def presence_context(self, request, meeting):
        """Who else has the meeting open, for the notice the page starts with. Shown at
        once (not after the first heartbeat); a page shown again after a refused save checks
        in from the page, as its previous tab left when the form was sent."""
        tab = presence.new_tab()
        if request.method == "GET":
            presence.check_in(meeting, request.user, tab)
        others = presence.others_on(meeting, request.user)
        return {
            "presence_tab": tab,
            "presence_text": presence.describe_others(others),
            "presence_seconds": presence.HEARTBEAT_SECONDS,
        }

    class Media:
        # topic_suggestions.js after ordered_inlines.js: the suggestions name items by the
        # numbers it shows. unsaved_drafts.js runs on the list too: it forgets a draft once
        # its save went through.
        js = [
            "admin/ordered_inlines.js",
            "admin/growing_textareas.js",
            "admin/topic_suggestions.js",
            "admin/presence.js",
            "admin/unsaved_drafts.js",
        ]
        css = {
            "all": [
                "admin/ordered_inlines.css",
                "admin/admin_layout.css",
                "admin/topic_suggestions.css",
                "admin/presence.css",
            ]
        }

    def get_urls(self):
        import_readouts = self.admin_site.admin_view(partial(importing.import_view, self))
        transition = self.admin_site.admin_view(partial(panel.transition_view, self))
        return [
            path("import/", import_readouts, name="meetings_meeting_import"),
            path(
                "suggest-topics/",
                self.admin_site.admin_view(partial(topic_suggestions.suggest_topics_view, self)),
                name="meetings_meeting_suggest_topics",
            ),
            path("<int:object_id>/transition/", transition, name="meetings_meeting_transition"),
            path(
                "<int:object_id>/revisions/",
                self.admin_site.admin_view(partial(panel.revisions_view, self)),
                name="meetings_meeting_revisions",
            ),
            path(
                "<int:object_id>/preview/",
                self.admin_site.admin_view(partial(panel.staff_preview_view, self)),
                name="meetings_meeting_preview",
            ),
            path(
                "<int:object_id>/presence/",
                self.admin_site.admin_view(
                    require_POST(partial(presence_views.heartbeat_view, self))
                ),
                name="meetings_meeting_presence",
            ),
            path(
                "<int:object_id>/presence/leave/",
                self.admin_site.admin_view(require_POST(partial(presence_views.leave_view, self))),
                name="meetings_meeting_presence_leave",
            ),
            path(
                "<int:object_id>/share-preview/",
                self.admin_site.admin_view(partial(panel.share_preview_view, self)),
                name="meetings_meeting_share_preview",
            ),
            path(
                "<int:object_id>/preview-links/<int:link_id>/revoke/",
                self.admin_site.admin_view(partial(panel.revoke_preview_view, self)),
                name="meetings_meeting_revoke_preview",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, meeting):
        """Django's checkbox of each row, written directly: rendered as a form widget it was
        the list's costliest column (0.8 ms a row)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="Select this object for an action - {}">',
            ACTION_CHECKBOX_NAME,
            meeting.pk,
            str(meeting),
        )

    @admin.display(description="Counterpart", ordering="relations_page__counterpart")
    def counterpart(self, meeting):
        return meeting.relations_page.counterpart

    @admin.display(description="Date", ordering="date")
    def meeting_date(self, meeting):
        return meeting.date.isoformat()

    # State, publication time, public page and photos waiting share a column: the list
    # fits a 1280 px screen beside the filters, with room left for the titles.
    @admin.display(description="State", ordering="state")
    def publication(self, meeting):
        lines = []
        if meeting.published_at is not None:
            lines.append(f"{timezone.localtime(meeting.published_at):%Y-%m-%d %H:%M %Z}")
        if meeting.is_public:
            lines.append(format_html('<a href="{}">Public page</a>', meeting.get_absolute_url()))
        if meeting.photos_waiting:
            lines.append(
                ngettext(
                    "%(count)d photo waiting", "%(count)d photos waiting", meeting.photos_waiting
                )
                % {"count": meeting.photos_waiting}
            )
        return format_html(
            "{}{}",
            state_in_a_word(meeting),
            format_html_join(
                "", '<span class="state-detail">{}</span>', ((line,) for line in lines)
            ),
        )

    @admin.action(description="Submit selected drafts for review")
    def submit_for_review(self, request, queryset):
        self._apply(request, queryset, workflow.submit_for_review)

    def _apply(self, request, queryset, step):
        done = 0
        for meeting in queryset:
            try:
                step(meeting, by=request.user)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                messages.error(
                    request, f"{meeting}: {' '.join(getattr(error, 'messages', [str(error)]))}"
                )
        if done:
            self.message_user(request, f"{done} meeting(s) done.", messages.SUCCESS)


@admin.register(MeetingType)
class MeetingTypeAdmin(JapaneseBesideEnglish, admin.ModelAdmin):
    fields = [("name", "name_ja"), "slug", "position", "title_phrases", "precedence"]
    list_display = ["name", "slug", "title_rules", "precedence", "position", "meeting_count"]
    list_editable = ["precedence", "position"]
    # The list reads in the order types claim a title (MeetingType.objects.by_precedence()).
    ordering = ["precedence", "position", "name"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(meeting_count=Count("meetings"))

    @admin.display(description="Title rules")
    def title_rules(self, meeting_type):
        return "; ".join(line.strip() for line in meeting_type.title_phrases.splitlines()) or "—"

    @admin.display(description="Meetings", ordering="meeting_count")
    def meeting_count(self, meeting_type):
        return meeting_type.meeting_count


def state_in_a_word(meeting):
    """The state as the meeting list shows it: a correction, a scheduled or expired meeting
    and the way one was taken down are told apart from plain drafts and publications."""
    state = meeting.get_state_display()
    if meeting.draft_of_id:
        return f"Correction, {state.lower()}"
    if meeting.state == Meeting.State.PUBLISHED and not meeting.is_public:
        return (
            "Expired"
            if meeting.expires_at and meeting.expires_at <= timezone.now()
            else "Scheduled"
        )
    if meeting.state == Meeting.State.TAKEN_DOWN and meeting.takedown:
        return Meeting.Takedown(meeting.takedown).label.split(":")[0]
    if meeting.unreviewed:
        return f"{state}, not yet reviewed"
    return state
