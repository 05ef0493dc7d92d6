from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve

from meetings.caching import cached_public_page
from meetings.sitemaps import MeetingSitemap, RelationsPageSitemap

admin.site.site_header = f"{settings.PORTAL_SITE_NAME}: editors"
admin.site.site_title = "Editors"
admin.site.index_title = "Relations pages and meeting readouts"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("relations/", include("relations.urls")),
    path("", include("meetings.urls")),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path(
        "sitemap.xml",
        cached_public_page(sitemap),
        {"sitemaps": {"relations": RelationsPageSitemap, "meetings": MeetingSitemap}},
        name="sitemap",
    ),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns += [
        re_path(rf"^{media_prefix}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]
