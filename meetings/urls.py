from django.urls import path, register_converter

from . import feeds, views
from .converters import TwoDigitConverter, YearConverter

register_converter(TwoDigitConverter, "dd")
register_converter(YearConverter, "yyyy")

app_name = "meetings"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("meetings/", views.MeetingArchiveView.as_view(), name="archive"),
    path("meetings/<yyyy:year>/", views.MeetingArchiveView.as_view(), name="archive-year"),
    path("meetings/feed/rss/", feeds.AllMeetingsRssFeed(), name="feed-rss"),
    path("meetings/feed/atom/", feeds.AllMeetingsAtomFeed(), name="feed-atom"),
    path(
        "relations/<slug:page_slug>/<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/",
        views.MeetingDetailView.as_view(),
        name="detail",
    ),
    path("topics/", views.TopicIndexView.as_view(), name="topics"),
    path("topics/<str:slug>/", views.TopicDetailView.as_view(), name="topic"),
    path("topics/<str:slug>/feed/rss/", feeds.TopicRssFeed(), name="topic-feed-rss"),
    path("topics/<str:slug>/feed/atom/", feeds.TopicAtomFeed(), name="topic-feed-atom"),
]
