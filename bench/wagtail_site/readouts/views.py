"""Django views beside Wagtail's page tree: topics (tags) and the list of all meetings."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from taggit.models import Tag

from .models import NEWEST_FIRST, MeetingPage, with_relations_pages


def public_tags():
    """Tags carried by live meeting pages."""
    return Tag.objects.filter(readouts_meetingpagetag_items__content_object__live=True).distinct()


def topic_index(request):
    return render(request, "readouts/topic_list.html", {"topics": public_tags().order_by("name")})


def topic_detail(request, slug):
    topic = public_tags().filter(slug=slug).first()
    if topic is None:
        raise Http404("No such topic.")
    meetings = MeetingPage.objects.live().filter(tags=topic).order_by(*NEWEST_FIRST)
    page_obj = Paginator(meetings, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "readouts/topic_detail.html",
        {"topic": topic, "page_obj": page_obj, "meetings": with_relations_pages(page_obj)},
    )


def meeting_archive(request):
    meetings = MeetingPage.objects.live().order_by(*NEWEST_FIRST)
    page_obj = Paginator(meetings, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "readouts/meeting_archive.html",
        {"page_obj": page_obj, "meetings": with_relations_pages(page_obj)},
    )
