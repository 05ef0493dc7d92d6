"""What search reads: one document per meeting, written by `meetings.search.indexing`."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from taggit.models import Tag

from .meetings import Meeting


class SearchDocument(models.Model):
    """All of a meeting's searchable text, in both languages, in one row.

    Every meeting has one, drafts and corrections included: whether a meeting may be found
    is decided when searching, by `Meeting.objects.published()`, so a workflow step never
    has to touch the document. On PostgreSQL, migration 0014 adds a GIN index on `vector`
    and a trigram GIN index on `text`."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    text = models.TextField(
        help_text="Every searchable text of the meeting, English and Japanese, normalised "
        "(NFKC, case-folded, words separated by single spaces, a space at each end)."
    )
    # PostgreSQL only (NULL on SQLite): English words and Japanese pairs of characters,
    # weighted by where they stand (title A, lead B, the rest C), for full-text search
    # with stemming and ranking.
    vector = SearchVectorField(null=True, editable=False)
    topics = models.ManyToManyField(
        Tag,
        related_name="search_documents",
        blank=True,
        editable=False,
        help_text="The topics the meeting carries, itself or through its agenda items "
        "(`Meeting.objects.carrying_topic`), for counting results by topic.",
    )

    class Meta:
        ordering = ["meeting"]
        verbose_name = "search document"

    def __str__(self):
        return f"Search document of meeting #{self.meeting_id}"
