"""The public /relations/ addresses: the index, each page and its feeds, and each meeting's
readout under its page.

They show meetings, so the meetings app serves them, under the `relations` namespace."""

from django.urls import path

from . import converters, feeds, views  # noqa: F401 (converters registers <yyyy> and <dd>)
from .caching import cached_public_page as cached

app_name = "relations"

urlpatterns = [
    path("", cached(views.RelationsIndexView.as_view()), name="index"),
    path("<slug:slug>/", cached(views.RelationsPageDetailView.as_view()), name="detail"),
    path("<slug:slug>/feed/rss/", cached(feeds.RelationsPageRssFeed()), name="feed-rss"),
    path("<slug:slug>/feed/atom/", cached(feeds.RelationsPageAtomFeed()), name="feed-atom"),
    path(
        "<slug:page_slug>/<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/",
        cached(views.MeetingDetailView.as_view()),
        name="meeting",
    ),
]
