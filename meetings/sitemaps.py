"""The sitemap: every public relations page and meeting, in English and in Japanese, each
with the other language as its alternate and the time the public last saw it change.

`/sitemap.xml` is an index of sections (`/sitemap-meetings.xml?p=2`), each page a fixed
number of items read from the database: an archive of 50,000 meetings is 100,000
addresses, twice what one sitemap file may hold."""

from datetime import datetime
from html import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import InvalidPage
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date

from .models import Meeting, dated_by_last_public_change, public_relations_pages
from .models.querysets import public_steps


class BothLanguages:
    """Items listed by `section()` at their address in every language, each naming the
    others as alternates (x-default: English, at the plain address), dated by the last
    change the public saw. Not Django's i18n sitemaps: those read every item into memory to
    pair it with each language, for every page and for the index."""

    def lastmod(self, obj):
        return obj.last_public_change


class MeetingSitemap(BothLanguages, Sitemap):
    changefreq = "monthly"
    # Meetings per page, each listed twice (English, Japanese): far under the 50,000
    # addresses a sitemap may hold, and written in a few tens of milliseconds.
    limit = 500

    def items(self):
        return Meeting.objects.published().order_by("pk")

    def dated(self, page):
        """The page's meetings, dated. Their dates are subqueries: selected by the page's
        ids, they run for its rows only, not for every row its OFFSET skips."""
        return (
            Meeting.objects.filter(pk__in=page.values("pk"))
            .with_last_public_change()
            .select_related("relations_page")
            .only("date", "slug", "published_at", "relations_page__slug")
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


def section(request, section):
    """One page of a section of the sitemap (`?p=N`), as Django's sitemap view writes it but
    without its template: the template's loops were most of a page's time (a page of a
    thousand meetings took half a second)."""
    sitemap_class = SECTIONS.get(section)
    if sitemap_class is None:
        raise Http404("The sitemap has no such section.")
    sitemap = sitemap_class()
    try:
        page = sitemap.paginator.page(request.GET.get("p", 1))
    except InvalidPage as invalid:
        raise Http404(f"The sitemap has no such page: {invalid}") from None
    site = f"{request.scheme}://{get_current_site(request).domain}"
    prefixes = {code: language_prefix(code) for code, _ in settings.LANGUAGES}
    items = list(sitemap.dated(page.object_list))
    with translation.override(settings.LANGUAGE_CODE):  # the plain addresses
        body = "".join(
            entries(
                {code: site + prefix + path for code, prefix in prefixes.items()},
                sitemap.lastmod(item),
                sitemap.changefreq,
            )
            for item, path in ((item, item.get_absolute_url()) for item in items)
        )
    response = HttpResponse(URLSET.format(body), content_type="application/xml")
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    dates = [sitemap.lastmod(item) for item in items]
    if dates and all(isinstance(date, datetime) for date in dates):
        response.headers["Last-Modified"] = http_date(max(dates).timestamp())
    return response


URLSET = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n{}\n</urlset>\n'
)


def entries(addresses, lastmod, changefreq):
    """An item's <url> at each of its addresses ({language code: address}), each naming all
    of them as alternates, and the default language's as the default."""
    addresses = {code: escape(address) for code, address in addresses.items()}
    default = ("x-default", addresses[settings.LANGUAGE_CODE])
    alternates = "".join(
        f'<xhtml:link rel="alternate" hreflang="{code}" href="{address}"/>'
        for code, address in [*addresses.items(), default]
    )
    dated = f"<lastmod>{local_day(lastmod)}</lastmod>" if lastmod else ""
    return "".join(
        f"<url><loc>{address}</loc>{dated}<changefreq>{changefreq}</changefreq>{alternates}</url>"
        for address in addresses.values()
    )


def language_prefix(code):
    """What a language adds before the English address ("/ja"; nothing for English): the
    public site's addresses are the same in every language but for that prefix."""
    with translation.override(code):
        return reverse("meetings:home").removesuffix("/")


def local_day(moment):
    """The day as the site's time zone sees it, as Django's template dates it."""
    if isinstance(moment, datetime):
        return timezone.localtime(moment).date().isoformat()
    return moment.isoformat()
