from django.urls import path

from meetings.caching import cached_public_page as cached
from meetings.feeds import RelationsPageAtomFeed, RelationsPageRssFeed

from . import views

app_name = "relations"

urlpatterns = [
    path("", cached(views.RelationsIndexView.as_view()), name="index"),
    path("<slug:slug>/", cached(views.RelationsPageDetailView.as_view()), name="detail"),
    path("<slug:slug>/feed/rss/", cached(RelationsPageRssFeed()), name="feed-rss"),
    path("<slug:slug>/feed/atom/", cached(RelationsPageAtomFeed()), name="feed-atom"),
]
