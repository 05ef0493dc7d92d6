from django.urls import path

from meetings.feeds import RelationsPageAtomFeed, RelationsPageRssFeed

from . import views

app_name = "relations"

urlpatterns = [
    path("", views.RelationsIndexView.as_view(), name="index"),
    path("<slug:slug>/", views.RelationsPageDetailView.as_view(), name="detail"),
    path("<slug:slug>/feed/rss/", RelationsPageRssFeed(), name="feed-rss"),
    path("<slug:slug>/feed/atom/", RelationsPageAtomFeed(), name="feed-atom"),
]
