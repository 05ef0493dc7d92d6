import functools

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from . import topics
from .models import (
    AgendaItem,
    Meeting,
    PreviewLink,
    attach_tags,
    public_relations_pages,
    public_tags,
    regions_with_public_pages,
)
from .search import results


class HomeView(TemplateView):
    template_name = "home.html"
    latest_count = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["latest_meetings"] = Meeting.objects.published().for_listing()[: self.latest_count]
        context["regions"] = regions_with_public_pages()
        return context


class RelationsIndexView(ListView):
    """Every relations page, grouped by region in the editors' order."""

    template_name = "relations/relationspage_list.html"
    context_object_name = "regions"

    def get_queryset(self):
        return regions_with_public_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unassigned_pages"] = public_relations_pages().filter(region__isnull=True)
        return context


class RelationsPageDetailView(DetailView):
    template_name = "relations/relationspage_detail.html"
    context_object_name = "relations_page"

    def get_queryset(self):
        return public_relations_pages().select_related("region")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meetings"] = (
            Meeting.objects.published().filter(relations_page=self.object).for_listing()
        )
        return context


class MeetingDetailView(DetailView):
    """A published meeting; or what is left at the address of one that was taken down."""

    context_object_name = "meeting"

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
        return meetings.with_readout().at_address(**self.kwargs)

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


class MeetingArchiveView(ListView):
    """All published meetings, newest first, optionally of one year."""

    paginate_by = 50
    context_object_name = "meetings"
    template_name = "meetings/meeting_archive.html"

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


class TopicIndexView(ListView):
    template_name = "meetings/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        return public_tags().order_by("name")


class TopicDetailView(ListView):
    """The meetings that carry a topic, themselves or through an agenda item."""

    paginate_by = 25
    allow_empty = False  # a topic only drafts carry has no public page
    template_name = "meetings/topic_detail.html"
    context_object_name = "meetings"

    def get_queryset(self):
        self.topic = get_object_or_404(Tag, slug=self.kwargs["slug"])
        tagged_items = AgendaItem.objects.filter(tags=self.topic)
        return (
            Meeting.objects.published()
            .carrying_topic(self.topic)
            .for_listing()
            .prefetch_related(Prefetch("agenda_items", tagged_items, to_attr="topic_items"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(topic=self.topic, **kwargs)
        meetings = context["meetings"]
        anchors = AgendaItem.objects.anchors([meeting.pk for meeting in meetings])
        for meeting in meetings:
            for item in meeting.topic_items:
                item.anchor = anchors[item.pk]
        return context


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
        {"meeting": meeting, "preview": True, "shared_link": shared_link, "revision": revision},
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


class SearchView(TemplateView):
    """Published meetings matching the words typed, with filters (see meetings/search/)."""

    template_name = "meetings/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["search"] = results.search(self.request.GET, get_language())
        return context
