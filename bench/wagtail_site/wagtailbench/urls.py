from django.contrib import admin
from django.urls import include, path
from readouts import views
from readouts.feeds import AllMeetingsRssFeed
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("meetings/", views.meeting_archive, name="archive"),
    path("meetings/feed/rss/", AllMeetingsRssFeed(), name="feed-rss"),
    path("topics/", views.topic_index, name="topics"),
    path("topics/<str:slug>/", views.topic_detail, name="topic"),
    # Everything else is Wagtail's page tree, served by Wagtail's own view.
    path("", include(wagtail_urls)),
]
