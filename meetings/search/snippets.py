"""Where the words matched: a short passage of each result with the words marked, from the
agenda item that matches best (to link to its anchor), else from the lead.

A Japanese page quotes the Japanese text where there is one, and the English where only the
English matches (marked with its language); an English page the other way round. Matching
here is the crude kind SQLite's search uses (a word's start, its ending dropped), so that
“sanctions” marks “sanction”; it only chooses and marks a passage, it decides nothing about
which meetings match. Every piece of text is escaped before the marks are put around it.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe

from meetings.models import AgendaItem, numbered_overview

from . import text

# How much of a text a passage shows, in characters: about 30 English words, or 90
# Japanese characters (which say as much).
PASSAGE = {False: (90, 240), True: (35, 90)}  # has Japanese → (before the match, length)


@dataclass(frozen=True)
class Snippet:
    html: str  # safe: escaped text, with <mark> around the words
    language: str
    anchor: str = ""  # the agenda item's, or "" for the lead
    label: str = ""  # the item's number as the page shows it: "2 (1)"


def term_pattern(term):
    """A regular expression for where a term appears in a text as written."""
    if term.is_japanese:
        return r"[\W_]*".join(re.escape(word) for word in term.words)
    return r"(?<![^\W_])" + r"[\W_]+".join(
        re.escape(text.stem(word)) + r"[^\W_]*" for word in term.words
    )


class Highlighter:
    """Marks a query's words (not the excluded ones) in texts."""

    def __init__(self, query):
        terms = query.highlighted
        self.patterns = [re.compile(term_pattern(term), re.IGNORECASE) for term in terms]
        # Longer terms first, so that a phrase is marked whole rather than its first word.
        ordered = sorted(terms, key=lambda term: -len(" ".join(term.words)))
        joined = "|".join(f"(?:{term_pattern(term)})" for term in ordered)
        self.any = re.compile(joined, re.IGNORECASE) if terms else None

    def score(self, value):
        """How many of the terms appear in the text."""
        return sum(1 for pattern in self.patterns if pattern.search(value))

    def mark(self, value):
        """The whole text, escaped, with the terms marked."""
        return mark_safe(self._marked(value))

    def passage(self, value):
        """A passage of the text around the first term found, escaped and marked."""
        japanese = text.has_cjk(value)
        before, length = PASSAGE[japanese]
        found = self.any.search(value) if self.any else None
        start = max(0, found.start() - before) if found else 0
        end = min(len(value), start + length)
        if not japanese:  # whole words only
            if start > 0:
                space = value.find(" ", start, found.start())
                start = space + 1 if space != -1 else start
            if end < len(value):
                space = value.rfind(" ", start, end)
                end = space if space > start else end
        marked = self._marked(value[start:end].strip())
        return mark_safe(("…" if start > 0 else "") + marked + ("…" if end < len(value) else ""))

    def _marked(self, value):
        if self.any is None:
            return escape(value)
        pieces, position = [], 0
        for found in self.any.finditer(value):
            pieces += [escape(value[position : found.start()]), "<mark>", escape(found[0])]
            pieces.append("</mark>")
            position = found.end()
        pieces.append(escape(value[position:]))
        return "".join(pieces)


@dataclass
class _Item:
    """An agenda item as a passage may quote it; `numbered_overview` gives it its `anchor`
    and `label`."""

    is_sub_item: bool
    texts: dict  # {language: its text, or None}
    anchor: str = ""
    label: str = ""


def attach_snippets(meetings, query, language):
    """Give each meeting its `snippet` and its `marked_title`, reading the agenda items of
    them all in one query."""
    highlighter = Highlighter(query)
    languages = [language] + [code for code, _ in settings.LANGUAGES if code != language]
    items = {meeting.pk: [] for meeting in meetings}
    # Their texts only: a page of results has hundreds of items, and making model
    # instances of them took longer than the query.
    rows = (
        AgendaItem.objects.filter(meeting__in=list(items))
        .order_by("meeting_id", "position", "pk")
        .values_list("meeting_id", "is_sub_item", *(f"text_{code}" for code in languages))
    )
    for meeting_id, is_sub_item, *texts in rows:
        items[meeting_id].append(_Item(is_sub_item, dict(zip(languages, texts, strict=True))))
    for meeting in meetings:
        numbered_overview(items[meeting.pk])  # gives each item its anchor and label
        meeting.marked_title = highlighter.mark(meeting.title)
        meeting.snippet = _best_snippet(meeting, items[meeting.pk], highlighter, languages)
    return meetings


def _best_snippet(meeting, items, highlighter, languages):
    """The passage of the item matching the most words, in the page's language before the
    other; the lead's when it matches more; the lead's beginning when nothing does."""
    best, best_score = None, 0
    for item in items:
        for code in languages:
            item_text = item.texts[code] or ""
            score = highlighter.score(item_text)
            if score > best_score:
                best, best_score = (item_text, code, item), score
    for code in languages:
        lead = getattr(meeting, f"lead_{code}") or ""
        if highlighter.score(lead) > best_score:
            best, best_score = (lead, code, None), highlighter.score(lead)
    if best is None:
        code = next((code for code in languages if getattr(meeting, f"lead_{code}")), languages[0])
        best = (getattr(meeting, f"lead_{code}") or "", code, None)
    passage_text, code, item = best
    return Snippet(
        html=highlighter.passage(passage_text),
        language=code,
        anchor=item.anchor if item else "",
        label=item.label if item else "",
    )
