"""The filters as a results page shows them: each value with its count and its link.

Links keep the query string (the words, the other filters) and leave out the page number:
a shared link shows what its sender saw, and choosing a filter starts at the first page.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from meetings.models import MeetingType
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


def facets(counts, filters, params):
    """[Facet, …] in the order the page shows them; a chosen value is listed even when
    nothing matches it (so it can be removed)."""
    labels = _labels(counts, filters)
    shown = []
    for name, title in TITLES.items():
        values = dict(counts.by_filter[name])
        chosen = str(filters[name]) if name in filters else None
        if chosen is not None:
            values.setdefault(chosen, 0)
        ordered = _ordered(name, values, labels[name])
        facet = Facet(name, title)
        for value in ordered:
            active = value == chosen
            facet.choices.append(
                Choice(
                    value=value,
                    label=labels[name].get(value, value),
                    count=values[value],
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


def _ordered(name, values, labels):
    if name == "year":
        return sorted(values, reverse=True)
    if name in ("relations", "topic"):
        most = sorted(values, key=lambda value: (-values[value], labels.get(value, value)))
        return most[:MOST_SHOWN] + [value for value in most[MOST_SHOWN:] if values[value] == 0]
    positions = {value: position for position, value in enumerate(labels)}
    return sorted(values, key=lambda value: positions.get(value, len(positions)))


def _labels(counts, filters):
    """{filter: {value: label}} in the active language, in the editors' order (regions,
    meeting types); one query for each filter with values to name."""
    named = {
        "relations": (RelationsPage.objects.all(), lambda page: page.counterpart),
        "region": (Region.objects.all(), lambda region: region.name),
        "type": (MeetingType.objects.all(), lambda meeting_type: meeting_type.name),
        "topic": (Tag.objects.select_related("topic"), _topic_name),
    }
    labels = {"year": {}}
    for name, (rows, label) in named.items():
        values = set(counts.by_filter[name])
        if name in filters:
            values.add(filters[name])
        found = rows.filter(slug__in=values) if values else []
        labels[name] = {row.slug: label(row) for row in found}
    return labels


def _topic_name(tag):
    topic = getattr(tag, "topic", None)
    return topic.shown_name if topic is not None else tag.name
