"""The filters as a results page shows them: each value with its count and its link.

Links keep the query string (the words, the other filters) and leave out the page number:
a shared link shows what its sender saw, and choosing a filter starts at the first page.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from meetings.models import MeetingType, topic_name
from relations.models import Region, RelationsPage

# Relations pages and topics can be many: the ones with most results are shown.
MOST_SHOWN = 15


@dataclass
class Choice:
    value: str
    label: str
    count: int
    link: str
    active: bool = False


@dataclass
class Facet:
    name: str  # the URL parameter
    title: str
    choices: list = field(default_factory=list)

    @property
    def active(self):
        return next((choice for choice in self.choices if choice.active), None)


@dataclass
class ActiveFilter:
    name: str
    value: str
    title: str
    label: str
    removal_link: str


TITLES = {
    "relations": _("Country or organization"),
    "region": _("Region"),
    "type": _("Type of meeting"),
    "year": _("Year"),
    "topic": _("Topic"),
}


def facets(found, filters, params):
    """[Facet, …] in the order the page shows them; a chosen value is listed even when
    nothing matches it (so it can be removed)."""
    named = _named(found, filters)
    shown = []
    for name, title in TITLES.items():
        # {value in the URL (a slug, or the year): count}, {value: label}
        if name == "year":
            counts = {str(year): count for year, count in found.by_filter[name].items()}
            labels = {value: value for value in counts}
        else:
            counts = {
                named[name][pk][0]: count
                for pk, count in found.by_filter[name].items()
                if pk in named[name]
            }
            labels = dict(named[name].values())
        chosen = str(filters[name]) if name in filters else None
        if chosen is not None:
            counts.setdefault(chosen, 0)
        facet = Facet(name, title)
        for value in _ordered(name, counts, labels):
            active = value == chosen
            facet.choices.append(
                Choice(
                    value=value,
                    label=labels.get(value, value),
                    count=counts[value],
                    link=link(params, **{name: None if active else value}),
                    active=active,
                )
            )
        if facet.choices:
            shown.append(facet)
    return shown


def active_filters(shown, params):
    """The filters chosen, each with the link that removes it."""
    return [
        ActiveFilter(
            facet.name,
            facet.active.value,
            facet.title,
            facet.active.label,
            link(params, **{facet.name: None}),
        )
        for facet in shown
        if facet.active
    ]


def link(params, **changes):
    """The query string of the current search with these parameters set (None: removed),
    back at its first page."""
    changed = params.copy()
    changed.pop("page", None)
    for name, value in changes.items():
        if value is None:
            changed.pop(name, None)
        else:
            changed[name] = value
    return f"?{changed.urlencode()}"


def _ordered(name, counts, labels):
    if name == "year":
        return sorted(counts, reverse=True)
    if name in ("relations", "topic"):
        most = sorted(counts, key=lambda value: (-counts[value], labels.get(value, value)))
        return most[:MOST_SHOWN] + [value for value in most[MOST_SHOWN:] if counts[value] == 0]
    positions = {value: position for position, value in enumerate(labels)}
    return sorted(counts, key=lambda value: positions.get(value, len(positions)))


def _may_be_shown(name, counts):
    """The ids counted that the facet may show: of relations pages and topics, only those
    counted at least as often as the one in place MOST_SHOWN (ties are ordered by name),
    rather than every page with a match."""
    if name not in ("relations", "topic") or len(counts) <= MOST_SHOWN:
        return list(counts)
    least_shown = sorted(counts.values(), reverse=True)[MOST_SHOWN - 1]
    return [pk for pk, count in counts.items() if count >= least_shown]


def _named(found, filters):
    """{filter: {id: (slug, label)}} in the active language and the editors' order (regions,
    meeting types), for the ids counted that may be shown and the slug chosen; one query
    for each filter with something to name."""
    rows = {
        "relations": (RelationsPage.objects.all(), lambda page: page.counterpart),
        "region": (Region.objects.all(), lambda region: region.name),
        "type": (MeetingType.objects.all(), lambda meeting_type: meeting_type.name),
        "topic": (Tag.objects.select_related("topic"), topic_name),
    }
    named = {}
    for name, (queryset, label) in rows.items():
        counted = _may_be_shown(name, found.by_filter[name])
        if not counted and name not in filters:
            named[name] = {}
            continue
        wanted = queryset.filter(Q(pk__in=counted) | Q(slug=filters.get(name)))
        named[name] = {row.pk: (row.slug, label(row)) for row in wanted}
    return named
