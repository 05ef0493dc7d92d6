"""RSS 2.0 and Atom feeds of published meetings: all of them, one relations page, one topic.

Each feed exists in every language of the site (/ja/… for Japanese), in that language."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from taggit.models import Tag

from portal.site import site_name

from .models import Meeting, attach_tags, public_relations_pages, tag_list, topic_name


class MeetingFeed(Feed):
    """What every meeting feed shares: one entry per published meeting, newest first."""

    feed_type = Rss201rev2Feed
    item_count = 30  # the feed's language is the page's (Feed.language left unset)

    def author_name(self):
        return site_name()

    def meetings(self, obj):
        return Meeting.objects.published()

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # The feed is written in hundreds of small pieces, and servers send each piece on
        # its own; joined, the response goes out at once (several times the throughput).
        response.content = b"".join(response)
        return response

    def items(self, obj=None):
        return attach_tags(self.meetings(obj).for_feed()[: self.item_count])

    def item_title(self, meeting):
        return meeting.title

    def item_description(self, meeting):
        notes = list(meeting.change_notes.all())
        if not notes:
            return meeting.lead
        when = formats.date_format(timezone.localtime(notes[0].at), "DATE_FORMAT")
        updated = _("Updated on %(date)s: %(note)s") % {"date": when, "note": notes[0].note}
        return f"{updated}\n\n{meeting.lead}"

    def item_guid(self, meeting):
        return meeting.guid

    item_guid_is_permalink = False

    def item_pubdate(self, meeting):
        return meeting.published_at

    def item_updateddate(self, meeting):
        return meeting.last_public_change

    def item_author_name(self, meeting):
        return site_name()

    def item_categories(self, meeting):
        return [topic_name(tag) for tag in tag_list(meeting)]


class PlainTextAtom1Feed(Atom1Feed):
    """Atom whose text constructs (titles, subtitle, summaries) are declared plain text,
    which the readouts' titles and leads are.

    Django's Atom1Feed declares summaries `type="html"`, so readers would take a “<” or “&”
    in a lead for markup, and leaves the other constructs to Atom's default."""

    def add_root_elements(self, handler):
        super().add_root_elements(PlainTextConstructs(handler))

    def add_item_elements(self, handler, item):
        super().add_item_elements(PlainTextConstructs(handler), item)


class PlainTextConstructs:
    """The feed's XML writer, writing every Atom text construct with `type="text"`."""

    TEXT_CONSTRUCTS = {"title", "subtitle", "summary", "rights"}

    def __init__(self, handler):
        self.handler = handler

    def addQuickElement(self, name, contents=None, attrs=None):
        if name in self.TEXT_CONSTRUCTS:
            attrs = {**(attrs or {}), "type": "text"}
        self.handler.addQuickElement(name, contents, attrs)

    def __getattr__(self, name):
        return getattr(self.handler, name)


class AtomMixin:
    feed_type = PlainTextAtom1Feed

    def subtitle(self, obj=None):
        return self.description(obj)


class AllMeetingsRssFeed(MeetingFeed):
    def title(self):
        return _("%(site)s: meetings") % {"site": site_name()}

    def link(self):
        return reverse("meetings:archive")

    def description(self, obj=None):
        return _("Readouts of diplomatic meetings, newest first.")


class AllMeetingsAtomFeed(AtomMixin, AllMeetingsRssFeed):
    pass


class RelationsPageRssFeed(MeetingFeed):
    def get_object(self, request, slug):
        return get_object_or_404(public_relations_pages(), slug=slug)

    def meetings(self, relations_page):
        return Meeting.objects.published().filter(relations_page=relations_page)

    def title(self, relations_page):
        return _("%(page)s: meetings") % {"page": relations_page.title}

    def link(self, relations_page):
        return relations_page.get_absolute_url()

    def description(self, relations_page):
        return _("Readouts of meetings under %(page)s, newest first.") % {
            "page": relations_page.title
        }


class RelationsPageAtomFeed(AtomMixin, RelationsPageRssFeed):
    pass


class TopicRssFeed(MeetingFeed):
    def get_object(self, request, slug):
        topic = get_object_or_404(Tag.objects.select_related("topic"), slug=slug)
        if not Meeting.objects.published().carrying_topic(topic).exists():
            raise Http404("No published meeting carries this topic.")
        return topic

    def meetings(self, topic):
        return Meeting.objects.published().carrying_topic(topic)

    def title(self, topic):
        return f"{site_name()}: {topic_name(topic)}"

    def link(self, topic):
        return reverse("meetings:topic", kwargs={"slug": topic.slug})

    def description(self, topic):
        return _("Readouts of meetings on %(topic)s, newest first.") % {"topic": topic_name(topic)}


class TopicAtomFeed(AtomMixin, TopicRssFeed):
    pass
