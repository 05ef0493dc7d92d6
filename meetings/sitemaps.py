"""The sitemap: every public relations page and meeting, in English and in Japanese, each
with the other language as its alternate and the time the public last saw it change."""

from django.contrib.sitemaps import Sitemap

from .models import Meeting, public_relations_pages, with_last_public_change


class BothLanguages:
    """Each item at its address in every language, with hreflang alternates (x-default:
    English, at the plain address)."""

    i18n = True
    alternates = True
    x_default = True

    def lastmod(self, obj):
        return obj.last_public_change


class MeetingSitemap(BothLanguages, Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return (
            Meeting.objects.published()
            .with_last_public_change()
            .select_related("relations_page")
            .order_by("pk")
        )


class RelationsPageSitemap(BothLanguages, Sitemap):
    changefreq = "weekly"

    def items(self):
        return with_last_public_change(public_relations_pages()).order_by("pk")
