"""The editors' desk on the admin's front page: the meetings that need this person now."""

from dataclasses import dataclass

from django import template
from django.urls import reverse

from meetings import workflow
from meetings.models import Meeting

register = template.Library()
ROWS = 10


@dataclass
class Shelf:
    title: str
    meetings: list
    # The meeting list filtered to the whole shelf, where it may hold more than ROWS.
    see_all: str = ""


@register.inclusion_tag("admin/meetings/editors_desk.html", takes_context=True)
def editors_desk(context):
    user = context["request"].user
    meetings = Meeting.objects.select_related("relations_page").order_by("-updated_at")
    shelves = [
        ("My drafts", meetings.filter(state=Meeting.State.DRAFT, created_by=user)),
        (
            "Sent back to me",
            meetings.filter(state=Meeting.State.DRAFT, submitted_by=user).exclude(
                review_comment=""
            ),
        ),
    ]
    if workflow.can_publish(user):
        shelves += [
            (
                "Awaiting my review",
                meetings.filter(state=Meeting.State.IN_REVIEW).exclude(submitted_by=user),
            ),
            ("Published without review", meetings.approved().filter(unreviewed=True)),
        ]
    shelves.append(
        (
            "My meetings in review",
            meetings.filter(state=Meeting.State.IN_REVIEW, submitted_by=user),
        )
    )
    shelves += [
        ("Scheduled", meetings.scheduled().order_by("published_at")),
        ("Recently published", meetings.published().order_by("-published_at")),
        ("Taken down", meetings.filter(state=Meeting.State.TAKEN_DOWN).order_by("-taken_down_at")),
    ]
    desk = [Shelf(title, list(rows[:ROWS])) for title, rows in shelves]
    desk.insert(
        len(desk) - 3,
        Shelf(
            "Waiting for photos",
            list(
                meetings.exclude(state=Meeting.State.TAKEN_DOWN)
                .waiting_for_photos()
                .with_photos_waiting()[:ROWS]
            ),
            see_all=reverse("admin:meetings_meeting_changelist") + "?photos_waiting=yes",
        ),
    )
    return {"shelves": desk}
