from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from taggit.admin import TagAdmin
from taggit.models import Tag

from . import admin_filters, admin_import, admin_workflow, topics, workflow
from .caching import RetiresCachedPagesAdmin
from .forms import AgendaItemForm, AgendaItemFormSet, MeetingAdminForm, OrderedInlineFormSet
from .models import (
    AgendaItem,
    Meeting,
    MeetingType,
    Participant,
    PhotoSession,
    PublicationLogEntry,
    Topic,
)


class OrderedInline(admin.TabularInline):
    formset = OrderedInlineFormSet
    extra = 0
    classes = ["ordered-inline"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "position":
            field.required = False
            field.initial = None  # an untouched extra row stays unchanged, and is skipped
            field.widget.attrs.update({"class": "position-input", "min": 1})
            field.help_text = "Order; leave empty to add at the end."
        return field


class ParticipantInline(OrderedInline):
    model = Participant
    fields = ["side", "name", "title", "position"]


class PhotoSessionInline(OrderedInline):
    model = PhotoSession
    fields = ["preview", "image", "caption", "alt_text", "credit", "position"]
    readonly_fields = ["preview"]

    @admin.display(description="Photo")
    def preview(self, photo_session):
        if not photo_session.image:
            return "Caption only"
        return format_html(
            '<img src="{}" alt="" style="max-width:120px;height:auto">', photo_session.image.url
        )


class AgendaItemInline(OrderedInline):
    model = AgendaItem
    form = AgendaItemForm
    formset = AgendaItemFormSet
    fields = ["number", "text", "is_sub_item", "tags", "position"]
    readonly_fields = ["number"]
    extra = 1
    classes = ["ordered-inline", "agenda-inline"]

    @admin.display(description="No.")
    def number(self, item):
        # Filled in live by ordered_inlines.js from the order and the sub-item boxes.
        return ""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "text":
            field.widget.attrs.update({"rows": 3, "cols": 70})
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


class YearListFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Meeting.objects.dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        year = admin_filters.year_or_none(self.value())
        if year is not None:
            return queryset.filter(date__year=year)
        return queryset


@admin.register(Meeting)
class MeetingAdmin(RetiresCachedPagesAdmin, admin.ModelAdmin):
    form = MeetingAdminForm
    inlines = [ParticipantInline, PhotoSessionInline, AgendaItemInline, PublicationLogInline]
    list_display = [
        "title",
        "counterpart",
        "meeting_type",
        "date",
        "state",
        "published_at",
        "public_link",
    ]
    list_filter = [
        "state",
        "unreviewed",
        "meeting_type",
        YearListFilter,
        ("relations_page", admin.RelatedOnlyFieldListFilter),
        "tags",
    ]
    list_select_related = ["relations_page", "meeting_type"]
    search_fields = ["title", "lead", "place", "agenda_items__text", "relations_page__title"]
    date_hierarchy = "date"
    get_changelist = admin_filters.get_changelist
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
                    "title",
                    "slug",
                    "meeting_type",
                    # Hidden: what the editor opened, for the stale-save check.
                    "opened_version",
                    "opened_snapshot",
                ]
            },
        ),
        ("When and where", {"fields": [("date", "start_time"), "duration", "place"]}),
        ("Readout", {"fields": ["lead", "tags"]}),
        (
            "Publication",
            {
                "fields": ["state", "published_at", "expires_at"],
                "description": "Publish, schedule and take down with the Workflow panel below.",
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["state", "published_at", *super().get_readonly_fields(request, obj)]
        if not workflow.can_publish(request.user):
            readonly.append("expires_at")
        return readonly

    def has_change_permission(self, request, obj=None):
        # What the public sees (or saw) changes only through the workflow: a correction
        # that is approved, or a publisher's step.
        if obj is not None and obj.state in (Meeting.State.PUBLISHED, Meeting.State.TAKEN_DOWN):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        workflow.record_edit(form.instance, by=request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        meeting = self.get_object(request, object_id)
        if meeting is not None:
            extra_context = {
                **(extra_context or {}),
                "workflow_state": admin_workflow.describe_state(meeting),
                "workflow_actions": admin_workflow.available(meeting, request.user),
                "transition_form": admin_workflow.TransitionForm(
                    initial={"opened_version": meeting.edit_version}
                ),
                "workflow_notes": admin_workflow.unavailable(meeting, request.user),
                "can_share_preview": workflow.can_publish(request.user),
                "preview_links": [link for link in meeting.preview_links.all() if link.is_valid],
                "open_correction": meeting.corrections.first(),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    class Media:
        js = ["admin/ordered_inlines.js"]
        css = {"all": ["admin/ordered_inlines.css"]}

    def get_urls(self):
        import_readouts = self.admin_site.admin_view(partial(admin_import.import_view, self))
        transition = self.admin_site.admin_view(partial(admin_workflow.transition_view, self))
        return [
            path("import/", import_readouts, name="meetings_meeting_import"),
            path("<int:object_id>/transition/", transition, name="meetings_meeting_transition"),
            path(
                "<int:object_id>/revisions/",
                self.admin_site.admin_view(partial(admin_workflow.revisions_view, self)),
                name="meetings_meeting_revisions",
            ),
            path(
                "<int:object_id>/preview/",
                self.admin_site.admin_view(partial(admin_workflow.staff_preview_view, self)),
                name="meetings_meeting_preview",
            ),
            path(
                "<int:object_id>/share-preview/",
                self.admin_site.admin_view(partial(admin_workflow.share_preview_view, self)),
                name="meetings_meeting_share_preview",
            ),
            path(
                "<int:object_id>/preview-links/<int:link_id>/revoke/",
                self.admin_site.admin_view(partial(admin_workflow.revoke_preview_view, self)),
                name="meetings_meeting_revoke_preview",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="Counterpart", ordering="relations_page__counterpart")
    def counterpart(self, meeting):
        return meeting.relations_page.counterpart

    @admin.display(description="Public page")
    def public_link(self, meeting):
        if not meeting.is_public:
            return "—"
        return format_html('<a href="{}">View</a>', meeting.get_absolute_url())

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
class MeetingTypeAdmin(RetiresCachedPagesAdmin, admin.ModelAdmin):
    list_display = ["name", "slug", "position", "meeting_count"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(meeting_count=Count("meetings"))
        # Meta.ordering does not apply to aggregating queries.
        return queryset.order_by(*MeetingType._meta.ordering)

    @admin.display(description="Meetings", ordering="meeting_count")
    def meeting_count(self, meeting_type):
        return meeting_type.meeting_count


@admin.register(PublicationLogEntry)
class PublicationLogAdmin(admin.ModelAdmin):
    """Who published, scheduled or took down what, and when. Nobody can change it."""

    list_display = [
        "at",
        "meeting_title",
        "from_state",
        "to_state",
        "published_at",
        "version",
        "actor",
    ]
    list_filter = ["to_state", ("actor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["meeting_title", "comment", "actor__username"]
    date_hierarchy = "at"
    list_select_related = ["actor", "meeting"]
    get_changelist = admin_filters.get_changelist

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(Tag)


class TopicForm(forms.ModelForm):
    name = forms.CharField(max_length=100, help_text="As readers see it, e.g. “North Korea”.")

    class Meta:
        model = Topic
        fields = ["name", "synonyms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["name"].initial = self.instance.tag.name

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Tag.objects.filter(name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.tag_id)
        if clash.filter(topic__isnull=False).exists():
            raise forms.ValidationError(f"There is already a topic named “{name}”.")
        if self.instance.pk and clash.exists():
            raise forms.ValidationError(
                f"A tag named “{clash.first().name}” exists: merge the two in Tags instead."
            )
        return name


@admin.register(Topic)
class TopicAdmin(RetiresCachedPagesAdmin, admin.ModelAdmin):
    """The topics vocabulary: what the importer tags, and the words that mean each topic."""

    form = TopicForm
    list_display = ["name", "synonym_list", "public_page"]
    search_fields = ["tag__name", "synonyms"]
    list_select_related = ["tag"]
    ordering = ["tag__name"]

    def save_model(self, request, obj, form, change):
        name = form.cleaned_data["name"]
        if not change:
            obj.tag = topics.tag_named(name)
        elif obj.tag.name != name:
            topics.rename_topic(obj.tag, name)
        super().save_model(request, obj, form, change)

    @admin.display(description="Synonyms")
    def synonym_list(self, topic):
        return ", ".join(topic.phrases()[1:]) or "—"

    @admin.display(description="Topic page")
    def public_page(self, topic):
        url = reverse("meetings:topic", kwargs={"slug": topic.tag.slug})
        return format_html('<a href="{}">{}</a>', url, url)


@admin.register(Tag)
class TopicTagAdmin(RetiresCachedPagesAdmin, TagAdmin):
    """Every tag in use. Renaming keeps the old topic address working; tags can be merged."""

    list_display = ["name", "slug", "in_vocabulary", "use_count"]
    fields = ["name"]
    prepopulated_fields = {}
    # taggit's own merge leaves no redirects behind; ours (below) does.
    inlines = []
    actions = ["merge_tags"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(use_count=Count("taggit_taggeditem_items"))
            .select_related("topic")
            .order_by("name")
        )

    @admin.display(description="In the topics vocabulary", boolean=True)
    def in_vocabulary(self, tag):
        return hasattr(tag, "topic")

    @admin.display(description="Uses", ordering="use_count")
    def use_count(self, tag):
        return tag.use_count

    def save_model(self, request, obj, form, change):
        if change and "name" in form.changed_data:
            old = Tag.objects.get(pk=obj.pk)
            try:
                topics.rename_topic(old, obj.name)
            except ValueError as error:
                self.message_user(request, str(error), messages.ERROR)
            return
        super().save_model(request, obj, form, change)

    @admin.action(description="Merge selected tags into one…")
    def merge_tags(self, request, queryset):
        tags = list(queryset.order_by("-use_count", "name"))
        if len(tags) < 2:
            self.message_user(request, "Select two or more tags to merge.", messages.WARNING)
            return None
        target_pk = request.POST.get("merge_into")
        target = next((tag for tag in tags if str(tag.pk) == target_pk), None)
        if target is None:
            return TemplateResponse(
                request,
                "admin/meetings/merge_tags.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Merge tags",
                    "tags": tags,
                    "opts": self.model._meta,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        topics.merge_topics(tags, target)
        self.message_user(
            request,
            f"Merged {len(tags) - 1} tag(s) into “{target.name}”; their old topic addresses "
            "redirect to it.",
            messages.SUCCESS,
        )
        return None
