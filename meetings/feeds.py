"""RSS 2.0 and Atom feeds of published meetings: all of them, one relations page, one topic."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from taggit.models import Tag

from .models import Meeting, attach_tags, public_relations_pages, tag_list


class MeetingFeed(Feed):
    """What every meeting feed shares: one entry per published meeting, newest first."""

    feed_type = Rss201rev2Feed
    item_count = 30
    language = settings.LANGUAGE_CODE

    def author_name(self):
        return settings.PORTAL_SITE_NAME

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
        when = timezone.localtime(notes[0].at)
        return f"Updated on {when:%B} {when.day}, {when.year}: {notes[0].note}\n\n{meeting.lead}"

    def item_guid(self, meeting):
        return meeting.guid

    item_guid_is_permalink = False

    def item_pubdate(self, meeting):
        return meeting.published_at

    def item_updateddate(self, meeting):
        return meeting.last_public_change

    def item_author_name(self, meeting):
        return settings.PORTAL_SITE_NAME

    def item_categories(self, meeting):
        return [tag.name for tag in tag_list(meeting)]


class PlainTextSummaryAtom1Feed(Atom1Feed):
    """Atom whose entry summaries are declared plain text, which the readouts' leads are.

    Django's Atom1Feed declares them `type="html"`, so readers would take a “<” or “&” in a
    lead for markup."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class AtomMixin:
    feed_type = PlainTextSummaryAtom1Feed

    def subtitle(self, obj=None):
        return self.description(obj)


class AllMeetingsRssFeed(MeetingFeed):
    def title(self):
        return f"{settings.PORTAL_SITE_NAME}: meetings"

    def link(self):
        return reverse("meetings:archive")

    def description(self, obj=None):
        return "Readouts of diplomatic meetings, newest first."


class AllMeetingsAtomFeed(AtomMixin, AllMeetingsRssFeed):
    pass


class RelationsPageRssFeed(MeetingFeed):
    def get_object(self, request, slug):
        return get_object_or_404(public_relations_pages(), slug=slug)

    def meetings(self, relations_page):
        return Meeting.objects.published().filter(relations_page=relations_page)

    def title(self, relations_page):
        return f"{relations_page.title}: meetings"

    def link(self, relations_page):
        return relations_page.get_absolute_url()

    def description(self, relations_page):
        return f"Readouts of meetings under {relations_page.title}, newest first."


class RelationsPageAtomFeed(AtomMixin, RelationsPageRssFeed):
    pass


class TopicRssFeed(MeetingFeed):
    def get_object(self, request, slug):
        topic = get_object_or_404(Tag, slug=slug)
        if not Meeting.objects.published().carrying_topic(topic).exists():
            raise Http404("No published meeting carries this topic.")
        return topic

    def meetings(self, topic):
        return Meeting.objects.published().carrying_topic(topic)

    def title(self, topic):
        return f"{settings.PORTAL_SITE_NAME}: {topic.name}"

    def link(self, topic):
        return reverse("meetings:topic", kwargs={"slug": topic.slug})

    def description(self, topic):
        return f"Readouts of meetings on {topic.name}, newest first."


class TopicAtomFeed(AtomMixin, TopicRssFeed):
    pass
