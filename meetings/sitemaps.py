"""The sitemap: every public relations page and meeting, in English and in Japanese, each
with the other language as its alternate and the time the public last saw it change.

`/sitemap.xml` is an index of sections (`/sitemap-meetings.xml?p=2`), each page a fixed
number of items read from the database: an archive of 50,000 meetings is 100,000
addresses, twice what one sitemap file may hold."""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max
from django.utils.translation import get_language

from .models import Meeting, dated_by_last_public_change, public_relations_pages
from .models.querysets import public_steps


class PagesInEveryLanguage(Paginator):
    """Pages of the sitemap's items, each item listed in each of its languages and dated.

    Django pages an i18n sitemap over (item, language) pairs, which it builds by reading
    every item into memory, for each page and for the index. Here a page is a slice of the
    items, dated by the sitemap's `dated()` once sliced, and only then paired with
    languages."""

    def __init__(self, sitemap):
        super().__init__(sitemap.items(), sitemap.limit)
        self.sitemap = sitemap

    def _get_page(self, items, number, paginator):
        in_each_language = [
            (item, language)
            for item in self.sitemap.dated(items)
            for language in self.sitemap.get_languages_for_item(item)
        ]
        return super()._get_page(in_each_language, number, paginator)


class BothLanguages:
    """Each item at its address in every language, with hreflang alternates (x-default:
    English, at the plain address)."""

    i18n = True
    alternates = True
    x_default = True

    @property
    def paginator(self):
        return PagesInEveryLanguage(self)

    def location(self, obj):
        # Django asks for each item's address in each language four times (as the entry,
        # then as each alternate), and a reverse() is most of a page's rendering time.
        addresses = self.__dict__.setdefault("_addresses", {})
        key = (type(obj), obj.pk, get_language())
        if key not in addresses:
            addresses[key] = obj.get_absolute_url()
        return addresses[key]

    def lastmod(self, obj):
        return obj.last_public_change


class MeetingSitemap(BothLanguages, Sitemap):
    changefreq = "monthly"
    # Meetings per page, each listed twice (English, Japanese): far under the 50,000
    # addresses a sitemap may hold, and rendered in well under a second.
    limit = 1000

    def items(self):
        return Meeting.objects.published().order_by("pk")

    def dated(self, page):
        """The page's meetings, dated. Their dates are subqueries: selected by the page's
        ids, they run for its rows only, not for every row its OFFSET skips."""
        return (
            Meeting.objects.filter(pk__in=page.values("pk"))
            .with_last_public_change()
            .select_related("relations_page")
            .order_by("pk")
        )

    def get_latest_lastmod(self):
        """The latest public change of any listed meeting, for the index: two aggregates,
        not every meeting's own date (Django's default reads all the items)."""
        published = Meeting.objects.published()
        latest = [
            published.aggregate(latest=Max("published_at"))["latest"],
            public_steps().filter(meeting__in=published).aggregate(latest=Max("at"))["latest"],
        ]
        return max((moment for moment in latest if moment is not None), default=None)


class RelationsPageSitemap(BothLanguages, Sitemap):
    changefreq = "weekly"

    def items(self):
        return public_relations_pages().order_by("pk")

    def dated(self, page):
        return dated_by_last_public_change(page)

    def get_latest_lastmod(self):
        pages = self.dated(self.items())
        return max((page.last_public_change for page in pages), default=None)


# The index's sections, each at /sitemap-<section>.xml.
SECTIONS = {"relations": RelationsPageSitemap, "meetings": MeetingSitemap}
