from django.contrib import admin, messages
from django.db.models import Count
from django.utils.html import format_html
from taggit.admin import TagAdmin
from taggit.models import Tag

from . import workflow
from .caching import RetiresCachedPagesAdmin
from .forms import AgendaItemFormSet, MeetingAdminForm, OrderedInlineFormSet
from .models import AgendaItem, Meeting, MeetingType, Participant, PhotoSession


class OrderedInline(admin.TabularInline):
    formset = OrderedInlineFormSet
    extra = 0
    classes = ["ordered-inline"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "position":
            field.required = False
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


class YearListFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Meeting.objects.dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


@admin.register(Meeting)
class MeetingAdmin(RetiresCachedPagesAdmin, admin.ModelAdmin):
    form = MeetingAdminForm
    inlines = [ParticipantInline, PhotoSessionInline, AgendaItemInline]
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
        "meeting_type",
        YearListFilter,
        ("relations_page", admin.RelatedOnlyFieldListFilter),
        "tags",
    ]
    list_select_related = ["relations_page", "meeting_type"]
    search_fields = ["title", "lead", "place", "agenda_items__text", "relations_page__title"]
    date_hierarchy = "date"
    ordering = ["-date", "-pk"]
    autocomplete_fields = ["relations_page"]
    prepopulated_fields = {"slug": ["title"]}
    save_on_top = True
    actions = ["publish_now", "return_to_draft"]
    fieldsets = [
        (None, {"fields": ["relations_page", "title", "slug", "meeting_type"]}),
        ("When and where", {"fields": [("date", "start_time"), "duration", "place"]}),
        ("Readout", {"fields": ["lead", "tags"]}),
        (
            "Publication",
            {
                "fields": [("state", "published_at")],
                "description": "Drafts and meetings whose publication time has not come yet "
                "are invisible to the public.",
            },
        ),
    ]

    class Media:
        js = ["admin/ordered_inlines.js"]
        css = {"all": ["admin/ordered_inlines.css"]}

    @admin.display(description="Counterpart", ordering="relations_page__counterpart")
    def counterpart(self, meeting):
        return meeting.relations_page.counterpart

    @admin.display(description="Public page")
    def public_link(self, meeting):
        if not meeting.is_public:
            return "—"
        return format_html('<a href="{}">View</a>', meeting.get_absolute_url())

    @admin.action(description="Publish selected meetings now")
    def publish_now(self, request, queryset):
        for meeting in queryset:
            workflow.publish(meeting)
        self.message_user(request, f"{queryset.count()} meeting(s) published.", messages.SUCCESS)

    @admin.action(description="Return selected meetings to draft")
    def return_to_draft(self, request, queryset):
        for meeting in queryset:
            workflow.unpublish(meeting)
        self.message_user(request, f"{queryset.count()} meeting(s) returned to draft.")


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


admin.site.unregister(Tag)


@admin.register(Tag)
class TopicTagAdmin(RetiresCachedPagesAdmin, TagAdmin):
    """taggit's tag admin; renaming or deleting a tag changes public topic pages."""
