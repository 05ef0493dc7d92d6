"""What the public sees besides meetings, derived from `Meeting.objects.published()`."""

from django.db.models import Max, Prefetch, Q
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


def dated_by_last_public_change(relations_pages):
    """The relations pages, each given `last_public_change`: the latest of its own last
    edit, the publication of its newest meeting, and the latest public step of any of its
    meetings (a correction, a takedown: the page's list shows the change).

    Two grouped queries over the pages' meetings, not a subquery per page: each such
    subquery reads every meeting of its page, or the whole publication log."""
    relations_pages = list(relations_pages)
    pks = [page.pk for page in relations_pages]
    newest_publication = dict(
        Meeting.objects.published()
        .filter(relations_page__in=pks)
        .values_list("relations_page")
        .annotate(Max("published_at"))
        .order_by()
    )
    latest_step = dict(
        public_steps()
        .filter(meeting__relations_page__in=pks)
        .values_list("meeting__relations_page")
        .annotate(Max("at"))
        .order_by()
    )
    for page in relations_pages:
        moments = [page.updated_at, newest_publication.get(page.pk), latest_step.get(page.pk)]
        page.last_public_change = max(moment for moment in moments if moment is not None)
    return relations_pages
