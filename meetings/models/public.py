"""What the public sees besides meetings, derived from `Meeting.objects.published()`."""

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from taggit.models import Tag

from relations.models import Region, RelationsPage

from .meetings import Meeting
from .querysets import public_steps
from .readout import AgendaItem


def public_tags():
    """The tags carried by published meetings or by their agenda items."""
    published = Meeting.objects.published()
    on_meetings = Tag.objects.filter(
        taggit_taggeditem_items__content_type__app_label="meetings",
        taggit_taggeditem_items__content_type__model="meeting",
        taggit_taggeditem_items__object_id__in=published.values("pk"),
    )
    on_items = Tag.objects.filter(
        taggit_taggeditem_items__content_type__app_label="meetings",
        taggit_taggeditem_items__content_type__model="agendaitem",
        taggit_taggeditem_items__object_id__in=AgendaItem.objects.filter(
            meeting__in=published
        ).values("pk"),
    )
    return Tag.objects.filter(
        Q(pk__in=on_meetings.values("pk")) | Q(pk__in=on_items.values("pk"))
    ).exclude(slug="")


def regions_with_public_pages():
    """Regions, each with its public relations pages (by counterpart) prefetched."""
    return Region.objects.prefetch_related(
        Prefetch("relations_pages", public_relations_pages().order_by("counterpart"))
    )


def public_relations_pages():
    """Relations pages the public sees: ticked published, or with a meeting the public sees.

    A page an import created appears by itself when a meeting on it is published (a
    scheduled one at its time), with nothing to update."""
    return RelationsPage.objects.filter(
        Q(published=True) | Q(pk__in=Meeting.objects.published().values("relations_page_id"))
    )


def with_last_public_change(relations_pages):
    """Relations pages with `last_public_change`: the latest of their own last edit, the
    publication of their newest meeting, and the latest public step of any of their
    meetings (a correction, a takedown: the page's list shows the change)."""
    newest_publication = (
        Meeting.objects.published()
        .filter(relations_page=OuterRef("pk"))
        .order_by("-published_at")
        .values("published_at")[:1]
    )
    latest_step = (
        public_steps()
        .filter(meeting__relations_page=OuterRef("pk"))
        .order_by("-at")
        .values("at")[:1]
    )
    return relations_pages.annotate(
        last_public_change=Greatest(
            "updated_at",
            Coalesce(Subquery(newest_publication), "updated_at"),
            Coalesce(Subquery(latest_step), "updated_at"),
        )
    )
