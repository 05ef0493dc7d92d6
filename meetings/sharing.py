"""How public pages present themselves to search engines and to link previews.

Each public view names its title, its description and the pages above it (`SharedPage`);
from these come the page's canonical address, its addresses in each language, its Open
Graph and Twitter card tags and its schema.org data (JSON-LD). The visible breadcrumbs and
the BreadcrumbList are the same list, so they cannot disagree.

Addresses are made absolute from the request, as the feeds, the sitemap and the hreflang
links already are: ALLOWED_HOSTS bounds the hosts a request may name, and the page cache
keys pages by their full address. PORTAL_BASE_URL is only for commands, which have no
request; a production that forgot to set it would otherwise point every canonical link at
its default, 127.0.0.1.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.site import site_name

from .models import renditions, topic_name

# og:locale of each of the site's languages.
OPEN_GRAPH_LOCALES = {"en": "en_US", "ja": "ja_JP"}
SCHEMA = "https://schema.org"


def language_versions(request, path):
    """The page at `path` (query string included) in each of the site's languages:
    [{code, name, url (absolute), is_current}], for the language switch and hreflang links."""
    current = translation.get_language()
    return [
        {
            "code": code,
            "name": name,
            "url": request.build_absolute_uri(translate_url(path, code)),
            "is_current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


def summary(text, limit=160):
    """The text on one line, cut at a word (or, in Japanese, anywhere) before `limit`."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    at_space = cut.rfind(" ")
    if at_space > limit * 0.6:
        cut = cut[:at_space]
    return cut.rstrip(" ,.;:、。") + "…"


def timestamp(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


@dataclass
class Image:
    """The picture a link preview shows: an absolute address, its size and what it shows."""

    url: str
    width: int | None = None
    height: int | None = None
    alt: str = ""


def lead_image(request, meeting):
    """The meeting's first photo that has an image, for link previews; or None.

    The one place that chooses the file: swap in a share-sized rendition here."""
    for photo in meeting.photo_sessions.all():
        if photo.image:
            return Image(
                url=request.build_absolute_uri(renditions.address(photo.image.name)),
                width=photo.width,
                height=photo.height,
                alt=photo.alt_text,
            )
    return None


@dataclass
class Share:
    """What the page's <head> says about it to crawlers and link previews."""

    url: str
    title: str
    description: str
    type: str = "website"
    image: Image | None = None
    locale: str = ""
    alternate_locales: list = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    structured_data: dict = field(default_factory=dict)


class SharedPage:
    """A public view's title, description, breadcrumbs and canonical address, and the
    <head> tags and structured data made from them.

    Views give `page_title()`, and as they need `page_description()`, `breadcrumbs()` (the
    pages above this one, after Home, as (name, address) pairs) and `canonical_query()`
    (the query parameters that choose what the page shows, as in effect). A paginated page
    past the first keeps its page number; every other parameter is left out."""

    og_type = "website"
    schema_type = "CollectionPage"

    def page_title(self):
        raise NotImplementedError

    def page_description(self):
        return _(
            "Readouts of diplomatic meetings and the ministry’s relations with countries "
            "and regions."
        )

    def breadcrumbs(self):
        return []

    def canonical_query(self):
        return {}

    def share_image(self):
        return None

    def main_entity(self, share):
        """The schema.org description of what the page is."""
        return {
            "@type": self.schema_type,
            "name": share.title,
            "description": share.description,
            "url": share.url,
            "inLanguage": translation.get_language(),
            "publisher": publisher(self.request),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = {name: value for name, value in self.canonical_query().items() if value}
        page = context.get("page_obj")
        if page is not None and page.number > 1:
            query["page"] = page.number
        path = self.request.path + (f"?{urlencode(query)}" if query else "")
        language = translation.get_language()
        title, trail = self.page_title(), self.breadcrumbs()
        share = Share(
            url=self.request.build_absolute_uri(path),
            title=title,
            description=self.page_description(),
            type=self.og_type,
            image=self.share_image(),
            locale=OPEN_GRAPH_LOCALES.get(language, ""),
            alternate_locales=[
                locale for code, locale in OPEN_GRAPH_LOCALES.items() if code != language
            ],
        )
        self.describe(share)
        share.structured_data = {
            "@context": SCHEMA,
            "@graph": [
                self.main_entity(share),
                breadcrumb_list(self.request, trail, title, path),
            ],
        }
        context.update(
            page_title=title,
            page_description=share.description,
            breadcrumbs=trail,
            share=share,
            # The language switch and hreflang links lead to this page as its canonical
            # address has it, in each language.
            language_versions=language_versions(self.request, path),
        )
        return context

    def describe(self, share):
        """Add what only this kind of page says (an article's dates)."""


def publisher(request):
    return {
        "@type": "Organization",
        "name": site_name(),
        "url": request.build_absolute_uri(reverse("meetings:home")),
    }


def breadcrumb_list(request, trail, title, path):
    """Home, the pages above this one, and this one, as a schema.org BreadcrumbList."""
    home = reverse("meetings:home")
    crumbs = [(_("Home"), home), *trail]
    if path != home:
        crumbs.append((title, path))
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": str(name),
                "item": request.build_absolute_uri(url),
            }
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def news_article(request, meeting, share):
    """A meeting's readout as a schema.org NewsArticle."""
    article = {
        "@type": "NewsArticle",
        "headline": summary(meeting.title, 110),
        "description": share.description,
        "url": share.url,
        "mainEntityOfPage": share.url,
        "inLanguage": translation.get_language(),
        "datePublished": share.published,
        "dateModified": share.modified,
        "publisher": publisher(request),
        "author": publisher(request),
        "about": [{"@type": "Thing", "name": topic_name(tag)} for tag in meeting.topics()],
    }
    if share.image:
        article["image"] = [share.image.url]
    return article
