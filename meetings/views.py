import functools
from dataclasses import dataclass

from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from portal.site import site_name
from relations.models import RelationsPage

from . import related, timeline, topics
from .facets import Facets
from .models import (
    Meeting,
    MeetingType,
    PreviewLink,
    attach_tags,
    public_relations_pages,
    public_tags,
    regions_with_public_pages,
    topic_name,
)
from .search import results
from .sharing import SharedPage, lead_image, news_article, summary, timestamp


class HomeView(SharedPage, TemplateView):
    template_name = "home.html"
    latest_count = 10
    schema_type = "WebSite"

    def page_title(self):
        return site_name()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["latest_meetings"] = Meeting.objects.published().for_listing()[: self.latest_count]
        context["regions"] = regions_with_public_pages()
        return context


class RelationsIndexView(SharedPage, ListView):
    """Every relations page, grouped by region in the editors' order."""

    template_name = "relations/relationspage_list.html"
    context_object_name = "regions"

    def page_title(self):
        return _("Relations by region")

    def page_description(self):
        return _("The ministry’s relations with each country and region, and its meetings.")

    def get_queryset(self):
        return regions_with_public_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unassigned_pages"] = public_relations_pages().filter(region__isnull=True)
        return context


class RelationsPageDetailView(SharedPage, DetailView):
    template_name = "relations/relationspage_detail.html"
    context_object_name = "relations_page"

    def page_title(self):
        return self.object.title

    def page_description(self):
        return summary(self.object.introduction) or self.object.title

    def breadcrumbs(self):
        region = self.object.region
        trail = [(_("Relations by region"), reverse("relations:index"))]
        if region is not None:
            trail.append((region.name, region.get_absolute_url()))
        return trail

    def get_queryset(self):
        return public_relations_pages().select_related("region")

    def canonical_query(self):
        return {"year": self.facets.year, "type": self.facets.key}

    def get_context_data(self, **kwargs):
        meetings = Meeting.objects.published().filter(relations_page=self.object)
        self.facets = Facets(
            meetings.counts_by_year_and_type(),
            year=self.request.GET.get("year"),
            key=self.request.GET.get("type"),
        )
        years = self.facets.years()
        earlier_years = []
        if self.facets.year:
            meetings = meetings.filter(date__year=self.facets.chosen_year)
        else:
            shown, earlier_years = newest_years(years, MEETINGS_LISTED_AT_ONCE)
            if earlier_years:
                meetings = meetings.filter(date__year__gte=int(shown[-1].value))
        if self.facets.key:
            meetings = meetings.filter(meeting_type__slug=self.facets.key)
        types = MeetingType.objects.filter(slug__in=self.facets.all_keys)
        return super().get_context_data(
            years_of_meetings=meeting_rows_by_year(self.object, meetings, types),
            earlier_years=earlier_years,
            facets=self.facets,
            years=years,
            meeting_types=self.facets.keys({kind.slug: kind.name for kind in types}),
            **kwargs,
        )


# A relations page with no year chosen lists its newest years whole, until about this many
# meetings are listed; each earlier year is a link away (its own page, `?year=`). Decades
# of readouts on one page would otherwise be thousands of rows.
MEETINGS_LISTED_AT_ONCE = 200


def newest_years(years, enough):
    """(the years to list, the earlier ones): from the newest of these year choices, whole
    years until they count at least `enough` meetings."""
    listed = 0
    for number, year in enumerate(years):
        if listed >= enough:
            return years[:number], years[number:]
        listed += year.count
    return years, []


def meeting_rows_by_year(relations_page, meetings, types):
    """[(year, [row])], newest first: what a relations page lists of each meeting, as plain
    strings made here rather than per row in the template.

    A page may list hundreds of meetings: rows are read as values, not models, and each
    address is its page's address and the meeting's date and slug (what `reverse()` gives
    for `relations:meeting`, without resolving it hundreds of times). `types`: every
    meeting type on the page (its facets), already read for the filters."""
    type_names = {kind.pk: kind.name for kind in types}
    prefix = relations_page.get_absolute_url()
    groups = []
    rows = meetings.newest_first().values_list("title", "slug", "date", "meeting_type_id")
    for title, slug, day, type_id in rows:
        if not groups or groups[-1][0] != day.year:
            groups.append((day.year, []))
        groups[-1][1].append(
            ListedMeeting(
                url=f"{prefix}{day:%Y/%m/%d}/{slug}/",
                title=title,
                iso_date=day.isoformat(),
                date=date_format(day),
                meeting_type=type_names.get(type_id, ""),
            )
        )
    return groups


