from django.urls import path

from . import converters, feeds, views  # noqa: F401 (converters registers <yyyy> and <dd>)
from .caching import cached_public_page as cached

app_name = "meetings"

urlpatterns = [
    path("", cached(views.HomeView.as_view()), name="home"),
    path("meetings/", cached(views.MeetingArchiveView.as_view()), name="archive"),
    path("meetings/<yyyy:year>/", cached(views.MeetingArchiveView.as_view()), name="archive-year"),
    path("meetings/feed/rss/", cached(feeds.AllMeetingsRssFeed()), name="feed-rss"),
    path("meetings/feed/atom/", cached(feeds.AllMeetingsAtomFeed()), name="feed-atom"),
    path("preview/<uuid:token>/", views.shared_preview, name="preview"),
    # Not cached: pages are cached by their whole address, and every query typed would be
    # one more, evicting the pages worth keeping.
    path("search/", views.SearchView.as_view(), name="search"),
    path("topics/", cached(views.TopicIndexView.as_view()), name="topics"),
    path(
        "topics/<str:slug>/",
        views.follows_topic_redirects("meetings:topic")(cached(views.TopicDetailView.as_view())),
        name="topic",
    ),
    path(
        "topics/<str:slug>/feed/rss/",
        views.follows_topic_redirects("meetings:topic-feed-rss")(cached(feeds.TopicRssFeed())),
        name="topic-feed-rss",
    ),
    path(
        "topics/<str:slug>/feed/atom/",
        views.follows_topic_redirects("meetings:topic-feed-atom")(cached(feeds.TopicAtomFeed())),
        name="topic-feed-atom",
    ),
]
