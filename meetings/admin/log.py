from django.contrib import admin

from ..models import PublicationLogEntry
from . import filters


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
    list_filter = ["to_state", "backfill", ("actor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["meeting_title", "comment", "actor__username"]
    date_hierarchy = "at"
    list_select_related = ["actor", "meeting"]
    get_changelist = filters.get_changelist

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