@dataclass(frozen=True, slots=True)
class ListedMeeting:
    url: str
    title: str
    iso_date: str
    date: str
    meeting_type: str


class MeetingDetailView(SharedPage, DetailView):
    """A published meeting; or what is left at the address of one that was taken down."""

    context_object_name = "meeting"
    og_type = "article"

    def page_title(self):
        return self.object.title

    def page_description(self):
        return summary(self.object.lead)

    def breadcrumbs(self):
        return meeting_breadcrumbs(self.object)

    def share_image(self):
        return lead_image(self.request, self.object)

    def describe(self, share):
        share.published = timestamp(self.object.published_at)
        share.modified = timestamp(self.object.last_public_change)

    def main_entity(self, share):
        return news_article(self.request, self.object, share)

    def get_context_data(self, **kwargs):
        previous_meeting, next_meeting = related.previous_and_next(self.object)
        return super().get_context_data(
            previous_meeting=previous_meeting,
            next_meeting=next_meeting,
            related_meetings=related.related_meetings(self.object),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            taken_down = self.at_address(Meeting.objects.taken_down()).first()
            if taken_down is not None:
                return self.taken_down_response(taken_down)
            moved = self.moved_from_address()
            if moved is None:
                raise
            return redirect(moved, permanent=True)

    def get_object(self, queryset=None):
        meeting = self.at_address(Meeting.objects.published()).first()
        if meeting is None:
            raise Http404("No meeting is published at this address.")
        attach_tags([meeting, *meeting.agenda_items.all()])
        return meeting

    def at_address(self, meetings):
        return meetings.with_readout().with_last_public_change().at_address(**self.kwargs)

    def moved_from_address(self):
        """The public meeting a correction moved away from this address, if any."""
        moved = Meeting.objects.published().formerly_at_address(**self.kwargs)
        return moved.select_related("relations_page").first()

    def taken_down_response(self, meeting):
        if meeting.takedown == Meeting.Takedown.WITHDRAWN:
            attach_tags([meeting, *meeting.agenda_items.all()])
            self.object = meeting
            return self.render_to_response(self.get_context_data(object=meeting, withdrawn=True))
        if meeting.takedown == Meeting.Takedown.MERGED and meeting.merged_into_id:
            target = Meeting.objects.published().filter(pk=meeting.merged_into_id).first()
            if target is not None:
                return redirect(target, permanent=True)
        return TemplateResponse(self.request, "410.html", {"meeting": meeting}, status=410)


def meeting_breadcrumbs(meeting):
    """The pages above a meeting's: its preview shows them too."""
    return [
        (_("Relations by region"), reverse("relations:index")),
        (meeting.relations_page.title, meeting.relations_page.get_absolute_url()),
    ]


class MeetingArchiveView(SharedPage, ListView):
    """All published meetings, newest first, optionally of one year."""

    paginate_by = 50
    context_object_name = "meetings"
    template_name = "meetings/meeting_archive.html"

    def page_title(self):
        if "year" in self.kwargs:
            return _("Meetings in %(year)s") % {"year": self.kwargs["year"]}
        return _("All meetings")

    def page_description(self):
        if "year" in self.kwargs:
            return _("Readouts of the diplomatic meetings of %(year)s, newest first.") % {
                "year": self.kwargs["year"]
            }
        return _("Readouts of every diplomatic meeting, newest first.")

    def breadcrumbs(self):
        if "year" in self.kwargs:
            return [(_("All meetings"), reverse("meetings:archive"))]
        return []

    def get_queryset(self):
        meetings = Meeting.objects.published().for_listing()
        if "year" in self.kwargs:
            meetings = meetings.filter(date__year=self.kwargs["year"])
        return meetings

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["year"] = self.kwargs.get("year")
        context["years"] = [
            day.year for day in Meeting.objects.published().dates("date", "year", order="DESC")
        ]
        if context["year"] and context["year"] not in context["years"]:
            raise Http404("No meetings were published for that year.")
        return context


class TopicIndexView(SharedPage, ListView):
    template_name = "meetings/topic_list.html"
    context_object_name = "topics"

    def page_title(self):
        return _("Topics")

    def page_description(self):
        return _("Topics of the readouts, to follow across every country and year.")

    def get_queryset(self):
        # Alphabetical as readers expect: "Abductions issue, APEC, ASEAN", capitals or not.
        return public_tags().select_related("topic").order_by(Lower("name"))


class TopicDetailView(SharedPage, ListView):
    """A topic's timeline: every public agenda item on it, newest first, filterable by
    relations page and year (meetings/timeline.py)."""

    paginate_by = 25
    template_name = "meetings/topic_detail.html"
    context_object_name = "entries"

    def get_queryset(self):
        self.topic = get_object_or_404(
            Tag.objects.select_related("topic"), slug=self.kwargs["slug"]
        )
        self.facets = Facets(
            timeline.counts(self.topic),
            year=self.request.GET.get("year"),
            key=self.request.GET.get("relations"),
        )
        if not self.facets:
            raise Http404("No public meeting carries this topic.")
        return timeline.Timeline(
            self.topic,
            total=self.facets.total,
            relations=self.facets.key,
            year=self.facets.chosen_year,
        )

    def canonical_query(self):
        return {"relations": self.facets.key, "year": self.facets.year}

    def page_title(self):
        return topic_name(self.topic)

    def page_description(self):
        return _("Readouts of meetings on %(topic)s, across every country and year.") % {
            "topic": topic_name(self.topic)
        }

    def breadcrumbs(self):
        return [(_("Topics"), reverse("meetings:topics"))]

    def get_context_data(self, **kwargs):
        pages = RelationsPage.objects.filter(slug__in=self.facets.all_keys).order_by("counterpart")
        return super().get_context_data(
            topic=self.topic,
            facets=self.facets,
            years=self.facets.years(),
            relations_pages=self.facets.keys({page.slug: page.counterpart for page in pages}),
            related_topics=timeline.related_topics(self.topic),
            **kwargs,
        )


def follows_topic_redirects(url_name):
    """A topic view that sends the address of a renamed or merged topic to its new one."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, slug, **kwargs):
            try:
                return view(request, slug=slug, **kwargs)
            except Http404:
                target = topics.redirect_for(slug)
                if target is None:
                    raise
                return redirect(url_name, slug=target.slug, permanent=True)

        return wrapper

    return decorator


def render_preview(request, meeting, *, shared_link=None, revision=None):
    """The public page of a meeting not (yet) public, marked as a preview, kept out of search.

    With a revision, the page as that revision had it."""
    if revision is None:
        meeting = Meeting.objects.with_readout().get(pk=meeting.pk)
        attach_tags([meeting, *meeting.agenda_items.all()])
    response = TemplateResponse(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "preview": True,
            "shared_link": shared_link,
            "revision": revision,
            "page_title": meeting.title,
            "breadcrumbs": meeting_breadcrumbs(meeting),
        },
    )
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def shared_preview(request, token):
    """A preview shared outside the admin: it works until it expires or is revoked."""
    link = PreviewLink.objects.select_related("meeting").filter(token=token).first()
    if link is None or link.revoked_at is not None:
        raise Http404("There is no preview at this address.")
    if not link.is_valid:
        return TemplateResponse(request, "meetings/preview_expired.html", {}, status=410)
    return render_preview(request, link.meeting, shared_link=link)


class SearchView(SharedPage, TemplateView):
    """Published meetings matching the words typed, with filters (see meetings/search/)."""

    template_name = "meetings/search.html"
    schema_type = "SearchResultsPage"
    # What a search's address may carry: its words, its filters, its page of results.
    SHARED_PARAMETERS = ["q", "relations", "region", "type", "year", "topic", "page"]

    def get_context_data(self, **kwargs):
        self.search = results.search(self.request.GET, get_language())
        return super().get_context_data(search=self.search, **kwargs)

    def page_title(self):
        if self.search.query:
            return _("Search: %(query)s") % {"query": self.search.query.typed}
        return _("Search")

    def page_description(self):
        return _("Search the readouts of diplomatic meetings, in English and Japanese.")

    def canonical_query(self):
        """The search as its address has it, so that it can be shared, in either language."""
        return {name: self.request.GET.get(name, "") for name in self.SHARED_PARAMETERS}
