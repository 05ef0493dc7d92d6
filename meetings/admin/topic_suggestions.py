"""Topics suggested beside the tags of a meeting and of each of its agenda items.

Saving a meeting in the admin never tags it by itself: the editor stays in control, and a
topic they removed does not come back on the next save. The admin suggests instead what
the importer would tag (meetings.topic_detection), and the editor accepts or leaves each:

- the page lists, beside each tags field, the topics its texts name as rendered, which is
  of use without JavaScript too;
- admin/topic_suggestions.js makes each a button that adds it to the tags, and asks
  `suggest_topics_view` again as the editor types;
- after a save, a message names the suggestions still left.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils.html import format_html, format_html_join
from taggit.forms import TagWidget

from ..importing.vocabulary import Vocabulary
from ..models import AgendaItem
from ..models.readout import group_sub_items
from ..models.topics import attach_tags, tags_from_text
from ..topic_detection import suggest_topics

# The fields whose text names topics, as the admin's forms call them.
MEETING_TEXTS = ["title", "title_ja", "lead", "lead_ja"]
ITEM_TEXTS = ["text", "text_ja"]


class TagsWithSuggestions(TagWidget):
    """The tags input, then the topics its texts name that it does not hold yet."""

    suggestions = ()
    # A box that grows, not a one-line input: a meeting or an item often has more topics
    # than a short input shows. Lines separate topics as commas do.
    template_name = "django/forms/widgets/textarea.html"

    def __init__(self, attrs=None):
        super().__init__({"rows": 1, "class": "growing tag-list", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        listed = ""
        if self.suggestions:
            names = format_html_join(
                ", ", '<span class="suggested-topic">{}</span>', ((s,) for s in self.suggestions)
            )
            listed = format_html("<span>Suggested topics:</span> {}", names)
        return format_html(
            '{}<div class="topic-suggestions">{}</div>',
            super().render(name, value, attrs, renderer),
            listed,
        )


def show_suggestions(meeting_form, item_forms):
    """Give the tags fields of the meeting's form and its agenda rows what they should
    suggest, for the texts the forms hold (as typed, or as saved)."""
    found = suggest_topics(
        Vocabulary.topics_from_database(),
        _form_texts(meeting_form, MEETING_TEXTS),
        [_form_texts(form, ITEM_TEXTS) for form in item_forms],
    )
    for form, suggestions in [
        (meeting_form, found.meeting),
        *zip(item_forms, found.items, strict=True),
    ]:
        if "tags" in form.fields:
            form.fields["tags"].widget.suggestions = suggestions


def _form_texts(form, names):
    texts = [form[name].value() for name in names if name in form.fields]
    tags = form["tags"].value() if "tags" in form.fields else None
    # As typed, or (an unbound form) the saved tags.
    names = tags_from_text(tags) if isinstance(tags, str) else _names(tags or [])
    return [text or "" for text in texts], names


def remind_of_suggestions(request, meeting):
    """After a save: the topics the meeting's texts name that it or its items still lack."""
    items = list(meeting.agenda_items.all())
    attach_tags([meeting, *items])
    found = suggest_topics(
        Vocabulary.topics_from_database(),
        (_texts(meeting, MEETING_TEXTS), _names(meeting.tag_list)),
        [(_texts(item, ITEM_TEXTS), _names(item.tag_list)) for item in items],
    )
    places = [("the meeting", found.meeting)] if found.meeting else []
    labels = item_labels(items)
    places += [
        (labels[item.pk], topics) for item, topics in zip(items, found.items, strict=True) if topics
    ]
    if places:
        listed = "; ".join(f"{place}: {', '.join(topics)}" for place, topics in places)
        messages.info(
            request,
            f"Suggested topics not accepted yet — {listed}. Add them with the suggestions "
            "beside the tags, or leave them out.",
        )


def item_labels(items):
    """{item pk: “item 2”, sub-item pk: “item 2 (1)”}, as the page numbers them."""
    labels = {}
    groups = group_sub_items(items, lambda item: item.is_sub_item)
    for number, (item, sub_items) in enumerate(groups, start=1):
        labels[item.pk] = f"item {number}"
        for sub_number, sub_item in enumerate(sub_items, start=1):
            labels[sub_item.pk] = f"item {number} ({sub_number})"
    return labels


def _texts(obj, names):
    # The admin edits English under the plain name; the columns are `…_en` and `…_ja`.
    return [getattr(obj, name if name.endswith("_ja") else f"{name}_en") or "" for name in names]


def _names(tags):
    return [tag.name for tag in tags]


# What one request may ask about: a meeting's texts and those of its agenda items.
MAX_TEXTS = max(len(MEETING_TEXTS), len(ITEM_TEXTS))


class BadSuggestionRequest(ValueError):
    pass


def suggest_topics_view(model_admin, request):
    """The topics to suggest for texts the page sends, as JSON.

    Takes {"meeting": {"texts": […], "tags": "G7, …"}, "items": [{"texts", "tags"}, …]};
    answers {"meeting": [topic, …], "items": [[topic, …], …]}, items in the order sent."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not (model_admin.has_change_permission(request) or model_admin.has_add_permission(request)):
        raise PermissionDenied
    try:
        meeting, items = read_suggestion_request(request.body)
    except BadSuggestionRequest as error:
        return JsonResponse({"error": str(error)}, status=400)
    found = suggest_topics(Vocabulary.topics_from_database(), meeting, items)
    return JsonResponse({"meeting": found.meeting, "items": found.items})


def read_suggestion_request(body):
    """(meeting, items) as `suggest_topics` takes them, from the JSON the page posts."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise BadSuggestionRequest("The request is not JSON.") from None
    if not isinstance(data, dict):
        raise BadSuggestionRequest("Expected an object with “meeting” and “items”.")
    items = data.get("items", [])
    if not isinstance(items, list) or len(items) > settings.PORTAL_IMPORT_MAX_ITEMS:
        raise BadSuggestionRequest(
            f"“items” must be a list of at most {settings.PORTAL_IMPORT_MAX_ITEMS}."
        )
    return _read_entry(data.get("meeting", {})), [_read_entry(item) for item in items]


def _read_entry(entry):
    if not isinstance(entry, dict):
        raise BadSuggestionRequest("Each entry must be an object with “texts” and “tags”.")
    texts, tags = entry.get("texts", []), entry.get("tags", "")
    if (
        not isinstance(texts, list)
        or len(texts) > MAX_TEXTS
        or not all(isinstance(text, str) for text in texts)
    ):
        raise BadSuggestionRequest(f"“texts” must be a list of at most {MAX_TEXTS} strings.")
    if not isinstance(tags, str):
        raise BadSuggestionRequest("“tags” must be a string, as the tags field holds it.")
    return texts, tags_from_text(tags)


def agenda_item_forms(inline_admin_formsets):
    """The agenda rows' forms among a change page's inlines (none on a read-only page)."""
    for inline in inline_admin_formsets:
        if inline.formset.model is AgendaItem:
            return inline.formset.forms
    return []
