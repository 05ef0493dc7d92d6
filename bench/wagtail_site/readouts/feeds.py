"""The RSS feed of all meetings: Django's syndication framework over live meeting pages."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

from .models import MeetingPage


class AllMeetingsRssFeed(Feed):
    feed_type = Rss201rev2Feed
    item_count = 30
    language = settings.LANGUAGE_CODE
    title = f"{settings.PORTAL_SITE_NAME}: meetings"
    link = "/meetings/"
    description = "Readouts of diplomatic meetings, newest first."

    def __call__(self, request, *args, **kwargs):
        # Keep the request, so page URLs are computed with Wagtail's per-request site cache.
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def author_name(self):
        return settings.PORTAL_SITE_NAME

    def items(self):
        return (
            MeetingPage.objects.live()
            .order_by("-first_published_at", "-id")
            .prefetch_related("tags")[: self.item_count]
        )

    def item_title(self, page):
        return page.title

    def item_description(self, page):
        return page.lead

    def item_link(self, page):
        return page.get_full_url(self.request)

    def item_guid(self, page):
        return f"urn:uuid:{page.translation_key}"

    item_guid_is_permalink = False

    def item_pubdate(self, page):
        return page.first_published_at

    def item_updateddate(self, page):
        return page.last_published_at

    def item_author_name(self, page):
        return settings.PORTAL_SITE_NAME

    def item_categories(self, page):
        return [tag.name for tag in page.tags.all()]
