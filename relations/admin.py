from django.contrib import admin
from django.db.models import Count

from portal.bilingual_admin import JapaneseBesideEnglish

from .models import Region, RelationsPage


@admin.register(Region)
class RegionAdmin(JapaneseBesideEnglish, admin.ModelAdmin):
    fields = [("name", "name_ja"), "slug", "position"]
    list_display = ["name", "slug", "position", "page_count"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name_en", "name_ja"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(page_count=Count("relations_pages"))
        # Meta.ordering does not apply to aggregating queries; autocomplete pages need one.
        return queryset.order_by(*Region._meta.ordering)

    @admin.display(description="Relations pages", ordering="page_count")
    def page_count(self, region):
        return region.page_count


@admin.register(RelationsPage)
class RelationsPageAdmin(JapaneseBesideEnglish, admin.ModelAdmin):
    list_display = ["title", "counterpart", "region", "published", "meeting_count", "updated_at"]
    list_filter = ["published", "region"]
    list_select_related = ["region"]
    search_fields = ["title_en", "title_ja", "counterpart_en", "counterpart_ja"]
    prepopulated_fields = {"slug": ["counterpart"]}
    autocomplete_fields = ["region"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("title", "title_ja"),
                    ("counterpart", "counterpart_ja"),
                    "slug",
                    "region",
                    "published",
                ]
            },
        ),
        ("Page", {"fields": [("introduction", "introduction_ja")]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(meeting_count=Count("meetings"))
        return queryset.order_by(*RelationsPage._meta.ordering)

    @admin.display(description="Meetings", ordering="meeting_count")
    def meeting_count(self, page):
        return page.meeting_count
