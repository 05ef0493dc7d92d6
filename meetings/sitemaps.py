from django.contrib.sitemaps import Sitemap

from .models import Meeting, public_relations_pages


class MeetingSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Meeting.objects.published().select_related("relations_page").order_by("pk")

    def lastmod(self, meeting):
        return meeting.updated_at


class RelationsPageSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return public_relations_pages().order_by("pk")

    def lastmod(self, page):
        return page.updated_at
